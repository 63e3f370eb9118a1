// Canonical JSON: one byte sequence for one value, so a hash over it is reproducible by
// anyone (Python: json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
// gives the same bytes for the values we allow). Rules (docs/event_log_format.md):
//   - object keys sorted by their UTF-8 bytes, no duplicate keys, no whitespace anywhere;
//   - strings: '"' and '\\' escaped with a backslash, \b \f \n \r \t as such, other
//     characters below U+0020 as \u00XX (lowercase hex), everything else as raw UTF-8;
//   - integers in plain decimal; true, false, null;
//   - floating-point numbers are refused (amounts are integer minor units).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace redress::eventlog {

/// Appends the canonical encoding of `value` to `out`. kInvalidArgument for a double or
/// for a string or key that is not valid UTF-8; the error's `field` is the path of the
/// offending value ("items[2].price", empty for the top level) and `out` is left unchanged.
Result<void> AppendCanonicalJson(const boost::json::value& value, std::string& out);

Result<std::string> CanonicalJson(const boost::json::value& value);

/// As AppendCanonicalJson, for a value that sits at `field` inside a larger document that
/// the caller writes itself: errors name the path from there ("data" → "data.items[2]").
Result<void> AppendCanonicalJson(const boost::json::value& value, std::string_view field,
                                 std::string& out);

/// Appends one string, escaped as above; kInvalidArgument naming `field` if it is not
/// valid UTF-8 (and `out` unchanged).
Result<void> AppendCanonicalString(std::string_view s, std::string_view field, std::string& out);

}  // namespace redress::eventlog
