// The bytes that go after DATA. RFC 5321 wants CRLF line endings and at most 998 octets per
// line; a bare LF or CR inside DATA is also how "SMTP smuggling" hides a second message
// from the receiving server, so none may reach the wire. libcurl does the dot-stuffing and
// the final "." line itself.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace redress::email::transport {

/// Longest line SMTP allows, without its CRLF (RFC 5321 4.5.3.1.6).
inline constexpr size_t kMaxSmtpLineOctets = 998;

/// `message` with every line ending (CRLF, lone LF, lone CR) written as CRLF. A message that
/// already uses CRLF comes back byte for byte. kInvalidArgument (naming the line) if a line
/// is longer than kMaxSmtpLineOctets: such a message must be re-encoded by whoever built it
/// (quoted-printable or base64), since servers truncate or refuse long lines.
Result<std::string> PrepareSmtpPayload(std::string_view message);

}  // namespace redress::email::transport
