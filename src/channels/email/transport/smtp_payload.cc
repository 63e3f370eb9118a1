#include "channels/email/transport/smtp_payload.h"

namespace redress::email::transport {

Result<std::string> PrepareSmtpPayload(std::string_view message) {
  if (message.empty()) return Fail(ErrorCode::kInvalidArgument, "the message is empty");
  std::string out;
  out.reserve(message.size() + message.size() / 64);
  size_t line_number = 1;
  size_t line_length = 0;
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
      out += "\r\n";
      ++line_number;
      line_length = 0;
      continue;
    }
    if (++line_length > kMaxSmtpLineOctets) {
      return Fail(ErrorCode::kInvalidArgument,
                  "line " + std::to_string(line_number) + " of the message is longer than " +
                      std::to_string(kMaxSmtpLineOctets) +
                      " octets, which SMTP does not allow; encode the part as "
                      "quoted-printable or base64");
    }
    out += c;
  }
  return out;
}

}  // namespace redress::email::transport
