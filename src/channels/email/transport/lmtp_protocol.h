// The server side of LMTP (RFC 2033), without I/O: bytes from the client go in, the
// replies to write come out, and a complete message is handed to the caller, who stores it
// and says how that went. LMTP is how an MTA (Postfix `lmtp:`, Exim `lmtp` transport)
// delivers to a mail store over one long connection, many messages after each other and
// with PIPELINING, instead of starting a pipe program per message.
//
// The difference from SMTP that matters here: after the end of DATA the server answers once
// per accepted recipient, so each answer is a statement that the message is stored (2xx),
// must be retried (4xx) or is refused (5xx). The caller files a message ONCE, whatever the
// number of recipients, and the same answer goes to each of them.
//
// Accepted: LHLO, MAIL FROM (SIZE, BODY=7BIT/8BITMIME, SMTPUTF8), RCPT TO, DATA, RSET,
// NOOP, VRFY (252), HELP, QUIT. Lines may end in CRLF or a bare LF; the message bytes are
// kept as received, only dot-unstuffed. A message over max_message_bytes is read to its end
// (so the session stays in step) but not kept, and refused with 552 for every recipient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redress::email {

struct LmtpLimits {
  int64_t max_message_bytes = int64_t{25} << 20;
  int max_recipients = 100;
  size_t max_command_line = 2048;  // longer command lines are refused (500 5.5.2)
  int max_errors = 20;             // bad commands before the server says 421 and hangs up
};

/// A message the client finished sending.
struct LmtpMessage {
  std::string reverse_path;             // MAIL FROM, without the brackets; "" for <>
  std::vector<std::string> recipients;  // the accepted RCPT TO addresses, as sent
  std::string data;                     // the message, dot-unstuffed, line ends as sent
};

/// What became of a message: one reply, sent once per accepted recipient.
struct LmtpReply {
  int code = 250;               // 2xx stored, 4xx try again later, 5xx refused
  std::string enhanced_status;  // RFC 3463, e.g. "2.0.0"
  std::string text;
};

/// Decides whether a recipient is ours: nullopt to accept it, or why it is refused.
using LmtpRecipientCheck = std::function<std::optional<std::string>(std::string_view address)>;

class LmtpSession {
 public:
  LmtpSession(std::string host_name, LmtpLimits limits, LmtpRecipientCheck check);

  /// The "220" line the server sends first.
  std::string Greeting() const;

  struct Step {
    std::string replies;                 // write these, in order
    std::optional<LmtpMessage> message;  // file it, then call Delivered()
    bool close = false;                  // hang up once `replies` is written
  };

  /// Takes the bytes read from the client and works through them until a message is
  /// complete, the input runs out, or the client quits. Must not be called while a message
  /// awaits Delivered().
  Step Receive(std::string_view bytes);

  /// The outcome of the message last returned: its replies, then whatever the client
  /// had already pipelined after it.
  Step Delivered(const LmtpReply& reply);

  bool awaiting_delivery() const { return awaiting_delivery_; }
  /// True between DATA's 354 and the final dot: the caller may allow a longer read timeout.
  bool in_data() const { return state_ == State::kData; }

 private:
  enum class State { kCommand, kData };

  Step Advance();
  void Command(std::string_view line, Step& step);
  void Lhlo(std::string_view argument, Step& step);
  void Mail(std::string_view argument, Step& step);
  void Rcpt(std::string_view argument, Step& step);
  void Data(std::string_view argument, Step& step);
  // Consumes data-mode input; true when the final dot was read.
  bool TakeData();
  void FinishData(Step& step);
  void ResetTransaction();
  void Reply(Step& step, int code, std::string_view enhanced, std::string_view text);
  void Refuse(Step& step, int code, std::string_view enhanced, std::string_view text);

  const std::string host_name_;
  const LmtpLimits limits_;
  const LmtpRecipientCheck check_;

  std::string input_;  // received, not yet consumed
  State state_ = State::kCommand;
  bool greeted_ = false;
  bool in_transaction_ = false;   // MAIL FROM accepted
  bool discarding_line_ = false;  // the rest of an over-long command line is dropped
  bool awaiting_delivery_ = false;
  bool closed_ = false;
  int errors_ = 0;

  // The transaction.
  std::string reverse_path_;
  std::vector<std::string> recipients_;
  std::string data_;
  bool data_at_line_start_ = true;
  bool data_too_large_ = false;
};

}  // namespace redress::email
