// The `sla_deadline` job (scheduled by app::EscalationReactor): when a case's earliest
// deadline comes, record every deadline of the case that is due by now, one at a time
// through CaseService so the reactor escalates after each: an SLA clock as `sla_breached`
// (domain::RecordSlaBreach), an overdue promise as `promise_broken` (domain::BreakPromise).
// Deadlines are recomputed with the running policy and the current time, so a job whose
// deadline moved or was met finds nothing due and only schedules the next one.
//
// Exactly once across nodes: the queue leases the job to one node, the write that records
// the breach also completes the job, and the fold remembers recorded keys, so a node that
// loses its lease or a second job for the same case records nothing twice.
#pragma once

#include "app/case_service.h"
#include "app/policy_holder.h"
#include "engine/job_runner.h"

namespace redress::engine {

JobHandler SlaDeadlineHandler(const app::CaseService& cases, const app::PolicyHolder& policies);

/// Registers the handler under app::kSlaDeadlineJobKind, batched (JobWrites::kBatched).
void RegisterSlaDeadlineJob(JobRunner& runner, const app::CaseService& cases,
                            const app::PolicyHolder& policies);

}  // namespace redress::engine
