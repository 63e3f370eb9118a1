// A real SMTP server for one test process: smtp_peer.py on Debian's python3-aiosmtpd,
// with a throwaway spool directory and self-signed certificate. See smtp_peer.py for its
// four ports (plain; STARTTLS + AUTH required; implicit TLS + AUTH; silent) and for the
// recipients it refuses ("reject5..." → 550, "reject4..." → 451, "greylist..." → 451 the
// first time only).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "peers/child_process.h"
#include "peers/scratch_dir.h"
#include "peers/tls_certificate.h"

namespace redress::test_peers {

/// One message the server accepted, as it was received.
struct ReceivedMail {
  std::string raw;  // DATA after dot-unstuffing, byte for byte
  std::string mail_from;
  std::vector<std::string> rcpt_tos;  // accepted recipients only
  std::string login;                  // AUTH user, "" without AUTH
  bool tls = false;                   // the session was encrypted (STARTTLS or implicit)
};

class SmtpPeer {
 public:
  static Result<std::unique_ptr<SmtpPeer>> Start();
  ~SmtpPeer();

  uint16_t plain_port() const { return plain_port_; }
  uint16_t starttls_port() const { return starttls_port_; }
  uint16_t smtps_port() const { return smtps_port_; }
  uint16_t silent_port() const { return silent_port_; }
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::string& ca_file() const { return tls_.certificate; }

  /// Every message accepted since the start or the last Forget(), in order of acceptance.
  Result<std::vector<ReceivedMail>> Received() const;
  /// Empties the spool, so that each test of a suite sees only its own mail.
  void Forget();

 private:
  explicit SmtpPeer(ScratchDir dir) : dir_(std::move(dir)) {}

  ScratchDir dir_;
  TlsFiles tls_;
  std::string user_ = "mailer";
  std::string password_ = "s3cret-Pa55";
  uint16_t plain_port_ = 0;
  uint16_t starttls_port_ = 0;
  uint16_t smtps_port_ = 0;
  uint16_t silent_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace redress::test_peers
