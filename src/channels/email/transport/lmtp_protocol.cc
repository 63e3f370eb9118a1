#include "channels/email/transport/lmtp_protocol.h"

#include <charconv>
#include <utility>

#include "core/ascii.h"

namespace redress::email {
namespace {

// `line` starts with `word` (any case) followed by the end or a space.
bool IsVerb(std::string_view line, std::string_view word) {
  if (line.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (AsciiToLower(line[i]) != AsciiToLower(word[i])) return false;
  }
  return line.size() == word.size() || line[word.size()] == ' ';
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiToLower(s[i]) != AsciiToLower(prefix[i])) return false;
  }
  return true;
}

std::string_view ArgumentOf(std::string_view line, std::string_view verb) {
  return TrimAsciiSpace(line.substr(verb.size()));
}

// Splits "FROM:<a@b> SIZE=12" after its keyword into the path (without brackets) and the
// parameters. False when there is no <...> path.
bool SplitPath(std::string_view argument, std::string_view keyword, std::string& path,
               std::string_view& parameters) {
  if (!StartsWithNoCase(argument, keyword)) return false;
  std::string_view rest = TrimAsciiSpace(argument.substr(keyword.size()));
  if (rest.empty() || rest.front() != '<') return false;
  const size_t close = rest.find('>');
  if (close == std::string_view::npos) return false;
  path = std::string(rest.substr(1, close - 1));
  parameters = TrimAsciiSpace(rest.substr(close + 1));
  return true;
}

// The next space-separated word of `s`, consumed.
std::string_view NextWord(std::string_view& s) {
  s = TrimAsciiSpace(s);
  const size_t end = s.find(' ');
  std::string_view word = s.substr(0, end);
  s = end == std::string_view::npos ? std::string_view{} : s.substr(end + 1);
  return word;
}

}  // namespace

LmtpSession::LmtpSession(std::string host_name, LmtpLimits limits, LmtpRecipientCheck check)
    : host_name_(std::move(host_name)), limits_(limits), check_(std::move(check)) {}

std::string LmtpSession::Greeting() const {
  return "220 " + host_name_ + " LMTP Redress ready\r\n";
}

LmtpSession::Step LmtpSession::Receive(std::string_view bytes) {
  input_.append(bytes);
  return Advance();
}

LmtpSession::Step LmtpSession::Delivered(const LmtpReply& reply) {
  Step step;
  if (!awaiting_delivery_) return step;
  for (const std::string& recipient : recipients_) {
    Reply(step, reply.code, reply.enhanced_status, "<" + recipient + "> " + reply.text);
  }
  awaiting_delivery_ = false;
  ResetTransaction();
  Step rest = Advance();
  step.replies += rest.replies;
  step.message = std::move(rest.message);
  step.close = rest.close;
  return step;
}

LmtpSession::Step LmtpSession::Advance() {
  Step step;
  while (!closed_ && !awaiting_delivery_) {
    if (state_ == State::kData) {
      if (!TakeData()) break;
      FinishData(step);
      continue;
    }
    const size_t newline = input_.find('\n');
    if (newline == std::string::npos) {
      if (input_.size() > limits_.max_command_line) {
        // The client is still sending one enormous line: answer once, drop it as it comes.
        if (!discarding_line_) Refuse(step, 500, "5.5.2", "line too long");
        discarding_line_ = true;
        input_.clear();
      }
      break;
    }
    std::string line = input_.substr(0, newline);
    input_.erase(0, newline + 1);
    if (discarding_line_) {
      discarding_line_ = false;
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > limits_.max_command_line) {
      Refuse(step, 500, "5.5.2", "line too long");
      continue;
    }
    Command(line, step);
  }
  if (closed_) step.close = true;
  return step;
}

void LmtpSession::Command(std::string_view line, Step& step) {
  if (IsVerb(line, "LHLO")) return Lhlo(ArgumentOf(line, "LHLO"), step);
  if (IsVerb(line, "MAIL")) return Mail(ArgumentOf(line, "MAIL"), step);
  if (IsVerb(line, "RCPT")) return Rcpt(ArgumentOf(line, "RCPT"), step);
  if (IsVerb(line, "DATA")) return Data(ArgumentOf(line, "DATA"), step);
  if (IsVerb(line, "RSET")) {
    ResetTransaction();
    return Reply(step, 250, "2.0.0", "reset");
  }
  if (IsVerb(line, "NOOP")) return Reply(step, 250, "2.0.0", "ok");
  if (IsVerb(line, "QUIT")) {
    Reply(step, 221, "2.0.0", host_name_ + " closing connection");
    closed_ = true;
    return;
  }
  if (IsVerb(line, "VRFY")) return Reply(step, 252, "2.5.2", "cannot verify, send the mail");
  if (IsVerb(line, "HELP")) {
    return Reply(step, 214, "2.0.0", "LHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT (RFC 2033)");
  }
  if (IsVerb(line, "HELO") || IsVerb(line, "EHLO")) {
    return Refuse(step, 500, "5.5.1", "this is an LMTP server: greet it with LHLO");
  }
  if (line.empty()) return Refuse(step, 500, "5.5.2", "empty command");
  Refuse(step, 500, "5.5.1", "command not recognised");
}

void LmtpSession::Lhlo(std::string_view argument, Step& step) {
  if (argument.empty()) return Refuse(step, 501, "5.5.4", "LHLO needs the client's host name");
  ResetTransaction();
  greeted_ = true;
  step.replies += "250-" + host_name_ + "\r\n";
  step.replies += "250-PIPELINING\r\n";
  step.replies += "250-ENHANCEDSTATUSCODES\r\n";
  step.replies += "250-8BITMIME\r\n";
  step.replies += "250-SMTPUTF8\r\n";
  step.replies += "250 SIZE " + std::to_string(limits_.max_message_bytes) + "\r\n";
}

void LmtpSession::Mail(std::string_view argument, Step& step) {
  if (!greeted_) return Refuse(step, 503, "5.5.1", "send LHLO first");
  if (in_transaction_) return Refuse(step, 503, "5.5.1", "a MAIL command was already given");
  std::string path;
  std::string_view parameters;
  if (!SplitPath(argument, "FROM:", path, parameters)) {
    return Refuse(step, 501, "5.5.4", "syntax: MAIL FROM:<address> [parameters]");
  }
  while (!parameters.empty()) {
    const std::string_view parameter = NextWord(parameters);
    if (parameter.empty()) break;
    if (StartsWithNoCase(parameter, "SIZE=")) {
      const std::string_view digits = parameter.substr(5);
      int64_t size = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), size);
      if (ec != std::errc{} || end != digits.data() + digits.size() || size < 0) {
        return Refuse(step, 501, "5.5.4", "SIZE must be a number of bytes");
      }
      if (size > limits_.max_message_bytes) {
        return Refuse(step, 552, "5.3.4",
                      "message of " + std::to_string(size) + " bytes is over the limit of " +
                          std::to_string(limits_.max_message_bytes));
      }
    } else if (StartsWithNoCase(parameter, "BODY=")) {
      const std::string body = AsciiLower(parameter.substr(5));
      if (body != "7bit" && body != "8bitmime") {
        return Refuse(step, 501, "5.5.4", "BODY must be 7BIT or 8BITMIME");
      }
    } else if (AsciiLower(parameter) != "smtputf8") {
      return Refuse(step, 555, "5.5.4", "MAIL parameter not recognised: " + std::string(parameter));
    }
  }
  in_transaction_ = true;
  reverse_path_ = std::move(path);
  Reply(step, 250, "2.1.0", "sender ok");
}

void LmtpSession::Rcpt(std::string_view argument, Step& step) {
  if (!in_transaction_) return Refuse(step, 503, "5.5.1", "send MAIL first");
  std::string path;
  std::string_view parameters;
  if (!SplitPath(argument, "TO:", path, parameters) || path.empty()) {
    return Refuse(step, 501, "5.5.4", "syntax: RCPT TO:<address>");
  }
  if (!parameters.empty()) {
    return Refuse(step, 555, "5.5.4",
                  "RCPT parameter not recognised: " + std::string(NextWord(parameters)));
  }
  if (static_cast<int>(recipients_.size()) >= limits_.max_recipients) {
    // Temporary: the MTA sends the rest in a later transaction.
    return Reply(step, 452, "4.5.3", "too many recipients in one message");
  }
  if (auto refusal = check_(path)) return Reply(step, 550, "5.1.1", "<" + path + "> " + *refusal);
  recipients_.push_back(std::move(path));
  Reply(step, 250, "2.1.5", "recipient ok");
}

void LmtpSession::Data(std::string_view argument, Step& step) {
  if (!argument.empty()) return Refuse(step, 501, "5.5.4", "DATA takes no argument");
  if (!in_transaction_) return Refuse(step, 503, "5.5.1", "send MAIL first");
  if (recipients_.empty()) return Refuse(step, 503, "5.5.1", "no valid recipients");
  state_ = State::kData;
  data_.clear();
  data_at_line_start_ = true;
  data_too_large_ = false;
  Reply(step, 354, "", "end the message with <CR><LF>.<CR><LF>");
}

bool LmtpSession::TakeData() {
  size_t pos = 0;
  auto keep = [&](std::string_view bytes) {
    if (data_too_large_) return;
    if (static_cast<int64_t>(data_.size() + bytes.size()) > limits_.max_message_bytes) {
      data_too_large_ = true;
      data_.clear();
      data_.shrink_to_fit();
      return;
    }
    data_.append(bytes);
  };
  bool finished = false;
  while (pos < input_.size()) {
    if (data_at_line_start_ && input_[pos] == '.') {
      // ".\r\n" or ".\n" ends the message; any other leading dot was added by the client.
      const std::string_view rest(input_.data() + pos, input_.size() - pos);
      if (rest == "." || rest == ".\r") break;  // cannot tell yet
      if (rest.starts_with(".\n")) {
        pos += 2;
        finished = true;
        break;
      }
      if (rest.starts_with(".\r\n")) {
        pos += 3;
        finished = true;
        break;
      }
      ++pos;  // dot-unstuff
    }
    const size_t newline = input_.find('\n', pos);
    if (newline == std::string::npos) {
      keep(std::string_view(input_.data() + pos, input_.size() - pos));
      pos = input_.size();
      data_at_line_start_ = false;
      break;
    }
    keep(std::string_view(input_.data() + pos, newline + 1 - pos));
    pos = newline + 1;
    data_at_line_start_ = true;
  }
  input_.erase(0, pos);
  return finished;
}

void LmtpSession::FinishData(Step& step) {
  state_ = State::kCommand;
  if (data_too_large_) {
    for (const std::string& recipient : recipients_) {
      Reply(step, 552, "5.3.4",
            "<" + recipient + "> message is over the limit of " +
                std::to_string(limits_.max_message_bytes) + " bytes");
    }
    ResetTransaction();
    return;
  }
  step.message = LmtpMessage{reverse_path_, recipients_, std::move(data_)};
  data_.clear();
  awaiting_delivery_ = true;
}

void LmtpSession::ResetTransaction() {
  in_transaction_ = false;
  reverse_path_.clear();
  recipients_.clear();
  data_.clear();
  data_too_large_ = false;
}

void LmtpSession::Reply(Step& step, int code, std::string_view enhanced, std::string_view text) {
  step.replies += std::to_string(code);
  step.replies += ' ';
  if (!enhanced.empty()) {
    step.replies += enhanced;
    step.replies += ' ';
  }
  // A reply is one line: a CR or LF inside `text` (from an address) must not end it.
  for (char c : text) step.replies += (c == '\r' || c == '\n') ? ' ' : c;
  step.replies += "\r\n";
}

void LmtpSession::Refuse(Step& step, int code, std::string_view enhanced, std::string_view text) {
  Reply(step, code, enhanced, text);
  if (++errors_ >= limits_.max_errors) {
    Reply(step, 421, "4.7.0", "too many errors, closing connection");
    closed_ = true;
  }
}

}  // namespace redress::email
