// The [mail] section of the configuration file: the company's mailboxes, limits, the SMTP
// relay for outbound mail and the IMAP mailboxes to poll. Secrets (passwords, the thread
// token key, the mailgate secret) are never in the file itself, only the paths of files
// holding them, so the configuration can be shown and versioned.
//
//   [mail]
//   addresses = ["support@acme.example"]   # ours; the first one sends outbound mail
//   from_name = "Acme Support"
//   thread_key_file = "/etc/redress/thread.key"   # 32 random bytes, or 64 hex digits
//   mailgate_secret_file = "/etc/redress/mailgate.secret"
//   max_message_bytes = 26214400           # 25 MiB; larger mail is kept raw, not read
//   max_attachment_bytes = 10485760        # larger attachments stay inside the raw message
//   acknowledge = true                     # acknowledge new email cases (people only)
//   acknowledge_window_seconds = 86400     # at most one acknowledgement per sender per window
//
//   [mail.smtp]
//   url = "smtp://mail.acme.example:587"   # smtps:// for implicit TLS
//   tls = "starttls"                       # none | starttls_optional | starttls | implicit
//   username = "redress"
//   password_file = "/etc/redress/smtp.password"
//   ca_file = ""
//
//   [[mail.mailboxes]]
//   name = "support"                       # stable: the poll state is kept under it
//   url = "imaps://imap.acme.example:993"
//   username = "support@acme.example"
//   password_file = "/etc/redress/imap.password"
//   folder = "INBOX"
//   processed_folder = "Redress.Processed" # empty: flag \Seen instead of moving
//   category = "orders"                    # category of the cases it opens
//   poll_seconds = 60
//   idle = true                            # also watch with IMAP IDLE when the server can
//
//   [mail.lmtp]                            # the MTA delivers over LMTP (RFC 2033)
//   listen = "127.0.0.1:2424"              # or "unix:/run/redress/lmtp.sock"
//   socket_mode = "0660"                   # a Unix socket's permissions (octal)
//   max_connections = 100
//   [mail.lmtp.queues]                     # the category of the cases a recipient opens
//   "orders@acme.example" = "orders"
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace redress::app {

struct MailServerConfig {
  std::string url;  // smtp[s]://host:port or imap[s]://host:port
  std::string tls;  // "" = from the scheme: implicit for smtps/imaps, starttls otherwise
  std::string username;
  std::string password_file;
  std::string ca_file;
};

struct MailboxConfig {
  std::string name;
  MailServerConfig server;
  std::string folder = "INBOX";
  std::string processed_folder;
  std::string category;
  int64_t poll_seconds = 60;
  /// Watch the folder with IMAP IDLE (RFC 2177) as well, so new mail is read within
  /// seconds; polling every poll_seconds stays the fallback.
  bool idle = true;
};

/// The LMTP listener (lmtp/lmtp_server.h). Anyone who can connect can hand it mail, as
/// anyone on the Internet can send mail to the company: it listens on loopback or a Unix
/// socket that only the MTA can reach.
struct LmtpConfig {
  std::string listen;      // "host:port" or "unix:/absolute/path"
  int socket_mode = 0660;  // permissions of a Unix socket
  int64_t max_connections = 100;
  /// Recipient address (one of [mail] addresses, normalised) -> category of new cases.
  std::vector<std::pair<std::string, std::string>> queues;
};

struct MailConfig {
  std::vector<std::string> addresses;
  std::string from_name = "Customer Service";
  std::string thread_key_file;
  std::string mailgate_secret_file;
  int64_t max_message_bytes = int64_t{25} << 20;
  int64_t max_attachment_bytes = int64_t{10} << 20;
  bool acknowledge = true;
  /// Loop guard: a sender who opens several cases within this window (an auto-responder
  /// that escapes the classifier, a script) gets one acknowledgement, not one per case.
  int64_t acknowledge_window_seconds = 86400;
  std::optional<MailServerConfig> smtp;
  std::vector<MailboxConfig> mailboxes;
  std::optional<LmtpConfig> lmtp;

  bool enabled() const { return !addresses.empty(); }
};

/// Reads the [mail] table (and its [mail.smtp] and [[mail.mailboxes]]) with the same
/// strictness as the rest of the file: unknown keys, wrong types and bad values are errors
/// naming the position. `file` is for messages.
Result<MailConfig> ParseMailConfig(const toml::table& mail, const std::string& file);

/// The thread token key from [mail] thread_key_file: 32 raw bytes or 64 hex digits.
Result<std::string> LoadThreadKey(const MailConfig& mail);

}  // namespace redress::app
