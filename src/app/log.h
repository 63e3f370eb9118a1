// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-23T09:05:00.123456Z","level":"info","msg":"request","request_id":"..",
//    "method":"POST","path":"/api/v1/cases","status":201,"duration_us":812}
// Fields are key/value pairs so that logs can be queried. Secrets (passwords, tokens,
// cookies, Authorization headers) are never passed to the logger.
#pragma once

#include <functional>
#include <initializer_list>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/json/value.hpp>

namespace redress::app {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

/// Sets up the process logger once (level and "json" or "text" format). Thread-safe after.
/// Before it is called, logging goes to stderr at "info" in "json". Calling it again
/// changes level and format. An unknown level or format (ValidateConfig rejects them, so
/// this means a bug) falls back to info/json and logs a warning saying so.
void InitLogging(std::string_view level, std::string_view format);

/// One key/value pair of a log line: {"status", 201}, {"path", some_std_string}. The value
/// is anything boost::json::value can be built from, std::string and std::string_view
/// included (a plain std::pair<std::string_view, boost::json::value> refuses those in a
/// braced list, because the conversion is explicit). The key must outlive the Log call.
struct LogField {
  template <class T>
    requires std::is_constructible_v<boost::json::value, T&&>
  LogField(std::string_view k, T&& v) : key(k), value(std::forward<T>(v)) {}

  std::string_view key;
  boost::json::value value;
};

/// Logs `msg` with fields. Cheap when the level is disabled. A field named ts, level or msg
/// is written as field_ts (and so on) so that no value can forge the line's envelope; a
/// message, key or string value that is not valid UTF-8 has its non-ASCII bytes written as
/// \xNN so that every line stays valid JSON (strings nested in arrays or objects are not
/// rewritten: pass only validated text there).
void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

bool LogEnabled(LogLevel level);

/// Test hook: while set, each formatted line (without its newline) goes to `sink` instead
/// of stderr, synchronously on the logging thread, one call at a time. An empty function
/// restores stderr. Only for tests; production code never calls it.
void SetLogSinkForTesting(std::function<void(std::string_view)> sink);

}  // namespace redress::app
