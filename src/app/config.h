// Configuration: defaults, then a TOML file, then REDRESS_* environment variables, then
// command-line flags (applied by the CLI). Every value is validated at load with an error
// naming the key, the file position and the problem; a bad config never starts a server.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "app/mail_config.h"
#include "core/result.h"

namespace redress::app {

struct Config {
  std::string db = "var/redress.db";       // [database] url: SQLite path or postgres:// URL
  std::string listen = "127.0.0.1:8080";   // [server] listen: host:port (port 0 = any free)
  int threads = 2;                         // [server] threads: I/O threads, 1..64
  int64_t body_limit_bytes = 1 << 20;      // [server] body_limit_bytes: 1 KiB..64 MiB
  int session_ttl_hours = 12;              // [auth] session_ttl_hours: 1..720
  bool secure_cookies = false;             // [auth] secure_cookies: set Secure on cookies (TLS)
  std::string log_level = "info";          // [log] level: trace|debug|info|warn|error
  std::string log_format = "json";         // [log] format: json|text
  std::string web_root;                    // [web] root: built front end (web/dist); empty = API only
  /// [web] public_url: where people reach the web app ("https://help.acme.example"), for
  /// links in mail (sign-in links). Empty: "http://" + listen, which suits a local setup.
  std::string public_url;
  /// [escalation] policy_file: the escalation matrix (TOML, docs/escalation.md); empty = the
  /// built-in one. A policy an admin stored through the API takes precedence over both.
  std::string escalation_policy_file;
  MailConfig mail;                         // [mail]: see app/mail_config.h (file only)
};

/// Environment as a map so that tests can pass their own (REDRESS_DB, REDRESS_LISTEN,
/// REDRESS_THREADS, REDRESS_BODY_LIMIT_BYTES, REDRESS_SESSION_TTL_HOURS,
/// REDRESS_SECURE_COOKIES, REDRESS_LOG_LEVEL, REDRESS_LOG_FORMAT, REDRESS_WEB_ROOT,
/// REDRESS_PUBLIC_URL,
/// REDRESS_ESCALATION_POLICY).
using Environment = std::map<std::string, std::string>;

/// The process environment's REDRESS_* variables. LoadConfig ignores REDRESS_* names it
/// does not know: the prefix is shared with build and test tooling (REDRESS_WERROR, ...).
Environment ProcessEnvironment();

/// Loads `file` (if given; a missing file is an error) over the defaults, then applies
/// `env`. Unknown keys are errors too: a typo must not silently fall back to a default.
Result<Config> LoadConfig(const std::optional<std::string>& file, const Environment& env);

/// Checks ranges and formats of a Config built by any means (e.g. after CLI overrides).
Result<void> ValidateConfig(const Config& config);

}  // namespace redress::app
