// Canned replies: short texts staff insert into the reply composer, with placeholders
// ({{customer.name}}, {{customer.email}}, {{case.id}}, {{case.subject}}, {{agent.name}})
// that the composer fills in. The whole list is one shared setting (store::Setting
// "canned_replies"): it is small (at most kMaxCannedReplies entries), read on every
// composer open and changed rarely, by supervisors and admins.
//
// Edits are optimistic: an edit reads the list and its version, changes it in memory and
// stores it in a write that checks the version grew by exactly one (see
// StoreEdited in http/api/canned_replies_api.cc), so two admins editing at once never lose each
// other's change silently: the second gets a conflict and retries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace redress::app {

inline constexpr const char* kCannedRepliesSetting = "canned_replies";
inline constexpr size_t kMaxCannedReplies = 500;
inline constexpr size_t kMaxCannedTitle = 120;
inline constexpr size_t kMaxCannedBody = 8000;

struct CannedReply {
  int64_t id = 0;
  std::string title;
  std::string body;
  Timestamp updated_at{};
};

struct CannedReplyList {
  int64_t next_id = 1;
  std::vector<CannedReply> items;  // in title order (case-insensitive), then id
};

/// The placeholder names the composer knows how to fill, e.g. "customer.name".
const std::vector<std::string>& CannedPlaceholders();

/// Checks a title and body: non-empty, within the size limits, valid UTF-8, and every
/// "{{name}}" one of CannedPlaceholders(). kInvalidArgument names the field and, for an
/// unknown placeholder, the placeholder.
Result<void> ValidateCannedReply(const std::string& title, const std::string& body);

/// The stored form (JSON) and back. An empty setting value is the empty list.
std::string EncodeCannedReplies(const CannedReplyList& list);
Result<CannedReplyList> DecodeCannedReplies(const std::string& stored);

/// Adds a reply with the next id (kConflict past kMaxCannedReplies) and returns it.
Result<CannedReply> AddCannedReply(CannedReplyList& list, std::string title, std::string body,
                                   Timestamp now);
/// Replaces the title and body of reply `id`; kNotFound if there is none.
Result<CannedReply> UpdateCannedReply(CannedReplyList& list, int64_t id, std::string title,
                                      std::string body, Timestamp now);
/// Removes reply `id`; kNotFound if there is none.
Result<void> RemoveCannedReply(CannedReplyList& list, int64_t id);

}  // namespace redress::app
