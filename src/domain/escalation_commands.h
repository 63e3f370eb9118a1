// Raising a case up the escalation ladder and recording missed SLA deadlines. Which level
// and which owner come from the policy (policy/triggers.h, policy/routing.h); these
// functions only check that the step is allowed and write it down.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"

namespace redress::domain {

/// Why a case went up a level. Names are stable (they are in the event payload).
enum class EscalationTrigger {
  kSlaBreach,        // "sla_breach": a deadline of the level was missed
  kRepeatContact,    // "repeat_contact": the customer's Nth contact at this level
  kBrokenPromise,    // "broken_promise"
  kCustomerRequest,  // "customer_request": the customer asked, with a reason and evidence
  kAppeal,           // "appeal": the customer appealed a decision
  kSocialMedia,      // "social_media": a public post about the case was flagged
  kValueTier,        // "value_tier": the customer's tier starts them higher
  kKeyword,          // "keyword": a keyword rule matched a message
  kManual,           // "manual": a staff member escalated it
};
const char* EscalationTriggerName(EscalationTrigger t);
std::optional<EscalationTrigger> ParseEscalationTrigger(std::string_view name);

/// Which SLA clock a deadline belongs to. Names are stable (sla_breached payload, keys).
enum class SlaClockKind { kFirstResponse, kNextUpdate, kResolution };
const char* SlaClockName(SlaClockKind k);  // "first_response", "next_update", "resolution"
std::optional<SlaClockKind> ParseSlaClock(std::string_view name);

struct EscalateInput {
  EscalationTrigger trigger = EscalationTrigger::kManual;
  int to_level = 2;
  std::string to_level_name;        // "L2 Escalations", resolved from the policy
  std::optional<int64_t> owner_id;  // none: no member was available, the level's queue has it
  std::string owner_name;
  std::string reason;  // shown to the customer; required from people, written by triggers
  std::vector<std::string> evidence;
};

/// One `escalated` event (public). Who may escalate:
///  - the customer, on their own case, with trigger customer_request or appeal (whether the
///    policy allows it yet is policy::DecideCustomerRequest's question, asked before this);
///  - staff, with trigger manual, social_media or value_tier;
///  - the system, with any trigger but manual and customer_request.
/// to_level must be above the case's level (kConflict otherwise). A reason is required
/// from customers and staff. Closed cases: kConflict.
Result<std::vector<EventDraft>> Escalate(const CaseState& state, const Principal& actor,
                                         const EscalateInput& input, Timestamp now);

struct SlaBreachInput {
  SlaClockKind clock = SlaClockKind::kFirstResponse;
  std::string key;  // the deadline's stable key (policy/sla_clock.h)
  Timestamp due_at{};
};

/// One `sla_breached` event (public), by the system only. A key already recorded is
/// kConflict, so a scheduler that fires twice records once; a deadline not yet due is
/// kInvalidArgument.
Result<std::vector<EventDraft>> RecordSlaBreach(const CaseState& state, const Principal& actor,
                                                const SlaBreachInput& input, Timestamp now);

}  // namespace redress::domain
