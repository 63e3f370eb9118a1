// Small conversions the mail tables of both backends share: directions and outbox states
// as stored text, and the recipient list as one column.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/mail_tx.h"

namespace redress::store {

inline const char* MailDirectionName(MailDirection d) {
  return d == MailDirection::kInbound ? "inbound" : "outbound";
}
inline MailDirection ParseMailDirection(std::string_view text) {
  return text == "outbound" ? MailDirection::kOutbound : MailDirection::kInbound;
}
std::optional<OutboxStatus> ParseOutboxStatus(std::string_view text);

/// Adds `count` outbox rows of status `name` to the channel status; a status this build
/// does not know is corruption, not a row to leave out of the totals.
Result<void> CountOutbox(MailChannelStatus& status, std::string_view name, int64_t count);

/// Recipients joined by '\n' (an address never contains one: the builder refuses it).
std::string JoinRecipients(const std::vector<std::string>& recipients);
std::vector<std::string> SplitRecipients(std::string_view text);

}  // namespace redress::store
