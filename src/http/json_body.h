// Reading JSON request bodies with errors a client can act on. Handlers parse with
// ParseJsonObject and then read each member with the field readers below, which name the
// field, the expected type and what arrived:
//
//   "invalid JSON at line 2, column 5: syntax error"          400 malformed-json
//   "request body must be a JSON object, got array"            422
//   "field 'subject' is required"                              422, field "subject"
//   "field 'subject' must be a string, got number"             422, field "subject"
//   "field 'emails[2]' must be a string, got null"             422, field "emails[2]"
//   "field 'social[0].network' is required"                    422 (readers with `parent`)
//   "unknown field 'subjct'"                                   422, field "subjct"
//
// Every error is ErrorCode::kInvalidArgument with Error::field set to the field's path.
// Errors meaning "this is not JSON" carry field == kMalformedJsonField (problem.h), which
// ProblemResponse answers with 400 malformed-json instead of 422.
//
// `parent` (default empty) is the path of the object being read when it is nested, e.g.
// the path of an element from OptionalObjectArray; messages then name "parent.name".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.h"

namespace redress::http {

/// Deepest nesting of arrays and objects accepted in a request body.
inline constexpr int kMaxJsonDepth = 32;

/// Parses a whole request body that must be one JSON object. An empty (or all-whitespace)
/// body, a syntax error, invalid UTF-8, trailing data or nesting deeper than kMaxJsonDepth
/// is malformed JSON, with line and column (1-based; columns count UTF-8 characters) of
/// where parsing stopped. Valid JSON that is not an object is a plain kInvalidArgument.
Result<boost::json::object> ParseJsonObject(std::string_view body);

/// The JSON kind name used in messages: "null", "boolean", "number", "string", "array",
/// "object".
std::string_view JsonKindName(const boost::json::value& value);

/// A string member. Absent is "is required"; any other kind, null included, is "must be a
/// string, got <kind>". The empty string is returned as is: emptiness is the caller's rule.
Result<std::string> RequireString(const boost::json::object& obj, std::string_view name,
                                  std::string_view parent = {});

/// Like RequireString, but absent or null is nullopt.
Result<std::optional<std::string>> OptionalString(const boost::json::object& obj,
                                                  std::string_view name,
                                                  std::string_view parent = {});

/// An integer member in the signed 64-bit range. A number with a fraction is "must be an
/// integer, got 2.5"; 2.0 is accepted as 2 (some clients only have doubles); beyond the
/// int64 range (or 2^53 for a double) is "is out of range".
Result<int64_t> RequireInt64(const boost::json::object& obj, std::string_view name,
                             std::string_view parent = {});

/// Like RequireInt64, but absent or null is nullopt.
Result<std::optional<int64_t>> OptionalInt64(const boost::json::object& obj, std::string_view name,
                                             std::string_view parent = {});

/// A boolean; absent or null is nullopt. Anything else: "field 'x' must be true or false".
Result<std::optional<bool>> OptionalBool(const boost::json::object& obj, std::string_view name,
                                         std::string_view parent = {});

/// An array of strings; absent or null is an empty vector. Element errors name the index:
/// "field 'emails[2]' must be a string, got number".
Result<std::vector<std::string>> OptionalStringArray(const boost::json::object& obj,
                                                     std::string_view name,
                                                     std::string_view parent = {});

/// An array of integers; absent or null is an empty vector. Element errors name the index:
/// "field 'attachment_ids[1]' must be an integer, got string".
Result<std::vector<int64_t>> OptionalInt64Array(const boost::json::object& obj,
                                                std::string_view name,
                                                std::string_view parent = {});

/// One object of an object array, with its path ("social[1]") to pass as `parent` when
/// reading its members. `object` points into the parsed body, which must outlive it.
struct JsonObjectItem {
  std::string path;
  const boost::json::object* object = nullptr;
};

/// An array of objects; absent or null is an empty vector.
Result<std::vector<JsonObjectItem>> OptionalObjectArray(const boost::json::object& obj,
                                                        std::string_view name,
                                                        std::string_view parent = {});

/// Fails on the first member (in body order) whose name is not in `allowed`: a typo in an
/// optional field must not be silently ignored.
Result<void> RejectUnknownFields(const boost::json::object& obj,
                                 std::initializer_list<std::string_view> allowed,
                                 std::string_view parent = {});

}  // namespace redress::http
