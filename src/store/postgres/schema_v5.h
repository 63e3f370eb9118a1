// Schema version 5 of the PostgreSQL backend: what the escalation wiring needs besides the
// event log. `settings` holds shared, versioned values (the escalation policy an admin
// put, which every node polls by version); `routing_cursors` the round-robin position per
// escalation level, so owners rotate across restarts and nodes; `cases.next_due_at` the
// time the case's next step is due (written by the escalation reactor after every change;
// NULL when nothing is due), indexed for the breaching-soon queue and sort-by-due.
#pragma once

#include <string_view>

namespace redress::store::postgres {

inline constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE settings (
  key        text   PRIMARY KEY,
  value      text   NOT NULL,
  version    bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE TABLE routing_cursors (
  level_id text   PRIMARY KEY,
  cursor   bigint NOT NULL
);
ALTER TABLE cases ADD COLUMN next_due_at bigint;
CREATE INDEX cases_next_due ON cases (next_due_at) WHERE next_due_at IS NOT NULL;
)sql";

}  // namespace redress::store::postgres
