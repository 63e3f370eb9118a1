// What a case's deadline timer does when it falls due (the timer is the case's own row,
// store.h CaseDue, set by app::EscalationReactor after every change): record every
// deadline of the case that is due by now, one at a time through CaseService so the
// reactor escalates after each: an SLA clock as `sla_breached` (domain::RecordSlaBreach), an
// overdue promise as `promise_broken` (domain::BreakPromise). Deadlines are recomputed with
// the running policy and the current time, so a timer whose deadline moved or was met finds
// nothing due and only sets the timer to the next one.
//
// Exactly once across nodes: a timer is claimed and fired in one write (on PostgreSQL its
// row stays locked until the write ends and other nodes skip it), and the fold remembers
// recorded keys, so even a timer fired twice would record nothing twice.
#pragma once

#include "app/case_service.h"
#include "app/policy_holder.h"
#include "engine/job_runner.h"

namespace redress::engine {

/// Decides with CaseService::Prepare (so it can run beside the writer, see
/// PreparedCaseTimerHandler) and writes with CaseService::Record.
PreparedCaseTimerHandler SlaDeadlineHandler(const app::CaseService& cases,
                                            const app::PolicyHolder& policies);

/// Registers the handler as the runner's case timers (JobRunner::RegisterPreparedCaseTimers).
void RegisterSlaDeadlineTimers(JobRunner& runner, const app::CaseService& cases,
                               const app::PolicyHolder& policies);

}  // namespace redress::engine
