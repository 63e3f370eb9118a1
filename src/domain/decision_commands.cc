#include "domain/decision_commands.h"

#include "domain/command_rules.h"
#include "domain/text_fields.h"

namespace redress::domain {
namespace {

constexpr size_t kMaxDecisionTextChars = 2000;
constexpr size_t kMaxRouteIdChars = 100;

}  // namespace

Result<std::vector<EventDraft>> MakeDecision(const CaseState& state, const Principal& actor,
                                             const DecisionInput& input, Timestamp now) {
  if (auto ok = RequireStaff(actor, "record decisions"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto reason = CheckShortText("reason", input.reason, kMaxDecisionTextChars, true);
  if (!reason) return Fail(reason.error());
  auto next_step = CheckShortText("next_step", input.next_step, kMaxDecisionTextChars, true);
  if (!next_step) return Fail(next_step.error());
  auto route = CheckLine("external_route", input.external_route, 0, kMaxRouteIdChars);
  if (!route) return Fail(route.error());
  const bool cannot_resolve = input.outcome == DecisionOutcome::kCannotResolve;
  if (cannot_resolve && route->empty()) {
    return Invalid("external_route",
                   "a cannot_resolve decision must name the external route the customer can take");
  }
  if (!cannot_resolve && !route->empty()) {
    return Invalid("external_route", "only a cannot_resolve decision names an external route");
  }
  return std::vector<EventDraft>{MakeDraft(EventType::kDecisionMade, actor, now,
                                           {{"decision_id", state.commitments.decisions + 1},
                                            {"outcome", DecisionOutcomeName(input.outcome)},
                                            {"reason", *reason},
                                            {"next_step", *next_step},
                                            {"external_route", *route}})};
}

Result<std::vector<EventDraft>> AppealDecision(const CaseState& state, const Principal& actor,
                                               const AppealInput& input, Timestamp now) {
  if (auto ok = RequireOwnCaseIfCustomer(state, actor); !ok) return Fail(ok.error());
  if (!actor.IsCustomer() && !actor.IsStaff()) {
    return Denied("only the customer, or staff for them, can appeal a decision");
  }
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  const auto& latest = state.commitments.latest_decision;
  if (!latest) return Fail(ErrorCode::kConflict, CaseLabel(state) + " has no decision to appeal");
  if (latest->appealed) {
    return Fail(ErrorCode::kConflict,
                "decision " + std::to_string(latest->id) + " was already appealed");
  }
  if (latest->outcome == DecisionOutcome::kApproved) {
    return Fail(ErrorCode::kConflict, "decision " + std::to_string(latest->id) +
                                          " approved the request; there is nothing to appeal");
  }
  auto reason = CheckShortText("reason", input.reason, kMaxDecisionTextChars, true);
  if (!reason) return Fail(reason.error());
  auto evidence = CheckEvidence(input.evidence);
  if (!evidence) return Fail(evidence.error());
  return std::vector<EventDraft>{MakeDraft(
      EventType::kDecisionAppealed, actor, now,
      {{"decision_id", latest->id}, {"reason", *reason}, {"evidence", std::move(*evidence)}})};
}

}  // namespace redress::domain
