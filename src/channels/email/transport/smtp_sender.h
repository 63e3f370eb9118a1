// Sends one finished RFC 5322 message to an SMTP server (a smarthost or the recipient's
// MX) and reports, as a value, what became of each recipient. The sender moves bytes: it
// does not build, parse or sign messages, and it never retries (the outbound queue does,
// asking RetryPolicy when).
//
// What reaches the wire: the message with line endings normalised to CRLF (a CRLF message is
// sent byte for byte; see smtp_payload.h), dot-stuffed by libcurl. One connection per call.
//
// Failure classes (failure_class.h): a 5xx reply to MAIL FROM, RCPT TO or the end of DATA is
// permanent; a 4xx reply, a refused or dropped connection, a timeout, a TLS failure (also a
// server that does not offer STARTTLS under kStartTlsRequired) and a refused AUTH are
// temporary. AUTH and TLS failures are configuration problems that an operator fixes without
// touching the message, so the queue keeps the message (as Postfix defers them) instead of
// bouncing it to the customer.
//
// Partial success: with several recipients, the server may refuse some at RCPT TO and take
// the message for the others; that is a delivery (the message was sent) listing the refused
// recipients with their own class and reply, so the queue retries only those.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "channels/email/transport/failure_class.h"
#include "channels/email/transport/mail_endpoint.h"
#include "channels/email/transport/smtp_reply.h"

namespace redress::email::transport {

struct SmtpConfig {
  MailEndpoint endpoint;                // port 25/587 with STARTTLS, 465 with kImplicit
  std::string helo_name = "localhost";  // our name in EHLO; use the server's public name
};

struct SmtpEnvelope {
  std::string mail_from;                // "" is the null sender <> (for bounces)
  std::vector<std::string> recipients;  // bare addresses, no angle brackets
};

struct RecipientRejection {
  std::string address;
  FailureClass failure = FailureClass::kTemporary;
  SmtpReply reply;  // code 0 if the server never answered for this recipient
};

/// The server took responsibility for the message for every address in `accepted`.
struct SmtpDelivery {
  std::vector<std::string> accepted;
  std::vector<RecipientRejection> rejected;  // refused at RCPT TO; not sent to them
  SmtpReply reply;                           // the server's reply to the end of DATA
};

enum class SmtpFailureKind {
  kInvalidRequest,  // bad envelope or message (nothing was sent); permanent
  kConnect,         // could not resolve or connect
  kTimeout,         // connect or operation timeout
  kTls,             // handshake, certificate or required-STARTTLS failure
  kAuth,            // the server refused our credentials
  kRejected,        // the server refused the sender, every recipient, or the message
  kProtocol,        // the conversation broke off or made no sense
};

/// The stable lowercase name ("rejected").
const char* SmtpFailureKindName(SmtpFailureKind kind);

/// Nothing was delivered to anyone.
struct SmtpFailure {
  FailureClass failure = FailureClass::kTemporary;
  SmtpFailureKind kind = SmtpFailureKind::kProtocol;
  std::string message;  // for a log or a case event; never contains the password
  SmtpReply reply;      // the server's last reply, if any
  std::vector<RecipientRejection> rejected;  // when every recipient was refused
};

using SmtpOutcome = tl::expected<SmtpDelivery, SmtpFailure>;

/// Sends `message` to `envelope.recipients`. Blocking; at most about
/// endpoint.connect_timeout + endpoint.operation_timeout. Thread-safe (no shared state).
SmtpOutcome SendMail(const SmtpConfig& config, const SmtpEnvelope& envelope,
                     std::string_view message);

}  // namespace redress::email::transport
