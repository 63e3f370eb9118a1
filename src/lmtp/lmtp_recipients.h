// Which envelope recipients the LMTP listener accepts, and the queue each one files into.
// Ours are the [mail] addresses and their plus addresses (support+<token>@acme.example):
// a plus address whose token was altered is still ours, so that the intake can thread the
// message and record the mismatch instead of the MTA bouncing it. Everything else is
// refused at RCPT, so a misrouted message goes back to its sender instead of into a case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/mail_config.h"

namespace redress::lmtp {

class LmtpRecipients {
 public:
  /// `own_addresses` normalised ([mail] addresses); `queues` from [mail.lmtp.queues].
  LmtpRecipients(std::vector<std::string> own_addresses,
                 std::vector<std::pair<std::string, std::string>> queues);

  static LmtpRecipients From(const app::MailConfig& mail);

  /// The [mail] address `recipient` stands for (case-insensitive, +suffix removed), or
  /// nullopt when it is not ours.
  std::optional<std::string> OwnAddressOf(std::string_view recipient) const;

  /// Why `recipient` is refused, or nullopt when it is ours (email::LmtpRecipientCheck).
  std::optional<std::string> Refusal(std::string_view recipient) const;

  /// The category of cases opened by a message to `recipients`: that of the first one with
  /// a queue, "" for none.
  std::string CategoryOf(const std::vector<std::string>& recipients) const;

 private:
  std::vector<std::string> own_addresses_;
  std::vector<std::pair<std::string, std::string>> queues_;
};

}  // namespace redress::lmtp
