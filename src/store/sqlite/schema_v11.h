// Schema version 11 of the SQLite backend: a case's deadline timer lives in its own row
// (cases.timer_at, store.h CaseDue) instead of one `sla_deadline` job per deadline in the
// queue. The earliest pending job of each case becomes its timer (a stale one, whose
// deadline had moved later, only fires early, finds nothing due and sets the right time);
// then the deadline jobs, pending and done, leave the queue: the case's events remember
// which deadlines are on record, so nothing can fire twice without them.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV11 = R"sql(
ALTER TABLE cases ADD COLUMN timer_at INTEGER;
ALTER TABLE cases ADD COLUMN timer_failures INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET timer_at = pending.due_at FROM (
  SELECT json_extract(payload, '$.case_id') AS case_id, min(due_at) AS due_at FROM jobs
  WHERE kind = 'sla_deadline' AND state = 'pending' GROUP BY 1) AS pending
WHERE cases.id = pending.case_id;
CREATE INDEX cases_timer ON cases (timer_at) WHERE timer_at IS NOT NULL;
DELETE FROM jobs WHERE kind = 'sla_deadline';
)sql";

}  // namespace redress::store::sqlite
