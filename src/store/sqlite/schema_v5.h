// Schema version 5 of the SQLite backend: what the escalation wiring needs besides the
// event log. `settings` holds shared, versioned values (the escalation policy an admin
// put, which every node polls by version); `routing_cursors` the round-robin position per
// escalation level, so owners rotate across restarts and nodes; `cases.next_due_at` the
// time the case's next step is due (written by the escalation reactor after every change;
// NULL when nothing is due), indexed for the breaching-soon queue and sort-by-due.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE settings (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE routing_cursors (
  level_id TEXT    PRIMARY KEY,
  cursor   INTEGER NOT NULL
) STRICT;
ALTER TABLE cases ADD COLUMN next_due_at INTEGER;
CREATE INDEX cases_next_due ON cases (next_due_at) WHERE next_due_at IS NOT NULL;
)sql";

}  // namespace redress::store::sqlite
