// The escalation machinery's part of every write to a case (a CaseReactor, so it runs in
// the same transaction whoever appended: the API, the mail channel, the deadline timer):
//
//  * OnEvents: each new event is evaluated against the running policy
//    (policy::EvaluateEvent, with the customer's value tier when a case opens); the highest
//    escalation it calls for is appended at once as an `escalated` event with an owner picked round
//    robin (escalation_routing.h). That event is shown to the reactors in the next round like any
//    other.
//  * BeforeAppend: the case's deadlines are recomputed (policy::ComputeSla) for its final
//    state, and stored with its projection row in the same row write (store::CaseDue):
//    the time of its next step (queues, sort by due) and its timer, the earliest deadline
//    not yet on record, which the deadline timer (engine/sla_deadline_timer.h) fires. A
//    deadline that moves (a pause, a new promise) moves the timer with it.
#pragma once

#include <optional>
#include <string>

#include "app/case_service.h"
#include "app/policy_holder.h"
#include "policy/escalation_policy.h"
#include "store/store.h"

namespace redress::app {

/// The case's next step's due time and its timer, recomputed at `now`.
store::CaseDue DueTimes(const domain::CaseState& state, const policy::EscalationPolicy& policy,
                        Timestamp now);

/// Stores DueTimes (store::WriteTx::SetCaseDue), for a case whose events did not change.
Result<void> ScheduleDeadlines(store::WriteTx& tx, const domain::CaseState& state,
                               const policy::EscalationPolicy& policy, Timestamp now);

class EscalationReactor final : public CaseReactor {
 public:
  EscalationReactor(store::Store& reads, const PolicyHolder& policies)
      : reads_(reads), policies_(policies) {}

  Result<void> OnEvents(store::DecideTx& tx, CaseChange& change, size_t first_new,
                        Timestamp now) override;
  Result<void> BeforeAppend(store::DecideTx& tx, CaseChange& change, Timestamp now) override;

 private:
  store::Store& reads_;
  const PolicyHolder& policies_;
};

}  // namespace redress::app
