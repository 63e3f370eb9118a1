#include "domain/text_fields.h"

#include "core/ascii.h"
#include "core/utf8.h"

namespace redress::domain {
namespace {

tl::unexpected<Error> Invalid(std::string_view field, const std::string& problem) {
  return Fail(ErrorCode::kInvalidArgument, std::string(field) + ": " + problem, std::string(field));
}

tl::unexpected<Error> TooLong(std::string_view field, size_t max, size_t got, const char* unit) {
  return Invalid(field, "must be at most " + std::to_string(max) + " " + unit + " (got " +
                            std::to_string(got) + ")");
}

}  // namespace

Result<std::string> CheckLine(std::string_view field, std::string_view value, size_t min_chars,
                              size_t max_chars) {
  if (!ValidUtf8(value)) return Invalid(field, "is not valid UTF-8");
  const std::string_view trimmed = TrimAsciiSpace(value);
  if (HasControlChar(trimmed)) {
    return Invalid(field, "must not contain control characters (line breaks, tabs, ...)");
  }
  const size_t chars = Utf8Length(trimmed);
  if (chars < min_chars) {
    if (min_chars == 1) return Invalid(field, "must not be empty");
    return Invalid(field, "must be at least " + std::to_string(min_chars) + " characters");
  }
  if (chars > max_chars) return TooLong(field, max_chars, chars, "characters");
  return std::string(trimmed);
}

Result<std::string> CheckShortText(std::string_view field, std::string_view value, size_t max_chars,
                                   bool required) {
  if (!ValidUtf8(value)) return Invalid(field, "is not valid UTF-8");
  const std::string_view trimmed = TrimAsciiSpace(value);
  if (required && trimmed.empty()) return Invalid(field, "must not be empty");
  const size_t chars = Utf8Length(trimmed);
  if (chars > max_chars) return TooLong(field, max_chars, chars, "characters");
  return std::string(trimmed);
}

Result<void> CheckBody(std::string_view field, std::string_view value, size_t max_bytes,
                       bool required) {
  // Size first: a multi-megabyte body should be refused without scanning it.
  if (value.size() > max_bytes) return TooLong(field, max_bytes, value.size(), "bytes");
  if (!ValidUtf8(value)) return Invalid(field, "is not valid UTF-8");
  if (required && TrimAsciiSpace(value).empty()) return Invalid(field, "must not be empty");
  return {};
}

std::string QuoteForMessage(std::string_view value, size_t max_bytes) {
  if (!ValidUtf8(value)) return "(invalid UTF-8)";
  if (value.size() <= max_bytes) return "\"" + std::string(value) + "\"";
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(value.substr(0, cut)) + "...\"";
}

}  // namespace redress::domain
