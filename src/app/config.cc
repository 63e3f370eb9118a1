#include "app/config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <toml++/toml.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <variant>
#include <vector>

#include "app/listen_address.h"

extern char** environ;

namespace redress::app {
namespace {

using Value = std::variant<std::string, int64_t, bool>;

enum class Kind { kString, kInteger, kBoolean };

// One row per setting: where it lives in the file and the environment, what it accepts,
// and how it maps onto Config. The file, the environment and ValidateConfig all read this
// table, so a setting cannot be validated in one path and forgotten in another.
struct Field {
  std::string_view section;
  std::string_view key;
  std::string_view env;
  Kind kind;
  int64_t min = 0;  // kInteger only
  int64_t max = 0;
  // kString only: the rule the value breaks, or empty if valid. Null: any string.
  std::string (*check)(std::string_view) = nullptr;
  std::string_view rule;  // kString only: "must be ..."
  void (*set)(Config&, const Value&) = nullptr;
  Value (*get)(const Config&) = nullptr;
};

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

constexpr std::string_view kDbRule = "must be a non-empty SQLite database path";
constexpr std::string_view kLogLevelRule = "must be one of trace, debug, info, warn, error";
constexpr std::string_view kLogFormatRule = "must be one of json, text";

std::string CheckDb(std::string_view db) {
  if (db.empty()) return std::string(kDbRule);
  if (db.find('\0') != std::string_view::npos) return "must not contain a NUL byte";
  return {};
}

std::string CheckListen(std::string_view listen) {
  Result<ListenAddress> address = ParseListenAddress(listen);
  if (!address) return address.error().message;
  const std::string& host = address->host;
  if (listen.front() == '[') {
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) != 1)
      return Quoted(host) + " is not an IPv6 address";
    return {};
  }
  in_addr v4{};
  if (host != "localhost" && inet_pton(AF_INET, host.c_str(), &v4) != 1) {
    return "host " + Quoted(host) + " must be an IPv4 address, localhost or [IPv6 address]";
  }
  return {};
}

std::string CheckLogLevel(std::string_view level) {
  for (std::string_view known : {"trace", "debug", "info", "warn", "error"}) {
    if (level == known) return {};
  }
  return std::string(kLogLevelRule);
}

std::string CheckLogFormat(std::string_view format) {
  if (format == "json" || format == "text") return {};
  return std::string(kLogFormatRule);
}

constexpr std::string_view kPublicUrlRule =
    "must be empty or an http:// or https:// URL without a query or fragment";

std::string CheckPublicUrl(std::string_view url) {
  if (url.empty()) return {};
  const bool scheme = url.starts_with("http://") || url.starts_with("https://");
  const size_t host = url.find("://") + 3;
  if (!scheme || host >= url.size() || url.find_first_of("?# \t\r\n") != std::string_view::npos) {
    return std::string(kPublicUrlRule);
  }
  return {};
}

const std::vector<Field>& Fields() {
  static const std::vector<Field> fields = {
      {"database", "url", "REDRESS_DB", Kind::kString, 0, 0, CheckDb, kDbRule,
       [](Config& c, const Value& v) { c.db = std::get<std::string>(v); },
       [](const Config& c) { return Value(c.db); }},
      {"server", "listen", "REDRESS_LISTEN", Kind::kString, 0, 0, CheckListen,
       "must be host:port with an IPv4 address, localhost or [IPv6 address] and a port from 0 "
       "to 65535",
       [](Config& c, const Value& v) { c.listen = std::get<std::string>(v); },
       [](const Config& c) { return Value(c.listen); }},
      {"server", "threads", "REDRESS_THREADS", Kind::kInteger, 1, 64, nullptr, {},
       [](Config& c, const Value& v) { c.threads = static_cast<int>(std::get<int64_t>(v)); },
       [](const Config& c) { return Value(int64_t{c.threads}); }},
      {"server", "body_limit_bytes", "REDRESS_BODY_LIMIT_BYTES", Kind::kInteger, 1024,
       int64_t{64} << 20, nullptr, {},
       [](Config& c, const Value& v) { c.body_limit_bytes = std::get<int64_t>(v); },
       [](const Config& c) { return Value(c.body_limit_bytes); }},
      {"auth", "session_ttl_hours", "REDRESS_SESSION_TTL_HOURS", Kind::kInteger, 1, 720,
       nullptr, {},
       [](Config& c, const Value& v) {
         c.session_ttl_hours = static_cast<int>(std::get<int64_t>(v));
       },
       [](const Config& c) { return Value(int64_t{c.session_ttl_hours}); }},
      {"auth", "secure_cookies", "REDRESS_SECURE_COOKIES", Kind::kBoolean, 0, 0, nullptr, {},
       [](Config& c, const Value& v) { c.secure_cookies = std::get<bool>(v); },
       [](const Config& c) { return Value(c.secure_cookies); }},
      {"log", "level", "REDRESS_LOG_LEVEL", Kind::kString, 0, 0, CheckLogLevel,
       kLogLevelRule,
       [](Config& c, const Value& v) { c.log_level = std::get<std::string>(v); },
       [](const Config& c) { return Value(c.log_level); }},
      {"log", "format", "REDRESS_LOG_FORMAT", Kind::kString, 0, 0, CheckLogFormat,
       kLogFormatRule,
       [](Config& c, const Value& v) { c.log_format = std::get<std::string>(v); },
       [](const Config& c) { return Value(c.log_format); }},
      {"web", "root", "REDRESS_WEB_ROOT", Kind::kString, 0, 0, nullptr, {},
       [](Config& c, const Value& v) { c.web_root = std::get<std::string>(v); },
       [](const Config& c) { return Value(c.web_root); }},
      {"web", "public_url", "REDRESS_PUBLIC_URL", Kind::kString, 0, 0, CheckPublicUrl,
       kPublicUrlRule,
       [](Config& c, const Value& v) { c.public_url = std::get<std::string>(v); },
       [](const Config& c) { return Value(c.public_url); }},
      {"escalation", "policy_file", "REDRESS_ESCALATION_POLICY", Kind::kString, 0, 0, nullptr, {},
       [](Config& c, const Value& v) { c.escalation_policy_file = std::get<std::string>(v); },
       [](const Config& c) { return Value(c.escalation_policy_file); }},
  };
  return fields;
}

std::string Name(const Field& field) {
  return "[" + std::string(field.section) + "] " + std::string(field.key);
}

std::string FieldPath(const Field& field) {
  return std::string(field.section) + "." + std::string(field.key);
}

std::string Rule(const Field& field) {
  switch (field.kind) {
    case Kind::kInteger:
      return "must be an integer between " + std::to_string(field.min) + " and " +
             std::to_string(field.max);
    case Kind::kBoolean:
      return "must be true or false";
    case Kind::kString:
      return std::string(field.rule);
  }
  return {};
}

std::string Describe(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return Quoted(*s);
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  return std::get<bool>(value) ? "true" : "false";
}

// The problem with `value` for `field` ("must be ..., got 100"), or empty if it is valid.
std::string Problem(const Field& field, const Value& value) {
  switch (field.kind) {
    case Kind::kInteger: {
      int64_t i = std::get<int64_t>(value);
      if (i >= field.min && i <= field.max) return {};
      return Rule(field) + ", got " + Describe(value);
    }
    case Kind::kBoolean:
      return {};
    case Kind::kString: {
      if (field.check == nullptr) return {};
      std::string detail = field.check(std::get<std::string>(value));
      if (detail.empty()) return {};
      std::string problem = Rule(field) + ", got " + Describe(value);
      if (detail != field.rule) problem += ": " + detail;
      return problem;
    }
  }
  return {};
}

std::string TomlTypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string Position(const std::string& file, const toml::source_region& source) {
  return file + ":" + std::to_string(source.begin.line) + ":" +
         std::to_string(source.begin.column) + ": ";
}

std::string KnownKeys(std::string_view section) {
  std::string known;
  for (const Field& field : Fields()) {
    if (field.section != section) continue;
    if (!known.empty()) known += ", ";
    known += field.key;
  }
  return known;
}

bool KnownSection(std::string_view section) {
  for (const Field& field : Fields()) {
    if (field.section == section) return true;
  }
  return false;
}

const Field* FindField(std::string_view section, std::string_view key) {
  for (const Field& field : Fields()) {
    if (field.section == section && field.key == key) return &field;
  }
  return nullptr;
}

// Converts a TOML value of the kind `field` wants, or explains the mismatch.
Result<Value> FromToml(const Field& field, const toml::node& node) {
  switch (field.kind) {
    case Kind::kString:
      if (const auto* s = node.as_string()) return Value(s->get());
      break;
    case Kind::kInteger:
      if (const auto* i = node.as_integer()) return Value(i->get());
      break;
    case Kind::kBoolean:
      if (const auto* b = node.as_boolean()) return Value(b->get());
      break;
  }
  return Fail(ErrorCode::kInvalidArgument,
              Name(field) + " " + Rule(field) + ", got " + TomlTypeName(node.type()),
              FieldPath(field));
}

Result<std::string> ReadFile(const std::string& file) {
  std::error_code ec;
  std::filesystem::file_status status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status)) {
    return Fail(ErrorCode::kNotFound, file + ": configuration file does not exist");
  }
  if (std::filesystem::is_directory(status)) {
    return Fail(ErrorCode::kInvalidArgument, file + ": configuration file is a directory");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kInvalidArgument,
                file + ": configuration file cannot be read: " + std::strerror(errno));
  }
  std::string content;
  char chunk[8192];
  while (in.read(chunk, sizeof(chunk)) || in.gcount() > 0) {
    content.append(chunk, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) {
    return Fail(ErrorCode::kUnavailable,
                file + ": reading the configuration file failed: " + std::strerror(errno));
  }
  return content;
}

Result<void> ApplyFile(const std::string& file, Config& config) {
  Result<std::string> content = ReadFile(file);
  if (!content) return Fail(content.error());
  toml::table root;
  try {
    root = toml::parse(*content, file);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kInvalidArgument,
                Position(file, e.source()) + std::string(e.description()));
  }
  for (const auto& [section_key, section_node] : root) {
    const std::string_view section = section_key.str();
    const toml::table* table = section_node.as_table();
    if (table == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  Position(file, section_key.source()) + "unknown top-level key " +
                      Quoted(section) + "; settings belong in a section such as [server]",
                  std::string(section));
    }
    if (section == "mail") {
      auto mail = ParseMailConfig(*table, file);
      if (!mail) return Fail(mail.error());
      config.mail = std::move(*mail);
      continue;
    }
    if (!KnownSection(section)) {
      return Fail(ErrorCode::kInvalidArgument,
                  Position(file, section_key.source()) + "unknown section [" +
                      std::string(section) + "] (known: database, server, auth, log, web, mail)",
                  std::string(section));
    }
    for (const auto& [key, node] : *table) {
      const Field* field = FindField(section, key.str());
      if (field == nullptr) {
        return Fail(ErrorCode::kInvalidArgument,
                    Position(file, key.source()) + "unknown key " + Quoted(key.str()) + " in [" +
                        std::string(section) + "] (known: " + KnownKeys(section) + ")",
                    std::string(section) + "." + std::string(key.str()));
      }
      Result<Value> value = FromToml(*field, node);
      if (!value) {
        Error error = value.error();
        error.message = Position(file, node.source()) + error.message;
        return Fail(std::move(error));
      }
      std::string problem = Problem(*field, *value);
      if (!problem.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    Position(file, node.source()) + Name(*field) + " " + problem,
                    FieldPath(*field));
      }
      field->set(config, *value);
    }
  }
  return {};
}

Result<Value> FromEnv(const Field& field, const std::string& text) {
  const std::string env(field.env);
  switch (field.kind) {
    case Kind::kString:
      return Value(text);
    case Kind::kInteger: {
      int64_t i = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      if (end != text.data() + text.size() || text.empty() ||
          (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        return Fail(ErrorCode::kInvalidArgument, env + ": expected an integer, got " + Quoted(text),
                    env);
      }
      if (ec == std::errc::result_out_of_range) {
        return Fail(ErrorCode::kInvalidArgument, env + ": " + Rule(field) + ", got " + text, env);
      }
      return Value(i);
    }
    case Kind::kBoolean:
      if (text == "true" || text == "1") return Value(true);
      if (text == "false" || text == "0") return Value(false);
      return Fail(ErrorCode::kInvalidArgument,
                  env + ": expected true or false (or 1 or 0), got " + Quoted(text), env);
  }
  return Fail(ErrorCode::kInternal, env + ": unhandled setting kind");
}

Result<void> ApplyEnvironment(const Environment& env, Config& config) {
  for (const Field& field : Fields()) {
    auto it = env.find(std::string(field.env));
    if (it == env.end()) continue;
    Result<Value> value = FromEnv(field, it->second);
    if (!value) return Fail(value.error());
    std::string problem = Problem(field, *value);
    if (!problem.empty()) {
      return Fail(ErrorCode::kInvalidArgument, std::string(field.env) + ": " + problem,
                  std::string(field.env));
    }
    field.set(config, *value);
  }
  return {};
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (text.rfind("REDRESS_", 0) != 0) continue;
    size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

Result<Config> LoadConfig(const std::optional<std::string>& file, const Environment& env) {
  Config config;
  if (file) {
    Result<void> applied = ApplyFile(*file, config);
    if (!applied) return Fail(applied.error());
  }
  Result<void> applied = ApplyEnvironment(env, config);
  if (!applied) return Fail(applied.error());
  Result<void> valid = ValidateConfig(config);
  if (!valid) return Fail(valid.error());
  return config;
}

Result<void> ValidateConfig(const Config& config) {
  for (const Field& field : Fields()) {
    std::string problem = Problem(field, field.get(config));
    if (!problem.empty()) {
      return Fail(ErrorCode::kInvalidArgument, Name(field) + " " + problem, FieldPath(field));
    }
  }
  return {};
}

}  // namespace redress::app
