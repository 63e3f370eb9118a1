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

namespace {

// A base64 data URL of a photo: the media type named, the payload only base64 characters.
Result<void> CheckInlineImage(const std::string& field, std::string_view url) {
  constexpr std::string_view kTypes[] = {"data:image/png;base64,", "data:image/jpeg;base64,",
                                         "data:image/webp;base64,"};
  std::string_view payload;
  for (std::string_view prefix : kTypes) {
    if (url.starts_with(prefix)) payload = url.substr(prefix.size());
  }
  if (payload.empty()) {
    return Invalid(field,
                   "an inline photo must be a base64 data URL of image/png, image/jpeg or "
                   "image/webp");
  }
  if (url.size() > kMaxEvidenceImageChars) {
    return Invalid(field, "a photo may be at most " +
                              std::to_string(kMaxEvidenceImageChars / 1024) +
                              " KiB as a data URL (got " + std::to_string(url.size() / 1024) +
                              " KiB); send a smaller one");
  }
  for (char ch : payload) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '+' || ch == '/' || ch == '=';
    if (!ok) return Invalid(field, "the photo's data is not base64");
  }
  return {};
}

}  // namespace

Result<boost::json::array> CheckEvidence(const std::vector<std::string>& evidence) {
  if (evidence.size() > kMaxEvidenceItems) {
    return Invalid("evidence", "at most " + std::to_string(kMaxEvidenceItems) + " items (got " +
                                   std::to_string(evidence.size()) + ")");
  }
  boost::json::array out;
  size_t images = 0;
  for (size_t i = 0; i < evidence.size(); ++i) {
    const std::string field = "evidence[" + std::to_string(i) + "]";
    if (evidence[i].starts_with("data:")) {
      auto image = CheckInlineImage(field, evidence[i]);
      if (!image) return Fail(image.error());
      if (++images > kMaxEvidenceImages) {
        return Invalid(field, "at most " + std::to_string(kMaxEvidenceImages) + " photos");
      }
      out.push_back(boost::json::value(evidence[i]));
      continue;
    }
    auto ref = CheckLine(field, evidence[i], 1, kMaxEvidenceRefChars);
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
