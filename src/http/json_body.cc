#include "http/json_body.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <boost/json/error.hpp>
#include <boost/json/parser.hpp>
#include <fmt/format.h>

#include "http/problem.h"

namespace redress::http {

namespace json = boost::json;

namespace {

// Every integer up to 2^53 is exact in a double; beyond it "2.0" may not be what was sent.
constexpr double kMaxExactDouble = 9007199254740992.0;

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// 1-based line and column of byte `offset`; the column counts UTF-8 characters (bytes
/// that are not continuation bytes), which is what an editor shows.
std::pair<int, int> LineAndColumn(std::string_view text, size_t offset) {
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

std::string FieldPath(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  return fmt::format("{}.{}", parent, name);
}

tl::unexpected<Error> Required(const std::string& path) {
  return Fail(ErrorCode::kInvalidArgument, fmt::format("field '{}' is required", path), path);
}

tl::unexpected<Error> WrongKind(const std::string& path, std::string_view expected,
                                const json::value& got) {
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("field '{}' must be {}, got {}", path, expected, JsonKindName(got)),
              path);
}

std::string FormatDouble(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  if (ec != std::errc()) return "a number";
  return std::string(buf, end);
}

Result<int64_t> ToInt64(const json::value& value, const std::string& path) {
  if (value.is_int64()) return value.get_int64();
  if (value.is_uint64()) {
    if (value.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(value.get_uint64());
    }
    return Fail(ErrorCode::kInvalidArgument, fmt::format("field '{}' is out of range", path), path);
  }
  if (value.is_double()) {
    double d = value.get_double();
    if (!std::isfinite(d) || std::fabs(d) > kMaxExactDouble) {
      return Fail(ErrorCode::kInvalidArgument, fmt::format("field '{}' is out of range", path),
                  path);
    }
    if (std::trunc(d) != d) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("field '{}' must be an integer, got {}", path, FormatDouble(d)),
                  path);
    }
    return static_cast<int64_t>(d);
  }
  return WrongKind(path, "an integer", value);
}

}  // namespace

Result<json::object> ParseJsonObject(std::string_view body) {
  size_t first = 0;
  while (first < body.size() && IsJsonWhitespace(body[first])) ++first;
  if (first == body.size()) {
    return Fail(ErrorCode::kInvalidArgument, "request body is empty; expected a JSON object",
                std::string(kMalformedJsonField));
  }

  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  json::parser parser(json::storage_ptr(), options);
  boost::system::error_code ec;
  size_t consumed = parser.write(body.data(), body.size(), ec);
  if (ec) {
    auto [line, column] = LineAndColumn(body, consumed);
    std::string reason = ec == json::error::too_deep
                             ? fmt::format("nested deeper than {} levels", kMaxJsonDepth)
                             : ec.message();
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("invalid JSON at line {}, column {}: {}", line, column, reason),
                std::string(kMalformedJsonField));
  }
  json::value value = parser.release();
  if (!value.is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("request body must be a JSON object, got {}", JsonKindName(value)));
  }
  return std::move(value.get_object());
}

std::string_view JsonKindName(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "unknown";
}

Result<std::string> RequireString(const json::object& obj, std::string_view name,
                                  std::string_view parent) {
  std::string path = FieldPath(parent, name);
  const json::value* value = obj.if_contains(name);
  if (value == nullptr) return Required(path);
  if (!value->is_string()) return WrongKind(path, "a string", *value);
  return std::string(value->get_string());
}

Result<std::optional<std::string>> OptionalString(const json::object& obj, std::string_view name,
                                                  std::string_view parent) {
  const json::value* value = obj.if_contains(name);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) return WrongKind(FieldPath(parent, name), "a string", *value);
  return std::optional<std::string>(std::string(value->get_string()));
}

Result<int64_t> RequireInt64(const json::object& obj, std::string_view name,
                             std::string_view parent) {
  std::string path = FieldPath(parent, name);
  const json::value* value = obj.if_contains(name);
  if (value == nullptr) return Required(path);
  return ToInt64(*value, path);
}

Result<std::optional<int64_t>> OptionalInt64(const json::object& obj, std::string_view name,
                                             std::string_view parent) {
  const json::value* value = obj.if_contains(name);
  if (value == nullptr || value->is_null()) return std::optional<int64_t>();
  Result<int64_t> n = ToInt64(*value, FieldPath(parent, name));
  if (!n) return Fail(std::move(n.error()));
  return std::optional<int64_t>(*n);
}

Result<std::optional<bool>> OptionalBool(const json::object& obj, std::string_view name,
                                         std::string_view parent) {
  const json::value* value = obj.if_contains(name);
  if (value == nullptr || value->is_null()) return std::optional<bool>();
  if (!value->is_bool()) {
    std::string path = FieldPath(parent, name);
    return Fail(ErrorCode::kInvalidArgument, "field '" + path + "' must be true or false", path);
  }
  return std::optional<bool>(value->get_bool());
}

// An array member read element by element with `element` (given the value and its path,
// "ids[2]"); absent or null is an empty vector.
template <class T, class Element>
Result<std::vector<T>> OptionalArray(const json::object& obj, std::string_view name,
                                     std::string_view parent, Element element) {
  std::vector<T> out;
  const json::value* value = obj.if_contains(name);
  if (value == nullptr || value->is_null()) return out;
  std::string path = FieldPath(parent, name);
  if (!value->is_array()) return WrongKind(path, "an array", *value);
  const json::array& array = value->get_array();
  out.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    Result<T> item = element(array[i], fmt::format("{}[{}]", path, i));
    if (!item) return Fail(std::move(item.error()));
    out.push_back(std::move(*item));
  }
  return out;
}

Result<std::vector<std::string>> OptionalStringArray(const json::object& obj, std::string_view name,
                                                     std::string_view parent) {
  return OptionalArray<std::string>(
      obj, name, parent, [](const json::value& v, const std::string& path) -> Result<std::string> {
        if (!v.is_string()) return WrongKind(path, "a string", v);
        return std::string(v.get_string());
      });
}

Result<std::vector<int64_t>> OptionalInt64Array(const json::object& obj, std::string_view name,
                                                std::string_view parent) {
  return OptionalArray<int64_t>(obj, name, parent, ToInt64);
}

Result<std::vector<JsonObjectItem>> OptionalObjectArray(const json::object& obj,
                                                        std::string_view name,
                                                        std::string_view parent) {
  return OptionalArray<JsonObjectItem>(
      obj, name, parent,
      [](const json::value& v, const std::string& path) -> Result<JsonObjectItem> {
        if (!v.is_object()) return WrongKind(path, "an object", v);
        return JsonObjectItem{path, &v.get_object()};
      });
}

Result<void> RejectUnknownFields(const json::object& obj,
                                 std::initializer_list<std::string_view> allowed,
                                 std::string_view parent) {
  for (const auto& member : obj) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.key() == name;
    if (!known) {
      std::string path = FieldPath(parent, member.key());
      return Fail(ErrorCode::kInvalidArgument, fmt::format("unknown field '{}'", path), path);
    }
  }
  return {};
}

}  // namespace redress::http
