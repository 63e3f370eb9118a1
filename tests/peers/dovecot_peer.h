// A real Dovecot IMAP server (Debian dovecot-imapd) for one test process: its own
// configuration file, runtime and state directories, Maildir store, passwd-file user and
// self-signed certificate, all in a scratch directory; listening on two free 127.0.0.1 ports
// (imap with STARTTLS offered, and imaps). Nothing of the system's /etc/dovecot is read.
// Options make it a server without IDLE; Restart() takes it down and up again on the same
// ports and mail store, as a server restart or failover looks to a client.
//
// Privileges: started as root (CI), Dovecot runs its internal and login processes as the
// Debian package's `dovecot` and `dovenull` users and the mail user's processes as
// `nobody`, who owns the mail store. Started as another user, everything runs as that user.
//
// The helper methods talk to the server with libcurl directly (not with the code under
// test), so they are an independent way to put messages in and look at the mailbox.
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

class DovecotPeer {
 public:
  struct Options {
    /// false: the server does not announce IDLE (imap_capability lists everything else).
    bool idle = true;
  };
  static Result<std::unique_ptr<DovecotPeer>> Start(Options options);
  static Result<std::unique_ptr<DovecotPeer>> Start() { return Start(Options{}); }
  ~DovecotPeer();

  uint16_t imap_port() const { return imap_port_; }
  uint16_t imaps_port() const { return imaps_port_; }
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::string& ca_file() const { return tls_.certificate; }

  /// IMAP APPEND of `message` (exact bytes) to `folder`, which must exist (INBOX always
  /// does). Returns nothing; the server's UID for it is the next one.
  Result<void> Append(const std::string& folder, const std::string& message);
  /// The same for many messages over one connection (the server's UIDs follow their order).
  Result<void> Append(const std::string& folder, const std::vector<std::string>& messages);
  /// Runs one IMAP command with `folder` selected ("" for none) and returns the untagged
  /// responses, e.g. Command("INBOX", "UID FETCH 1:* (FLAGS)").
  Result<std::string> Command(const std::string& folder, const std::string& command);
  /// Stops the server and every process it started (connections then fail) without
  /// removing its files.
  void Stop();
  /// Stops the server, which closes every client connection, and starts it again on the
  /// same ports with the same mail; returns once it greets new connections.
  Result<void> Restart();

 private:
  DovecotPeer(ScratchDir dir, Options options) : dir_(std::move(dir)), options_(options) {}
  Result<void> WriteConfig();
  /// Starts Dovecot with the written configuration and waits for its greeting.
  Result<void> Launch();

  ScratchDir dir_;
  Options options_;
  TlsFiles tls_;
  std::string user_ = "agent";
  std::string password_ = "correct horse";
  uint16_t imap_port_ = 0;
  uint16_t imaps_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace redress::test_peers
