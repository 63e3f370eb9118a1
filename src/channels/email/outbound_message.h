// Outgoing mail for a case, built with GMime so that every header is properly encoded
// (RFC 2047 for non-ASCII names and subjects, folded lines, CRLF) and every part has a
// transfer encoding that survives 7-bit transports. Each message carries the three
// thread tokens (see thread_token.h) and In-Reply-To/References, so the customer's own
// client (Gmail, Outlook, Thunderbird) shows one conversation and the reply finds its case.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "channels/email/mime_message.h"
#include "channels/email/thread_token.h"
#include "core/clock.h"
#include "core/result.h"

namespace redress::email {

struct OutboundMessage {
  int64_t case_id = 0;
  Mailbox from;             // our mailbox, e.g. {"Acme Support", "support@acme.example"}
  std::vector<Mailbox> to;  // at least one
  std::vector<Mailbox> cc;
  std::string subject;    // "[Redress #N]" is appended unless already present
  std::string text_body;  // UTF-8, required
  std::string html_body;  // UTF-8, optional: then multipart/alternative
  Timestamp date{};
  /// The message being answered (the customer's last Message-ID, no angle brackets).
  std::string in_reply_to;
  /// Message-IDs of the case so far, oldest first. Long threads are cut to the first id and
  /// the most recent ones (clients and servers reject very long References headers).
  std::vector<std::string> references;
  /// Acknowledgements and other automatic mail: adds "Auto-Submitted: auto-replied" and
  /// "X-Auto-Response-Suppress: All" so that other systems do not answer them (RFC 3834).
  bool automatic = false;
  /// Unique part of the Message-ID; random when empty (tests set it).
  std::string unique;
};

struct BuiltMessage {
  std::string message_id;  // without angle brackets
  std::string reply_to;    // the signed plus address
  std::string bytes;       // RFC 5322 with CRLF line ends, ready for SMTP DATA
};

/// kInvalidArgument if there is no recipient, no sender address, no case id or no text.
Result<BuiltMessage> BuildOutboundMessage(const OutboundMessage& message,
                                          const ThreadTokenSigner& signer);

}  // namespace redress::email
