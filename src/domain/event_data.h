// Typed reads of an event's `data` payload. Stored events were written by this code, so a
// missing key or a wrong type means the log is damaged: errors are kCorruption and say
// which key and what was wrong ("data.subject must be a string, not int64").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/result.h"

namespace redress::domain {

/// The string at `key`; the view points into `data`.
Result<std::string_view> DataString(const boost::json::object& data, std::string_view key);

/// The integer at `key` (stored as int64, or as uint64 if parsed from text, when it fits).
Result<int64_t> DataInt(const boost::json::object& data, std::string_view key);

/// The integer or null at `key`; the key itself must be present so that "none" is recorded
/// explicitly rather than by omission.
Result<std::optional<int64_t>> DataOptionalInt(const boost::json::object& data,
                                               std::string_view key);

/// The boolean at `key`.
Result<bool> DataBool(const boost::json::object& data, std::string_view key);

/// The RFC 3339 timestamp string at `key` (core/time_format.h), parsed.
Result<Timestamp> DataTimestamp(const boost::json::object& data, std::string_view key);

/// The array of strings at `key` (evidence references); the views point into `data`.
Result<std::vector<std::string_view>> DataStringArray(const boost::json::object& data,
                                                      std::string_view key);

}  // namespace redress::domain
