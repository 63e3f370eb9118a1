#include "domain/command_rules.h"

#include <boost/json/array.hpp>
#include <utility>

#include "domain/case_commands.h"
#include "domain/text_fields.h"

namespace redress::domain {

std::string CaseLabel(const CaseState& s) { return "case " + std::to_string(s.id); }

tl::unexpected<Error> Denied(std::string message) {
  return Fail(ErrorCode::kPermissionDenied, std::move(message));
}

tl::unexpected<Error> Invalid(std::string_view field, const std::string& problem) {
  return Fail(ErrorCode::kInvalidArgument, std::string(field) + ": " + problem, std::string(field));
}

Result<void> RequireStaff(const Principal& actor, const char* action) {
  if (!actor.IsStaff()) return Denied(std::string("only staff can ") + action);
  return {};
}

Result<void> RequireNotClosed(const CaseState& s) {
  if (s.status == CaseStatus::kClosed) {
    return Fail(ErrorCode::kConflict, CaseLabel(s) + " is closed");
  }
  return {};
}

Result<void> RequireOwnCaseIfCustomer(const CaseState& s, const Principal& actor) {
  if (actor.IsCustomer() && (actor.id <= 0 || s.customer_id != actor.id)) {
    return Fail(ErrorCode::kNotFound, "no " + CaseLabel(s));
  }
  return {};
}

Result<boost::json::array> CheckEvidence(const std::vector<std::string>& evidence) {
  if (evidence.size() > kMaxEvidenceItems) {
    return Invalid("evidence", "at most " + std::to_string(kMaxEvidenceItems) + " items (got " +
                                   std::to_string(evidence.size()) + ")");
  }
  boost::json::array out;
  for (size_t i = 0; i < evidence.size(); ++i) {
    auto ref =
        CheckLine("evidence[" + std::to_string(i) + "]", evidence[i], 1, kMaxEvidenceRefChars);
    if (!ref) return Fail(ref.error());
    out.push_back(boost::json::value(*ref));
  }
  return out;
}

Channel ChannelOf(const Principal& actor) {
  if (actor.IsCustomer()) return Channel::kWeb;
  if (actor.IsStaff()) return Channel::kApi;
  return Channel::kSystem;
}

EventDraft MakeDraft(EventType type, const Principal& actor, Timestamp now,
                     boost::json::object data, Visibility visibility) {
  return EventDraft{type, now, ActorFor(actor), ChannelOf(actor), visibility, std::move(data)};
}

}  // namespace redress::domain
