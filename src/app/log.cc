#include "app/log.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "core/clock.h"
#include "core/time_format.h"
#include "core/utf8.h"

namespace redress::app {
namespace {

// Delivers formatted lines to a test's function instead of a file.
class CallbackSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit CallbackSink(std::function<void(std::string_view)> callback)
      : callback_(std::move(callback)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    callback_(std::string_view(msg.payload.data(), msg.payload.size()));
  }
  void flush_() override {}

 private:
  std::function<void(std::string_view)> callback_;
};

struct LogState {
  std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};
  std::atomic<bool> text_format{false};
  std::mutex mu;
  std::shared_ptr<spdlog::logger> logger;  // guarded by mu; replaced, never mutated
};

LogState& State() {
  // Leaked on purpose: code running during static destruction may still log.
  static LogState* state = new LogState;
  return *state;
}

std::shared_ptr<spdlog::logger> MakeLogger(spdlog::sink_ptr sink) {
  // Not registered in spdlog's global registry: the process has exactly one logger and
  // owning it here keeps tests free to swap it.
  auto logger = std::make_shared<spdlog::logger>("redress", std::move(sink));
  // Lines are fully formatted here; spdlog adds only the newline.
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::trace);  // filtering happens in Log()
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::shared_ptr<spdlog::logger> CurrentLogger() {
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (!state.logger) state.logger = MakeLogger(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  return state.logger;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return "trace";
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "error";
}

spdlog::level::level_enum SpdlogLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return spdlog::level::trace;
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
  }
  return spdlog::level::err;
}

bool ParseLevel(std::string_view name, LogLevel& level) {
  for (LogLevel candidate : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo,
                             LogLevel::kWarn, LogLevel::kError}) {
    if (name == LevelName(candidate)) {
      level = candidate;
      return true;
    }
  }
  return false;
}

// Logged strings may carry raw request bytes; a JSON line must stay valid UTF-8.
std::string SafeUtf8(std::string_view s) {
  if (ValidUtf8(s)) return std::string(s);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 2);
  for (char c : s) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

boost::json::value SafeValue(const boost::json::value& value) {
  if (const boost::json::string* s = value.if_string()) {
    return boost::json::value(SafeUtf8(std::string_view(s->data(), s->size())));
  }
  return value;
}

std::string FieldKey(std::string_view key) {
  std::string safe = SafeUtf8(key);
  if (safe == "ts" || safe == "level" || safe == "msg") return "field_" + safe;
  return safe;
}

std::string JsonLine(std::string_view ts, LogLevel level, std::string_view msg,
                     std::initializer_list<LogField> fields) {
  boost::json::object line;
  line.reserve(3 + fields.size());
  line["ts"] = ts;
  line["level"] = LevelName(level);
  line["msg"] = SafeUtf8(msg);
  for (const auto& [key, value] : fields) line[FieldKey(key)] = SafeValue(value);
  return boost::json::serialize(line);
}

// Text lines stay one line per entry and split unambiguously on spaces: anything that
// could break that is written as a JSON string literal.
bool NeedsQuoting(std::string_view s, bool allow_spaces) {
  if (s.empty()) return true;
  for (char c : s) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '"' || c == '\\' || c == '=') return true;
    if (c == ' ' && !allow_spaces) return true;
  }
  return false;
}

void AppendText(std::string& out, std::string_view s, bool allow_spaces) {
  std::string safe = SafeUtf8(s);
  if (NeedsQuoting(safe, allow_spaces)) {
    out += boost::json::serialize(boost::json::value(safe));
  } else {
    out += safe;
  }
}

std::string TextLine(std::string_view ts, LogLevel level, std::string_view msg,
                     std::initializer_list<LogField> fields) {
  std::string line(ts);
  line += ' ';
  line += LevelName(level);
  line += ' ';
  AppendText(line, msg, /*allow_spaces=*/true);
  for (const auto& [key, value] : fields) {
    line += ' ';
    AppendText(line, FieldKey(key), /*allow_spaces=*/false);
    line += '=';
    if (const boost::json::string* s = value.if_string()) {
      AppendText(line, std::string_view(s->data(), s->size()), /*allow_spaces=*/false);
    } else {
      line += boost::json::serialize(SafeValue(value));
    }
  }
  return line;
}

}  // namespace

void InitLogging(std::string_view level, std::string_view format) {
  LogState& state = State();
  LogLevel parsed = LogLevel::kInfo;
  const bool level_ok = ParseLevel(level, parsed);
  const bool format_ok = format == "json" || format == "text";
  state.min_level.store(static_cast<int>(parsed), std::memory_order_relaxed);
  state.text_format.store(format == "text", std::memory_order_relaxed);
  if (!level_ok) {
    Log(LogLevel::kWarn, "unknown log level, using info", {{"requested", level}});
  }
  if (!format_ok) {
    Log(LogLevel::kWarn, "unknown log format, using json", {{"requested", format}});
  }
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= State().min_level.load(std::memory_order_relaxed);
}

void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  const std::string ts = FormatTimestamp(SystemClock().Now());
  const std::string line = State().text_format.load(std::memory_order_relaxed)
                               ? TextLine(ts, level, msg, fields)
                               : JsonLine(ts, level, msg, fields);
  CurrentLogger()->log(SpdlogLevel(level), spdlog::string_view_t(line.data(), line.size()));
}

void SetLogSinkForTesting(std::function<void(std::string_view)> sink) {
  spdlog::sink_ptr replacement;
  if (sink) {
    replacement = std::make_shared<CallbackSink>(std::move(sink));
  } else {
    replacement = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  std::shared_ptr<spdlog::logger> logger = MakeLogger(std::move(replacement));
  LogState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  state.logger = std::move(logger);
}

}  // namespace redress::app
