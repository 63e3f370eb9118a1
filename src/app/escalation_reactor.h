// The escalation machinery's part of every write to a case (a CaseReactor, so it runs in
// the same transaction whoever appended: the API, the mail channel, the deadline job):
//
//  * OnEvents: each new event is evaluated against the running policy
//    (policy::EvaluateEvent, with the customer's value tier when a case opens); the highest escalation it calls for is appended at once as
//    an `escalated` event with an owner picked round robin (escalation_routing.h). That
//    event is shown to the reactors in the next round like any other.
//  * OnSettled: the case's deadlines are recomputed (policy::ComputeSla); the time of its
//    next step goes to cases.next_due_at (queues, sort by due) and the earliest pending
//    deadline becomes an `sla_deadline` job (engine/sla_deadline_job.h). The job's key
//    carries the due time, so a deadline that moves (a pause, a new promise) gets a job
//    of its own and the stale one finds nothing due when it runs.
#pragma once

#include <optional>
#include <string>

#include "app/case_service.h"
#include "app/policy_holder.h"
#include "policy/escalation_policy.h"
#include "store/store.h"

namespace redress::app {

/// The job kind of a case's next SLA deadline; its payload is {"case_id": N}.
inline constexpr char kSlaDeadlineJobKind[] = "sla_deadline";

/// The job key for case `case_id`'s deadline at `due_at`: "case:42@<microseconds>".
std::string SlaJobKey(int64_t case_id, Timestamp due_at);

/// Recomputes the case's deadlines at `now`: stores its next due time and schedules a job
/// for its earliest pending deadline (a no-op if that job exists).
Result<void> ScheduleDeadlines(store::WriteTx& tx, const domain::CaseState& state,
                               const policy::EscalationPolicy& policy, Timestamp now);

class EscalationReactor final : public CaseReactor {
 public:
  EscalationReactor(store::Store& reads, const PolicyHolder& policies)
      : reads_(reads), policies_(policies) {}

  Result<void> OnEvents(store::WriteTx& tx, CaseChange& change, size_t first_new,
                        Timestamp now) override;
  Result<void> OnSettled(store::WriteTx& tx, const CaseChange& change, Timestamp now) override;

 private:
  store::Store& reads_;
  const PolicyHolder& policies_;
};

}  // namespace redress::app
