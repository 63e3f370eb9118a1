#include "lmtp/lmtp_recipients.h"

#include <algorithm>

#include "core/ascii.h"

namespace redress::lmtp {

LmtpRecipients::LmtpRecipients(std::vector<std::string> own_addresses,
                               std::vector<std::pair<std::string, std::string>> queues)
    : own_addresses_(std::move(own_addresses)), queues_(std::move(queues)) {}

LmtpRecipients LmtpRecipients::From(const app::MailConfig& mail) {
  return LmtpRecipients(mail.addresses, mail.lmtp
                                            ? mail.lmtp->queues
                                            : std::vector<std::pair<std::string, std::string>>{});
}

std::optional<std::string> LmtpRecipients::OwnAddressOf(std::string_view recipient) const {
  std::string address = AsciiLower(TrimAsciiSpace(recipient));
  const size_t at = address.rfind('@');
  if (at == std::string::npos || at == 0) return std::nullopt;
  const size_t plus = address.find('+');
  if (plus != std::string::npos && plus < at) address.erase(plus, at - plus);
  if (std::find(own_addresses_.begin(), own_addresses_.end(), address) == own_addresses_.end()) {
    return std::nullopt;
  }
  return address;
}

std::optional<std::string> LmtpRecipients::Refusal(std::string_view recipient) const {
  if (OwnAddressOf(recipient)) return std::nullopt;
  return "is not a mailbox of this help desk ([mail] addresses)";
}

std::string LmtpRecipients::CategoryOf(const std::vector<std::string>& recipients) const {
  for (const std::string& recipient : recipients) {
    const auto own = OwnAddressOf(recipient);
    if (!own) continue;
    for (const auto& [address, category] : queues_) {
      if (address == *own) return category;
    }
  }
  return "";
}

}  // namespace redress::lmtp
