// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-23T09:05:00.123Z","level":"info","msg":"request","request_id":"..",
//    "method":"POST","path":"/api/v1/cases","status":201,"duration_us":812}
// Fields are key/value pairs so that logs can be queried. Secrets (passwords, tokens,
// cookies, Authorization headers) are never passed to the logger.
#pragma once

#include <initializer_list>
#include <string_view>

#include <boost/json/value.hpp>

namespace redress::app {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

/// Sets up the process logger once (level and "json" or "text" format). Thread-safe after.
void InitLogging(std::string_view level, std::string_view format);

/// Logs `msg` with fields. Cheap when the level is disabled.
void Log(LogLevel level, std::string_view msg,
         std::initializer_list<std::pair<std::string_view, boost::json::value>> fields = {});

bool LogEnabled(LogLevel level);

}  // namespace redress::app
