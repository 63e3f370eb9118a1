// Decisions are honest, recorded outcomes: approved, partly approved, denied, or "we
// cannot resolve this" with the external route the customer can take. Each carries the
// customer's next step; the customer may appeal, which escalates (policy/triggers.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/commitments.h"
#include "domain/event.h"
#include "domain/principal.h"

namespace redress::domain {

struct DecisionInput {
  DecisionOutcome outcome = DecisionOutcome::kApproved;
  std::string reason;     // required: why
  std::string next_step;  // required: what the customer can do now
  /// Required for cannot_resolve and forbidden otherwise: the id of an external route of
  /// the policy ("consumer_court"); the caller checks it exists
  /// (EscalationPolicy::FindExternalRoute).
  std::string external_route;
};

/// `decision_made` (public), by staff on an open case.
Result<std::vector<EventDraft>> MakeDecision(const CaseState& state, const Principal& actor,
                                             const DecisionInput& input, Timestamp now);

struct AppealInput {
  std::string reason;  // required
  std::vector<std::string> evidence;
};

/// `decision_appealed` (public), by the customer (own case) or staff on their behalf.
/// There must be a latest decision that is not approved and not yet appealed (kConflict).
Result<std::vector<EventDraft>> AppealDecision(const CaseState& state, const Principal& actor,
                                               const AppealInput& input, Timestamp now);

}  // namespace redress::domain
