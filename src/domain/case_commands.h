// What may happen to a case, decided without I/O. Each function takes the current state,
// who is acting and the input, and either returns the events to append or an Error saying
// precisely why not. The caller (app/case_service) appends the events to the log and
// folds them into the projection in one transaction.
//
// Common rules: a closed case accepts no command (kConflict "case 12 is closed"); the
// system principal may not act through these commands (kPermissionDenied). Messages keep
// the channel they came on (never "system"); an automatic status change rides on the
// channel of the message that caused it; staff actions without a channel parameter (notes,
// assignment, status, priority, category) are recorded on Channel::kApi.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"

namespace redress::domain {

inline constexpr size_t kMaxSubjectChars = 300;
inline constexpr size_t kMaxBodyBytes = 256 * 1024;
inline constexpr size_t kMaxReasonChars = 2000;
inline constexpr size_t kMaxCategoryChars = 100;

struct OpenCaseInput {
  int64_t customer_id = 0;
  std::string subject;
  std::string body;
  Channel channel = Channel::kWeb;
  Priority priority = Priority::kNormal;
  std::string category;
  /// The customer raised this in a public social-media post (channel social only): the
  /// case_opened event carries "public": true, which the social-media trigger escalates.
  bool public_post = false;
  /// Extra payload a channel records with the opening (email: message_id, mail_kind);
  /// the fields above win over a key of the same name.
  boost::json::object channel_data;
};

/// The first event of a new case with id `case_id`. Staff may open a case for any customer;
/// a customer only for themselves (kPermissionDenied otherwise). Subject: 1-300 characters
/// after trimming, no control characters; body: 1 byte to kMaxBodyBytes of valid UTF-8.
Result<EventDraft> OpenCase(const Principal& actor, const OpenCaseInput& input, Timestamp now);

/// A message on the case by whoever is calling: from a customer it is `message_received`
/// (and reopens a pending or solved case with a `status_changed`), from staff it is a public
/// `reply_sent` (and moves a `new` case to `open`). Closed cases accept nothing (kConflict).
/// A customer writing on another customer's case gets kNotFound, as for a missing case.
/// `public_post`: the customer's message is a public social-media post (channel social,
/// customers only; kInvalidArgument on "public" otherwise), recorded as "public": true.
Result<std::vector<EventDraft>> AddMessage(const CaseState& state, const Principal& actor,
                                           const std::string& body, Channel channel,
                                           Timestamp now, bool public_post = false);

/// An internal note; staff only.
Result<std::vector<EventDraft>> AddNote(const CaseState& state, const Principal& actor,
                                        const std::string& body, Timestamp now);

struct AssignInput {
  int64_t owner_id = 0;
  std::string owner_name;  // resolved by the caller from the user record
  std::string reason;
  std::string handoff_note;
};

/// Gives the case an owner. "Whoever gets the complaint owns the complaint": taking an
/// unowned case needs nothing more, but moving it from one owner to another is a transfer
/// and needs both a reason and a hand-off note for the next owner. Staff only.
Result<std::vector<EventDraft>> Assign(const CaseState& state, const Principal& actor,
                                       const AssignInput& input, Timestamp now);

/// Moves the case to another status. Staff only; `closed` is final; nothing moves back
/// to `new` (kInvalidArgument, field "status"); a no-op change is kConflict so clients learn
/// their view was stale. The reason is optional, at most kMaxReasonChars.
Result<std::vector<EventDraft>> ChangeStatus(const CaseState& state, const Principal& actor,
                                             CaseStatus to, const std::string& reason,
                                             Timestamp now);

Result<std::vector<EventDraft>> ChangePriority(const CaseState& state, const Principal& actor,
                                               Priority to, Timestamp now);

Result<std::vector<EventDraft>> ChangeCategory(const CaseState& state, const Principal& actor,
                                               const std::string& to, Timestamp now);

/// The actor recorded on events caused by `principal`.
Actor ActorFor(const Principal& principal);

}  // namespace redress::domain
