#include "domain/escalation_commands.h"

#include <array>
#include <boost/json/value.hpp>
#include <utility>

#include "core/time_format.h"
#include "domain/command_rules.h"
#include "domain/text_fields.h"

namespace redress::domain {
namespace {

constexpr size_t kMaxLevelNameChars = 100;
constexpr size_t kMaxOwnerNameChars = 200;
constexpr size_t kMaxReasonChars = 2000;
constexpr size_t kMaxKeyChars = 200;

constexpr std::array<std::pair<EscalationTrigger, const char*>, 9> kTriggers{{
    {EscalationTrigger::kSlaBreach, "sla_breach"},
    {EscalationTrigger::kRepeatContact, "repeat_contact"},
    {EscalationTrigger::kBrokenPromise, "broken_promise"},
    {EscalationTrigger::kCustomerRequest, "customer_request"},
    {EscalationTrigger::kAppeal, "appeal"},
    {EscalationTrigger::kSocialMedia, "social_media"},
    {EscalationTrigger::kValueTier, "value_tier"},
    {EscalationTrigger::kKeyword, "keyword"},
    {EscalationTrigger::kManual, "manual"},
}};

constexpr std::array<std::pair<SlaClockKind, const char*>, 3> kClocks{{
    {SlaClockKind::kFirstResponse, "first_response"},
    {SlaClockKind::kNextUpdate, "next_update"},
    {SlaClockKind::kResolution, "resolution"},
}};

Result<void> CheckTriggerAllowed(const Principal& actor, EscalationTrigger t) {
  const char* name = EscalationTriggerName(t);
  if (actor.IsCustomer()) {
    if (t == EscalationTrigger::kCustomerRequest || t == EscalationTrigger::kAppeal) return {};
    return Denied(std::string("a customer cannot escalate with trigger ") + name);
  }
  if (actor.IsStaff()) {
    if (t == EscalationTrigger::kManual || t == EscalationTrigger::kSocialMedia ||
        t == EscalationTrigger::kValueTier) {
      return {};
    }
    return Denied(std::string("staff cannot escalate with trigger ") + name +
                  "; it is raised automatically");
  }
  if (actor.role == Role::kSystem) {
    if (t == EscalationTrigger::kManual || t == EscalationTrigger::kCustomerRequest) {
      return Denied(std::string("the system cannot escalate with trigger ") + name);
    }
    return {};
  }
  return Denied("only customers, staff and the system can escalate");
}

}  // namespace

const char* EscalationTriggerName(EscalationTrigger t) {
  for (const auto& [v, name] : kTriggers) {
    if (v == t) return name;
  }
  return "unknown";
}

std::optional<EscalationTrigger> ParseEscalationTrigger(std::string_view name) {
  for (const auto& [v, text] : kTriggers) {
    if (name == text) return v;
  }
  return std::nullopt;
}

const char* SlaClockName(SlaClockKind k) {
  for (const auto& [v, name] : kClocks) {
    if (v == k) return name;
  }
  return "unknown";
}

std::optional<SlaClockKind> ParseSlaClock(std::string_view name) {
  for (const auto& [v, text] : kClocks) {
    if (name == text) return v;
  }
  return std::nullopt;
}

Result<std::vector<EventDraft>> Escalate(const CaseState& state, const Principal& actor,
                                         const EscalateInput& input, Timestamp now) {
  if (auto ok = RequireOwnCaseIfCustomer(state, actor); !ok) return Fail(ok.error());
  if (auto ok = CheckTriggerAllowed(actor, input.trigger); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  if (input.to_level <= state.level) {
    return Fail(ErrorCode::kConflict, CaseLabel(state) + " is already at level " +
                                          std::to_string(state.level) +
                                          "; an escalation must go above it");
  }
  auto level_name = CheckLine("to_level_name", input.to_level_name, 1, kMaxLevelNameChars);
  if (!level_name) return Fail(level_name.error());
  std::string owner_name;
  if (input.owner_id) {
    if (*input.owner_id <= 0) return Invalid("owner_id", "must be a positive user id");
    auto name = CheckLine("owner_name", input.owner_name, 1, kMaxOwnerNameChars);
    if (!name) return Fail(name.error());
    owner_name = std::move(*name);
  }
  const bool by_person = actor.IsCustomer() || actor.IsStaff();
  auto reason = CheckShortText("reason", input.reason, kMaxReasonChars, by_person);
  if (!reason) return Fail(reason.error());
  auto evidence = CheckEvidence(input.evidence);
  if (!evidence) return Fail(evidence.error());

  boost::json::object data{{"trigger", EscalationTriggerName(input.trigger)},
                           {"from_level", state.level},
                           {"to_level", input.to_level},
                           {"to_level_name", *level_name},
                           {"owner_name", owner_name},
                           {"reason", *reason},
                           {"evidence", std::move(*evidence)}};
  data["owner_id"] =
      input.owner_id ? boost::json::value(*input.owner_id) : boost::json::value(nullptr);
  data["previous_owner_id"] =
      state.owner_id ? boost::json::value(*state.owner_id) : boost::json::value(nullptr);
  return std::vector<EventDraft>{MakeDraft(EventType::kEscalated, actor, now, std::move(data))};
}

Result<std::vector<EventDraft>> RecordSlaBreach(const CaseState& state, const Principal& actor,
                                                const SlaBreachInput& input, Timestamp now) {
  if (actor.role != Role::kSystem) return Denied("only the system records SLA breaches");
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto key = CheckLine("key", input.key, 1, kMaxKeyChars);
  if (!key) return Fail(key.error());
  if (input.due_at > now) {
    return Invalid("due_at", "deadline " + *key + " is due at " + FormatTimestamp(input.due_at) +
                                 ", which has not passed");
  }
  if (state.commitments.BreachRecorded(*key)) {
    return Fail(ErrorCode::kConflict, "deadline " + *key + " of " + CaseLabel(state) +
                                          " is already recorded as breached");
  }
  return std::vector<EventDraft>{MakeDraft(EventType::kSlaBreached, actor, now,
                                           {{"clock", SlaClockName(input.clock)},
                                            {"key", *key},
                                            {"due_at", FormatTimestamp(input.due_at)},
                                            {"level", state.level}})};
}

}  // namespace redress::domain
