// Reading the few untagged IMAP responses the mailbox needs (RFC 3501 7.2.4 SEARCH, 7.2.5
// STATUS), and writing folder names and UID sets for commands. libcurl hands untagged responses of
// a custom command to us as text; these functions turn that text into values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace redress::email::transport {

/// The UIDVALIDITY in a "* STATUS <folder> (... UIDVALIDITY n ...)" or
/// "* OK [UIDVALIDITY n]" response; nullopt if there is none.
std::optional<uint32_t> ParseUidValidity(std::string_view responses);

/// Every number of the "* SEARCH n n ..." responses, in ascending order without duplicates.
/// kInvalidArgument if a SEARCH line holds something that is not a number.
Result<std::vector<uint32_t>> ParseSearchUids(std::string_view responses);

/// `folder` as an IMAP quoted string ("INBOX" → "\"INBOX\"", backslash and quote escaped).
/// kInvalidArgument for an empty name, control characters, or non-ASCII characters: such
/// names travel in modified UTF-7 (RFC 3501 5.1.3), which Redress does not encode, so a
/// mailbox configured with one is refused at start with this message rather than misnamed.
Result<std::string> QuoteFolderName(std::string_view folder);

/// A sequence set (RFC 3501 9, "sequence-set") naming exactly `uids`, runs of consecutive
/// UIDs written as ranges: {1, 2, 3, 7, 9, 10} → "1:3,7,9:10". `uids` must be ascending
/// and not empty, so that one UID STORE or UID MOVE covers a whole chunk of messages.
std::string UidSet(std::span<const uint32_t> uids);

}  // namespace redress::email::transport
