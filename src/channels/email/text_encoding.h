// Everything that leaves the email parser is valid UTF-8, whatever the sender declared.
// Mail arrives in dozens of charsets, often mislabelled or unlabelled, and sometimes with
// bytes that are invalid in the declared charset; such bytes become U+FFFD so that no
// invalid sequence ever reaches the event log, JSON or the database.
#pragma once

#include <string>
#include <string_view>

namespace redress::email {

/// `s` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
/// Valid input is returned unchanged.
std::string ScrubUtf8(std::string_view s);

struct DecodedText {
  std::string text;               // valid UTF-8
  bool replaced_invalid = false;  // some input bytes were invalid and became U+FFFD
  bool unknown_charset = false;   // the charset was not recognised; a fallback was used
};

/// Converts `bytes` in `charset` (a MIME charset name; aliases such as "latin1",
/// "ks_c_5601-1987" or "x-sjis" are understood) to UTF-8. An empty or "us-ascii" charset
/// with 8-bit bytes, and an unknown charset, fall back to UTF-8 when the bytes are valid
/// UTF-8 and to Windows-1252 otherwise.
DecodedText DecodeToUtf8(std::string_view bytes, std::string_view charset);

}  // namespace redress::email
