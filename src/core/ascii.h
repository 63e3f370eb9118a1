// ASCII-only text helpers. Identifiers, emails, handles and wire formats are ASCII by
// definition, so these never consult a locale (whose answers differ between machines).
#pragma once

#include <string>
#include <string_view>

namespace redress {

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || IsAsciiAlpha(c); }
inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline char AsciiToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

/// `s` without leading and trailing ASCII whitespace. Non-ASCII spaces (U+00A0 ...) are
/// kept: they are rare in input and trimming them would need a Unicode table.
std::string_view TrimAsciiSpace(std::string_view s);

/// `s` with A-Z mapped to a-z; every other byte (including UTF-8) unchanged.
std::string AsciiLower(std::string_view s);

}  // namespace redress
