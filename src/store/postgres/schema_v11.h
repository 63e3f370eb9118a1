// Schema version 11 of the PostgreSQL backend: deadline timers in the case rows, as
// store/sqlite/schema_v11.h.
#pragma once

#include <string_view>

namespace redress::store::postgres {

inline constexpr std::string_view kSchemaV11 = R"sql(
ALTER TABLE cases ADD COLUMN timer_at bigint;
ALTER TABLE cases ADD COLUMN timer_failures integer NOT NULL DEFAULT 0;
UPDATE cases SET timer_at = pending.due_at FROM (
  SELECT (payload::jsonb ->> 'case_id')::bigint AS case_id, min(due_at) AS due_at FROM jobs
  WHERE kind = 'sla_deadline' AND state = 'pending' GROUP BY 1) AS pending
WHERE cases.id = pending.case_id;
CREATE INDEX cases_timer ON cases (timer_at) WHERE timer_at IS NOT NULL;
DELETE FROM jobs WHERE kind = 'sla_deadline';
)sql";

}  // namespace redress::store::postgres
