#include "app/mail_config.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "app/listen_address.h"
#include "core/hex.h"
#include "core/secret_file.h"
#include "domain/customer.h"

namespace redress::app {
namespace {

std::string At(const std::string& file, const toml::node& node) {
  return file + ":" + std::to_string(node.source().begin.line) + ":" +
         std::to_string(node.source().begin.column) + ": ";
}

tl::unexpected<Error> Bad(const std::string& file, const toml::node& node, const std::string& key,
                          const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument, At(file, node) + "[" + key + "] " + what, key);
}

// A reader for one table that remembers which keys were read, so leftovers are errors.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string name, const std::string& file)
      : table_(table), name_(std::move(name)), file_(file) {}

  Result<void> String(const char* key, std::string& out) {
    used_.insert(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return {};
    const auto* s = node->as_string();
    if (s == nullptr) return Bad(file_, *node, name_ + " " + key, "must be a string");
    out = s->get();
    return {};
  }
  Result<void> Integer(const char* key, int64_t& out, int64_t min, int64_t max) {
    used_.insert(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return {};
    const auto* i = node->as_integer();
    if (i == nullptr || i->get() < min || i->get() > max) {
      return Bad(file_, *node, name_ + " " + key,
                 "must be an integer between " + std::to_string(min) + " and " +
                     std::to_string(max));
    }
    out = i->get();
    return {};
  }
  Result<void> Boolean(const char* key, bool& out) {
    used_.insert(key);
    const toml::node* node = table_.get(key);
    if (node == nullptr) return {};
    const auto* b = node->as_boolean();
    if (b == nullptr) return Bad(file_, *node, name_ + " " + key, "must be true or false");
    out = b->get();
    return {};
  }
  void Skip(const char* key) { used_.insert(key); }
  Result<void> NoOthers() const {
    for (const auto& [key, node] : table_) {
      if (!used_.contains(std::string(key.str()))) {
        return Bad(file_, node, name_, "has no setting '" + std::string(key.str()) + "'");
      }
    }
    return {};
  }

 private:
  const toml::table& table_;
  std::string name_;
  const std::string& file_;
  std::set<std::string, std::less<>> used_;
};

#define REDRESS_TRY(expr)                   \
  do {                                      \
    if (auto ok_ = (expr); !ok_) return Fail(ok_.error()); \
  } while (false)

Result<MailServerConfig> ParseServer(const toml::table& table, const std::string& name,
                                     const std::string& file, const char* schemes) {
  TableReader r(table, name, file);
  MailServerConfig server;
  REDRESS_TRY(r.String("url", server.url));
  REDRESS_TRY(r.String("tls", server.tls));
  REDRESS_TRY(r.String("username", server.username));
  REDRESS_TRY(r.String("password_file", server.password_file));
  REDRESS_TRY(r.String("ca_file", server.ca_file));
  REDRESS_TRY(r.NoOthers());
  if (server.url.empty()) {
    return Fail(ErrorCode::kInvalidArgument, file + ": [" + name + "] url is required", name);
  }
  bool scheme_ok = false;
  std::istringstream list(schemes);
  for (std::string scheme; list >> scheme;) {
    if (server.url.rfind(scheme + "://", 0) == 0) scheme_ok = true;
  }
  if (!scheme_ok) {
    return Fail(ErrorCode::kInvalidArgument,
                file + ": [" + name + "] url must start with one of: " + schemes + " (as scheme://)",
                name);
  }
  if (!server.tls.empty() && server.tls != "none" && server.tls != "starttls_optional" &&
      server.tls != "starttls" && server.tls != "implicit") {
    return Fail(ErrorCode::kInvalidArgument,
                file + ": [" + name +
                    "] tls must be one of none, starttls_optional, starttls, implicit",
                name);
  }
  return server;
}

// "host:port", "[v6]:port" or "unix:/absolute/path"; the host is resolved at start.
bool LooksLikeListenAddress(std::string_view listen) {
  if (listen.starts_with("unix:")) return listen.size() > 6 && listen[5] == '/';
  return ParseListenAddress(listen).has_value();
}

Result<LmtpConfig> ParseLmtp(const toml::table& table, const std::vector<std::string>& addresses,
                             const std::string& file) {
  TableReader r(table, "mail.lmtp", file);
  LmtpConfig lmtp;
  REDRESS_TRY(r.String("listen", lmtp.listen));
  std::string mode = "0660";
  REDRESS_TRY(r.String("socket_mode", mode));
  REDRESS_TRY(r.Integer("max_connections", lmtp.max_connections, 1, 10000));
  r.Skip("queues");
  REDRESS_TRY(r.NoOthers());
  if (!LooksLikeListenAddress(lmtp.listen)) {
    return Fail(ErrorCode::kInvalidArgument,
                file +
                    ": [mail.lmtp] listen must be host:port (127.0.0.1:2424, [::1]:2424) or "
                    "unix:/absolute/path, got '" +
                    lmtp.listen + "'",
                "mail.lmtp.listen");
  }
  const bool octal =
      !mode.empty() && mode.size() <= 4 && mode.find_first_not_of("01234567") == std::string::npos;
  if (!octal) {
    return Fail(ErrorCode::kInvalidArgument,
                file +
                    ": [mail.lmtp] socket_mode must be octal permissions such as \"0660\", got '" +
                    mode + "'",
                "mail.lmtp.socket_mode");
  }
  lmtp.socket_mode = std::stoi(mode, nullptr, 8);
  if (const toml::node* node = table.get("queues")) {
    const auto* queues = node->as_table();
    if (queues == nullptr) return Bad(file, *node, "mail.lmtp.queues", "must be a table");
    for (const auto& [key, value] : *queues) {
      auto address = domain::NormalizeEmail(key.str());
      if (!address || std::find(addresses.begin(), addresses.end(), *address) == addresses.end()) {
        return Bad(file, value, "mail.lmtp.queues",
                   "'" + std::string(key.str()) + "' is not one of [mail] addresses");
      }
      const auto* category = value.as_string();
      if (category == nullptr || category->get().empty()) {
        return Bad(file, value, "mail.lmtp.queues",
                   "'" + std::string(key.str()) + "' must name a category (a non-empty string)");
      }
      lmtp.queues.emplace_back(*address, category->get());
    }
  }
  return lmtp;
}

}  // namespace

Result<MailConfig> ParseMailConfig(const toml::table& mail, const std::string& file) {
  MailConfig config;
  TableReader r(mail, "mail", file);
  r.Skip("smtp");
  r.Skip("mailboxes");
  r.Skip("lmtp");
  if (const toml::node* node = mail.get("addresses")) {
    const auto* array = node->as_array();
    if (array == nullptr) return Bad(file, *node, "mail addresses", "must be an array of strings");
    for (const toml::node& item : *array) {
      const auto* s = item.as_string();
      if (s == nullptr) return Bad(file, item, "mail addresses", "must be an array of strings");
      auto normalized = domain::NormalizeEmail(s->get());
      if (!normalized) {
        return Bad(file, item, "mail addresses", "'" + s->get() + "': " + normalized.error().message);
      }
      config.addresses.push_back(*normalized);
    }
  }
  r.Skip("addresses");
  REDRESS_TRY(r.String("from_name", config.from_name));
  REDRESS_TRY(r.String("thread_key_file", config.thread_key_file));
  REDRESS_TRY(r.String("mailgate_secret_file", config.mailgate_secret_file));
  REDRESS_TRY(r.Integer("max_message_bytes", config.max_message_bytes, 1024, int64_t{64} << 20));
  REDRESS_TRY(
      r.Integer("max_attachment_bytes", config.max_attachment_bytes, 0, int64_t{64} << 20));
  REDRESS_TRY(r.Boolean("acknowledge", config.acknowledge));
  REDRESS_TRY(r.Integer("acknowledge_window_seconds", config.acknowledge_window_seconds, 0,
                        int64_t{30} * 86400));
  REDRESS_TRY(r.NoOthers());

  if (const toml::node* node = mail.get("smtp")) {
    const auto* table = node->as_table();
    if (table == nullptr) return Bad(file, *node, "mail.smtp", "must be a table");
    auto server = ParseServer(*table, "mail.smtp", file, "smtp smtps");
    if (!server) return Fail(server.error());
    config.smtp = std::move(*server);
  }
  if (const toml::node* node = mail.get("mailboxes")) {
    const auto* array = node->as_array();
    if (array == nullptr) return Bad(file, *node, "mail.mailboxes", "must be [[mail.mailboxes]] tables");
    std::set<std::string> names;
    for (const toml::node& item : *array) {
      const auto* table = item.as_table();
      if (table == nullptr) return Bad(file, item, "mail.mailboxes", "must be tables");
      // The server's keys are read by ParseServer from a copy; the mailbox's own keys from
      // the table itself, so their errors keep their line and column.
      constexpr const char* kServerKeys[] = {"url", "tls", "username", "password_file", "ca_file"};
      toml::table server_part;
      MailboxConfig box;
      TableReader br(*table, "mail.mailboxes", file);
      for (const char* key : kServerKeys) {
        if (const toml::node* value = table->get(key)) server_part.insert(key, *value);
        br.Skip(key);
      }
      REDRESS_TRY(br.String("name", box.name));
      REDRESS_TRY(br.String("folder", box.folder));
      REDRESS_TRY(br.String("processed_folder", box.processed_folder));
      REDRESS_TRY(br.String("category", box.category));
      REDRESS_TRY(br.Integer("poll_seconds", box.poll_seconds, 1, 86400));
      REDRESS_TRY(br.Boolean("idle", box.idle));
      REDRESS_TRY(br.NoOthers());
      if (box.name.empty() || !names.insert(box.name).second) {
        return Bad(file, item, "mail.mailboxes",
                   "each mailbox needs a name of its own (got '" + box.name + "')");
      }
      auto server = ParseServer(server_part, "mail.mailboxes " + box.name, file, "imap imaps");
      if (!server) return Fail(server.error());
      box.server = std::move(*server);
      config.mailboxes.push_back(std::move(box));
    }
  }
  if (const toml::node* node = mail.get("lmtp")) {
    const auto* table = node->as_table();
    if (table == nullptr) return Bad(file, *node, "mail.lmtp", "must be a table");
    auto lmtp = ParseLmtp(*table, config.addresses, file);
    if (!lmtp) return Fail(lmtp.error());
    config.lmtp = std::move(*lmtp);
  }
  if ((config.smtp || !config.mailboxes.empty() || config.lmtp) && config.addresses.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                file +
                    ": [mail] addresses must name the company's mailboxes when SMTP, "
                    "mailboxes or LMTP are configured",
                "mail.addresses");
  }
  if (config.enabled() && config.thread_key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                file + ": [mail] thread_key_file is required: the key that signs thread tokens",
                "mail.thread_key_file");
  }
  return config;
}

Result<std::string> LoadThreadKey(const MailConfig& mail) {
  auto content = ReadSecretFile(mail.thread_key_file, "[mail] thread_key_file");
  if (!content) return Fail(content.error());
  if (content->size() == 32) return *content;
  if (content->size() == 64) {
    if (auto key = DecodeHex(*content)) return std::move(*key);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "[mail] thread_key_file " + mail.thread_key_file +
                  " must hold 32 random bytes or 64 hex digits",
              "mail.thread_key_file");
}

}  // namespace redress::app
