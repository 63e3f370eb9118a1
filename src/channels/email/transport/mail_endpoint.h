// Where a mail server is and how to talk to it securely. Shared by the SMTP sender and the
// IMAP mailbox, which both move raw bytes and know nothing of MIME.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace redress::email::transport {

/// How the connection is secured. kStartTlsOptional upgrades when the server offers
/// STARTTLS and silently continues in plain text when it does not: use it only on a trusted
/// network. kStartTlsRequired fails the connection (as a temporary failure) if the upgrade
/// is impossible. kImplicit speaks TLS from the first byte (smtps 465, imaps 993).
enum class TlsMode { kNone, kStartTlsOptional, kStartTlsRequired, kImplicit };

/// The stable lowercase name ("starttls_required"), for configuration files and logs.
const char* TlsModeName(TlsMode mode);

struct MailEndpoint {
  std::string host;  // also the name the server certificate must carry
  uint16_t port = 0;
  TlsMode tls = TlsMode::kStartTlsRequired;
  std::string username;  // empty: no AUTH / LOGIN
  std::string password;  // never logged, never put into an error message
  /// PEM file of certificate authorities to trust instead of the system store (a private
  /// CA, or a test's self-signed certificate). Empty: the system store.
  std::string ca_file;
  /// Certificate and host name checks. Turning them off makes TLS encryption without
  /// authentication; it exists for lab setups and is named loudly in the log by callers.
  bool verify_peer = true;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(15)};
  /// Upper bound for one whole operation (one message sent, one message fetched).
  std::chrono::milliseconds operation_timeout{std::chrono::minutes(5)};
};

}  // namespace redress::email::transport
