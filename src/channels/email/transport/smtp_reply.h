// Reading SMTP replies out of the record of a conversation (CurlSession::wire()). libcurl
// reports one result per transfer; which recipient the server refused, and in which words,
// is only in the replies, so the sender pairs each RCPT TO with the reply that followed it.
// curl never pipelines SMTP commands, so the reply after a command is that command's reply.
#pragma once

#include <string>
#include <vector>

#include "channels/email/transport/curl_session.h"

namespace redress::email::transport {

struct SmtpReply {
  int code = 0;      // 250, 451, 550 ...; 0 when the server gave no reply
  std::string text;  // the reply lines as sent (code included), joined by "\n"
};

struct RecipientReply {
  std::string address;  // as in RCPT TO:<address>
  SmtpReply reply;
};

/// The reply that starts at wire[index] (a multi-line reply "250-a" ... "250 z" is one
/// reply); index is advanced past it. A line that does not start with three digits ends the
/// reply with code 0.
SmtpReply ReadSmtpReply(const std::vector<WireLine>& wire, size_t& index);

/// Every RCPT TO in `wire`, in order, with the server's reply to it (code 0 if the
/// conversation ended first).
std::vector<RecipientReply> RecipientReplies(const std::vector<WireLine>& wire);

/// The server's last reply with a code of 400 or more (its complaint), else its last reply
/// (so a "221 Bye" after the failure does not hide the "550 ..." before it).
SmtpReply LastComplaint(const std::vector<WireLine>& wire);

/// The address between the angle brackets of "RCPT TO:<a@b> ..." (or "MAIL FROM:<>").
std::string EnvelopeAddressOf(const std::string& command);

}  // namespace redress::email::transport
