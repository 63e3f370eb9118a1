// The checks every case command shares: who may act, on which case, and how a draft is
// built. case_commands.cc predates this file and keeps its own copies of the first few.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"

namespace redress::domain {

inline constexpr size_t kMaxEvidenceItems = 20;
inline constexpr size_t kMaxEvidenceRefChars = 200;
/// An inline photo (a `data:image/...;base64,` URL) until attachments have their own
/// store: the evidence is then part of the hash-chained record itself.
inline constexpr size_t kMaxEvidenceImageChars = 400 * 1024;
inline constexpr size_t kMaxEvidenceImages = 3;

std::string CaseLabel(const CaseState& s);  // "case 12"

tl::unexpected<Error> Denied(std::string message);
tl::unexpected<Error> Invalid(std::string_view field, const std::string& problem);

Result<void> RequireStaff(const Principal& actor, const char* action);
Result<void> RequireNotClosed(const CaseState& s);

/// A customer acting on another customer's case gets kNotFound, exactly as for a case that
/// does not exist (see CanReadCase); staff and the system pass.
Result<void> RequireOwnCaseIfCustomer(const CaseState& s, const Principal& actor);

/// Evidence: at most kMaxEvidenceItems items, each either a reference (attachment id, URL:
/// one line of 1..kMaxEvidenceRefChars characters) or an inline photo, a base64 data URL
/// of image/png, image/jpeg or image/webp of at most kMaxEvidenceImageChars characters
/// (at most kMaxEvidenceImages of them). Returns them trimmed, as a JSON array.
Result<boost::json::array> CheckEvidence(const std::vector<std::string>& evidence);

/// Customer actions arrive on the web; staff actions on the API; the system's on "system".
Channel ChannelOf(const Principal& actor);

EventDraft MakeDraft(EventType type, const Principal& actor, Timestamp now,
                     boost::json::object data, Visibility visibility = Visibility::kPublic);

}  // namespace redress::domain
