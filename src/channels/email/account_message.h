// Mail about a person's account rather than a case (a one-time sign-in link): a plain
// text message with no thread tokens, marked as automatic (RFC 3834 "auto-generated") so
// that other systems do not answer it. Built with GMime like case mail (outbound_message.h),
// so headers are encoded and folded and the body survives 7-bit transports.
#pragma once

#include <string>

#include "channels/email/mime_message.h"
#include "core/clock.h"
#include "core/result.h"

namespace redress::email {

struct AccountMessage {
  Mailbox from;
  Mailbox to;
  std::string subject;
  std::string text_body;  // UTF-8
  Timestamp date{};
  std::string unique;  // unique part of the Message-ID; random when empty
};

struct BuiltAccountMessage {
  std::string message_id;  // without angle brackets
  std::string bytes;       // RFC 5322 with CRLF line ends, ready for SMTP DATA
};

/// kInvalidArgument without a sender or recipient address, or without text.
Result<BuiltAccountMessage> BuildAccountMessage(const AccountMessage& message);

}  // namespace redress::email
