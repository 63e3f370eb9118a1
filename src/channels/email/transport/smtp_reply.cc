#include "channels/email/transport/smtp_reply.h"

#include "core/ascii.h"

namespace redress::email::transport {
namespace {

bool HasReplyCode(const std::string& line) {
  return line.size() >= 3 && IsAsciiDigit(line[0]) && IsAsciiDigit(line[1]) &&
         IsAsciiDigit(line[2]) && (line.size() == 3 || line[3] == ' ' || line[3] == '-');
}

}  // namespace

SmtpReply ReadSmtpReply(const std::vector<WireLine>& wire, size_t& index) {
  SmtpReply reply;
  while (index < wire.size() && wire[index].from_server) {
    const std::string& line = wire[index++].text;
    if (!reply.text.empty()) reply.text += "\n";
    reply.text += line;
    if (!HasReplyCode(line)) return {0, reply.text};
    reply.code = std::stoi(line.substr(0, 3));
    bool continues = line.size() > 3 && line[3] == '-';
    if (!continues) break;
  }
  return reply;
}

std::vector<RecipientReply> RecipientReplies(const std::vector<WireLine>& wire) {
  std::vector<RecipientReply> replies;
  for (size_t i = 0; i < wire.size();) {
    const WireLine& line = wire[i++];
    if (line.from_server || AsciiLower(line.text.substr(0, 8)) != "rcpt to:") continue;
    RecipientReply entry{EnvelopeAddressOf(line.text), {}};
    // No server line before our next command means the conversation ended unanswered.
    if (i < wire.size() && wire[i].from_server) entry.reply = ReadSmtpReply(wire, i);
    replies.push_back(std::move(entry));
  }
  return replies;
}

SmtpReply LastComplaint(const std::vector<WireLine>& wire) {
  SmtpReply last;
  SmtpReply complaint;
  for (size_t i = 0; i < wire.size();) {
    if (!wire[i].from_server) {
      ++i;
      continue;
    }
    last = ReadSmtpReply(wire, i);
    if (last.code >= 400) complaint = last;
  }
  return complaint.code != 0 ? complaint : last;
}

std::string EnvelopeAddressOf(const std::string& command) {
  size_t open = command.find('<');
  size_t close = command.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return command.substr(open + 1, close - open - 1);
}

}  // namespace redress::email::transport
