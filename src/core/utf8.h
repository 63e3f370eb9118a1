// UTF-8 checks for text that enters the system. Everything stored is valid UTF-8 so that
// the canonical event encoding, JSON output and SQLite text all agree byte for byte.
#pragma once

#include <cstddef>
#include <string_view>

namespace redress {

/// True if `s` is well-formed UTF-8 as RFC 3629 defines it: no overlong encodings, no
/// UTF-16 surrogates (U+D800-U+DFFF), nothing above U+10FFFF, no truncated sequences and
/// no stray continuation bytes.
bool ValidUtf8(std::string_view s);

/// The number of code points in `s`, which must be valid UTF-8. Limits that people read
/// ("300 characters") count code points, not bytes.
size_t Utf8Length(std::string_view s);

/// True if valid UTF-8 `s` holds a control character: C0 (U+0000-U+001F), DEL (U+007F)
/// or C1 (U+0080-U+009F). Single-line fields (subjects, names) must not.
bool HasControlChar(std::string_view s);

}  // namespace redress
