// The rules every piece of human text must pass before it becomes part of a case record.
// Limits count code points ("300 characters" means what a person sees), except bodies,
// whose limit is about storage and is counted in bytes. Errors are kInvalidArgument with
// `field` set and a message of the form "<field>: <problem>".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace redress::domain {

/// A single-line value (subject, name, category): valid UTF-8, no control characters, and
/// min_chars..max_chars code points once surrounding ASCII whitespace is trimmed. Returns
/// the trimmed value, which is what gets stored.
Result<std::string> CheckLine(std::string_view field, std::string_view value, size_t min_chars,
                              size_t max_chars);

/// Free text that may span lines (reasons): valid UTF-8, at most max_chars code points once
/// trimmed; empty allowed unless `required`. Returns the trimmed value.
Result<std::string> CheckShortText(std::string_view field, std::string_view value, size_t max_chars,
                                   bool required);

/// A message body or hand-off note: valid UTF-8, at most max_bytes bytes, and (when
/// `required`) not only whitespace. The text is stored unchanged: its line breaks and
/// indentation are the author's.
Result<void> CheckBody(std::string_view field, std::string_view value, size_t max_bytes,
                       bool required);

/// `value` in double quotes for an error message, cut to at most `max_bytes` (on a code
/// point boundary, with "..." appended) so one bad field cannot flood a log line. Invalid
/// UTF-8 is not echoed at all ("(invalid UTF-8)"): messages go out as JSON.
std::string QuoteForMessage(std::string_view value, size_t max_bytes = 64);

}  // namespace redress::domain
