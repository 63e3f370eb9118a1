#include "app/escalation_reactor.h"

#include "app/escalation_routing.h"
#include "domain/escalation_commands.h"
#include "policy/sla_clock.h"
#include "policy/triggers.h"

namespace redress::app {

store::CaseDue DueTimes(const domain::CaseState& state, const policy::EscalationPolicy& policy,
                        Timestamp now) {
  const policy::SlaSnapshot sla = policy::ComputeSla(state, policy, now);
  return store::CaseDue{sla.next_step_due, sla.next_due};
}

Result<void> ScheduleDeadlines(store::WriteTx& tx, const domain::CaseState& state,
                               const policy::EscalationPolicy& policy, Timestamp now) {
  return tx.SetCaseDue(state.id, DueTimes(state, policy, now));
}

namespace {

// The facts the triggers need from outside the case's record: the customer's value tier,
// read in this transaction (a customer created in the same write counts) and only when a
// case opens under a policy with value-tier rules, so other writes pay nothing for it.
Result<policy::CaseContext> ContextFor(store::DecideTx& tx, const CaseChange& change,
                                       size_t first_new, const policy::EscalationPolicy& policy) {
  policy::CaseContext context;
  if (policy.triggers().value_tiers.empty()) return context;
  for (size_t i = first_new; i < change.events.size(); ++i) {
    if (change.events[i].type != domain::EventType::kCaseOpened) continue;
    auto tier = tx.LoadCustomerTier(change.state.customer_id);
    if (!tier) return Fail(tier.error());
    context.customer_tier = std::move(*tier);
    break;
  }
  return context;
}

}  // namespace

Result<void> EscalationReactor::OnEvents(store::DecideTx& tx, CaseChange& change, size_t first_new,
                                         Timestamp now) {
  if (change.state.status == domain::CaseStatus::kClosed) return {};
  const auto policy = policies_.Get();
  auto context = ContextFor(tx, change, first_new, *policy);
  if (!context) return Fail(context.error());
  std::optional<policy::EscalationDecision> best;
  for (size_t i = first_new; i < change.events.size(); ++i) {
    auto decision = policy::EvaluateEvent(change.state, change.events[i], *policy, *context);
    if (decision && (!best || decision->to_level > best->to_level)) best = std::move(decision);
  }
  // An event evaluated against the state after a later one may call for a level the case
  // has already reached (two breaches in one write): nothing to do then.
  if (!best || best->to_level <= change.state.level) return {};
  auto input = RouteEscalation(tx, reads_, *best);
  if (!input) return Fail(input.error());
  auto drafts = domain::Escalate(change.state, domain::Principal::System(), *input, now);
  if (!drafts) return Fail(drafts.error());
  return CaseService::Append(change, std::move(*drafts));
}

Result<void> EscalationReactor::BeforeAppend(store::DecideTx& tx, CaseChange& change,
                                             Timestamp now) {
  (void)tx;
  change.due = DueTimes(change.state, *policies_.Get(), now);
  return {};
}

}  // namespace redress::app
