// When a case goes up a level. Pure: given the state after an event, the event and the
// policy, say whether (and where) to escalate; the caller turns the answer into an
// `escalated` event with routing.h's owner and domain::Escalate, in the same transaction.
//
// Deadlines reach here as events too: the scheduler records a fired SLA deadline with
// domain::RecordSlaBreach and an overdue promise with domain::BreakPromise, and the
// resulting sla_breached / promise_broken event is evaluated like any other. So one entry
// point covers every trigger, and replaying a log re-derives the same escalations.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/escalation_commands.h"
#include "domain/event.h"
#include "policy/escalation_policy.h"

namespace redress::policy {

/// Facts about the case that are not in its record.
struct CaseContext {
  std::string customer_tier;  // "platinum", or empty
};

struct EscalationDecision {
  domain::EscalationTrigger trigger = domain::EscalationTrigger::kManual;
  int to_level = 2;              // rank in the case's ladder
  const Level* level = nullptr;  // the level at that rank
  std::string reason;            // written for the customer: it is public
};

/// Whether `event` (already folded into `after`) raises the case, and to which level:
///  - case_opened: value tier (context), keyword rule, public social post;
///  - message_received: the Nth contact at this level (policy repeat_contact), keyword
///    rule, public social post (channel social with data.public = true);
///  - promise_broken, decision_appealed, sla_breached (for the clocks the policy names).
/// Several triggers at once: the highest target wins, then the first in that order.
/// None when nothing applies, the trigger is off, or the case is at the top of its ladder.
std::optional<EscalationDecision> EvaluateEvent(const domain::CaseState& after,
                                                const domain::Event& event,
                                                const EscalationPolicy& policy,
                                                const CaseContext& context = {});

/// The customer's right to escalate: once the level's first-response time has passed, or
/// as soon as the level has given a decision.
struct CustomerEscalationWindow {
  const Level* next_level = nullptr;  // none at the top of the ladder
  bool allowed_now = false;
  std::optional<Timestamp> allowed_from;  // when not yet allowed and the clock runs
  std::string why_not;                    // for the customer, when not allowed now
};
CustomerEscalationWindow CustomerEscalation(const domain::CaseState& c,
                                            const EscalationPolicy& policy, Timestamp now);

/// For the customer's escalation request: the decision when allowed, else kConflict
/// saying from when it will be ("... from 2026-11-30T11:00:00.000000Z").
Result<EscalationDecision> DecideCustomerRequest(const domain::CaseState& c,
                                                 const EscalationPolicy& policy,
                                                 const std::string& reason, Timestamp now);

/// A staff member's manual escalation to the next level (or `to_level`).
Result<EscalationDecision> DecideManual(const domain::CaseState& c, const EscalationPolicy& policy,
                                        const std::string& reason, int to_level = 0);

}  // namespace redress::policy
