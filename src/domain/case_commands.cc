#include "domain/case_commands.h"

#include <string>
#include <utility>

#include <boost/json/value.hpp>

#include "core/ascii.h"
#include "domain/text_fields.h"

namespace redress::domain {
namespace {

constexpr size_t kMaxOwnerNameChars = 200;

std::string CaseLabel(const CaseState& s) { return "case " + std::to_string(s.id); }

tl::unexpected<Error> Denied(std::string message) {
  return Fail(ErrorCode::kPermissionDenied, std::move(message));
}

Result<void> RequireStaff(const Principal& actor, const char* action) {
  if (!actor.IsStaff()) return Denied(std::string("only staff can ") + action);
  return {};
}

// Closed is final: every command on a closed case is refused the same way.
Result<void> RequireNotClosed(const CaseState& s) {
  if (s.status == CaseStatus::kClosed) {
    return Fail(ErrorCode::kConflict, CaseLabel(s) + " is closed");
  }
  return {};
}

// Messages travel on a customer-facing channel; "system" is for events nobody sent.
Result<void> CheckMessageChannel(Channel channel) {
  if (channel == Channel::kSystem) {
    return Fail(ErrorCode::kInvalidArgument,
                "channel: messages cannot be sent on the \"system\" channel", "channel");
  }
  return {};
}

EventDraft Draft(EventType type, const Principal& actor, Timestamp now, Channel channel,
                 boost::json::object data, Visibility visibility = Visibility::kPublic) {
  return EventDraft{type, now, ActorFor(actor), channel, visibility, std::move(data)};
}

EventDraft StatusChange(const Principal& actor, Timestamp now, Channel channel, CaseStatus from,
                        CaseStatus to, const std::string& reason) {
  return Draft(EventType::kStatusChanged, actor, now, channel,
               {{"from", CaseStatusName(from)}, {"to", CaseStatusName(to)}, {"reason", reason}});
}

}  // namespace

Actor ActorFor(const Principal& principal) {
  ActorKind kind = ActorKind::kSystem;
  if (principal.IsCustomer()) kind = ActorKind::kCustomer;
  if (principal.IsStaff()) kind = ActorKind::kStaff;
  return Actor{kind, principal.id, principal.display_name};
}

Result<EventDraft> OpenCase(const Principal& actor, const OpenCaseInput& input, Timestamp now) {
  if (!actor.IsStaff() && !actor.IsCustomer()) {
    return Denied("only customers and staff can open cases");
  }
  if (input.customer_id <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "customer_id: must be a positive customer id",
                "customer_id");
  }
  if (actor.IsCustomer() && input.customer_id != actor.id) {
    return Denied("a customer can open cases only for themselves");
  }
  auto subject = CheckLine("subject", input.subject, 1, kMaxSubjectChars);
  if (!subject) return Fail(subject.error());
  if (auto ok = CheckBody("body", input.body, kMaxBodyBytes, true); !ok) return Fail(ok.error());
  auto category = CheckLine("category", input.category, 0, kMaxCategoryChars);
  if (!category) return Fail(category.error());
  if (auto ok = CheckMessageChannel(input.channel); !ok) return Fail(ok.error());

  boost::json::object data = input.channel_data;
  data["customer_id"] = input.customer_id;
  data["subject"] = *subject;
  data["body"] = input.body;
  data["priority"] = PriorityName(input.priority);
  data["category"] = *category;
  if (input.public_post) {
    if (input.channel != Channel::kSocial) {
      return Fail(ErrorCode::kInvalidArgument,
                  "public: only a case opened on the social channel can come from a public post",
                  "public");
    }
    data["public"] = true;
  }
  return Draft(EventType::kCaseOpened, actor, now, input.channel, std::move(data));
}

Result<std::vector<EventDraft>> AddMessage(const CaseState& state, const Principal& actor,
                                           const std::string& body, Channel channel,
                                           Timestamp now, bool public_post) {
  if (actor.IsCustomer() && state.customer_id != actor.id) {
    // Same answer as for a case that does not exist: see CanReadCase.
    return Fail(ErrorCode::kNotFound, "no " + CaseLabel(state));
  }
  if (!actor.IsStaff() && !actor.IsCustomer()) {
    return Denied("only customers and staff can add messages");
  }
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  if (auto ok = CheckBody("body", body, kMaxBodyBytes, true); !ok) return Fail(ok.error());
  if (auto ok = CheckMessageChannel(channel); !ok) return Fail(ok.error());

  if (public_post && (!actor.IsCustomer() || channel != Channel::kSocial)) {
    return Fail(ErrorCode::kInvalidArgument,
                "public: only a customer's message on the social channel can be a public post",
                "public");
  }

  std::vector<EventDraft> events;
  if (actor.IsCustomer()) {
    boost::json::object data{{"body", body}};
    if (public_post) data["public"] = true;
    events.push_back(Draft(EventType::kMessageReceived, actor, now, channel, std::move(data)));
    // A customer writing back means the case is live again, whatever we thought.
    if (state.status == CaseStatus::kPending || state.status == CaseStatus::kSolved) {
      events.push_back(
          StatusChange(actor, now, channel, state.status, CaseStatus::kOpen, "customer replied"));
    }
  } else {
    events.push_back(Draft(EventType::kReplySent, actor, now, channel, {{"body", body}}));
    if (state.status == CaseStatus::kNew) {
      events.push_back(
          StatusChange(actor, now, channel, CaseStatus::kNew, CaseStatus::kOpen, "first reply"));
    }
  }
  return events;
}

Result<std::vector<EventDraft>> AddNote(const CaseState& state, const Principal& actor,
                                        const std::string& body, Timestamp now) {
  if (auto ok = RequireStaff(actor, "add internal notes"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  if (auto ok = CheckBody("body", body, kMaxBodyBytes, true); !ok) return Fail(ok.error());
  return std::vector<EventDraft>{Draft(EventType::kInternalNote, actor, now, Channel::kApi,
                                       {{"body", body}}, Visibility::kInternal)};
}

Result<std::vector<EventDraft>> Assign(const CaseState& state, const Principal& actor,
                                       const AssignInput& input, Timestamp now) {
  if (auto ok = RequireStaff(actor, "assign cases"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  if (input.owner_id <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "owner_id: must be a positive user id", "owner_id");
  }
  auto owner_name = CheckLine("owner_name", input.owner_name, 1, kMaxOwnerNameChars);
  if (!owner_name) return Fail(owner_name.error());
  if (state.owner_id == input.owner_id) {
    return Fail(ErrorCode::kConflict, CaseLabel(state) + " is already owned by " +
                                          state.owner_name + " (user " +
                                          std::to_string(input.owner_id) + ")");
  }
  // Taking an unowned case is free; passing one on must leave the next owner a trail.
  const bool transfer = state.owner_id.has_value();
  if (transfer) {
    const std::string what = "moving " + CaseLabel(state) + " from " + state.owner_name + " to " +
                             *owner_name + " is a transfer and needs ";
    if (TrimAsciiSpace(input.reason).empty()) {
      return Fail(ErrorCode::kInvalidArgument, "reason: " + what + "a reason", "reason");
    }
    if (TrimAsciiSpace(input.handoff_note).empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "handoff_note: " + what + "a hand-off note for the next owner", "handoff_note");
    }
  }
  auto reason = CheckShortText("reason", input.reason, kMaxReasonChars, false);
  if (!reason) return Fail(reason.error());
  if (auto ok = CheckBody("handoff_note", input.handoff_note, kMaxBodyBytes, false); !ok) {
    return Fail(ok.error());
  }

  boost::json::object data{{"owner_id", input.owner_id},
                           {"owner_name", *owner_name},
                           {"reason", *reason},
                           {"handoff_note", input.handoff_note}};
  data["previous_owner_id"] =
      state.owner_id ? boost::json::value(*state.owner_id) : boost::json::value(nullptr);
  return std::vector<EventDraft>{
      Draft(EventType::kAssigned, actor, now, Channel::kApi, std::move(data))};
}

Result<std::vector<EventDraft>> ChangeStatus(const CaseState& state, const Principal& actor,
                                             CaseStatus to, const std::string& reason,
                                             Timestamp now) {
  if (auto ok = RequireStaff(actor, "change the status of a case"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  if (to == state.status) {
    return Fail(ErrorCode::kConflict,
                CaseLabel(state) + " is already " + CaseStatusName(state.status));
  }
  // "new" means nobody has answered yet; once that is false it stays false.
  if (to == CaseStatus::kNew) {
    return Fail(ErrorCode::kInvalidArgument, "status: a case cannot move back to new", "status");
  }
  auto trimmed = CheckShortText("reason", reason, kMaxReasonChars, false);
  if (!trimmed) return Fail(trimmed.error());
  return std::vector<EventDraft>{
      StatusChange(actor, now, Channel::kApi, state.status, to, *trimmed)};
}

Result<std::vector<EventDraft>> ChangePriority(const CaseState& state, const Principal& actor,
                                               Priority to, Timestamp now) {
  if (auto ok = RequireStaff(actor, "change the priority of a case"); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  if (to == state.priority) {
    return Fail(ErrorCode::kConflict,
                CaseLabel(state) + " already has priority " + PriorityName(state.priority));
  }
  return std::vector<EventDraft>{
      Draft(EventType::kPriorityChanged, actor, now, Channel::kApi,
            {{"from", PriorityName(state.priority)}, {"to", PriorityName(to)}})};
}

Result<std::vector<EventDraft>> ChangeCategory(const CaseState& state, const Principal& actor,
                                               const std::string& to, Timestamp now) {
  if (auto ok = RequireStaff(actor, "change the category of a case"); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto category = CheckLine("category", to, 0, kMaxCategoryChars);
  if (!category) return Fail(category.error());
  if (*category == state.category) {
    return Fail(ErrorCode::kConflict,
                state.category.empty()
                    ? CaseLabel(state) + " is already uncategorised"
                    : CaseLabel(state) + " is already in category \"" + state.category + "\"");
  }
  return std::vector<EventDraft>{Draft(EventType::kCategoryChanged, actor, now, Channel::kApi,
                                       {{"from", state.category}, {"to", *category}})};
}

}  // namespace redress::domain
