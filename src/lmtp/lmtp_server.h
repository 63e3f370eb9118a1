// The LMTP listener: the door for an MTA that delivers many messages over one connection
// (Postfix `lmtp:inet:127.0.0.1:2424` or `lmtp:unix:...`, Exim's lmtp transport,
// Dovecot's lmtp proxy), instead of starting `redress-mailgate` once per message.
//
// One I/O thread runs every connection (the protocol is email::LmtpSession); reading the
// MIME runs on the CPU pool; filing runs on the store's writer through app::MailIntake like
// every other door for mail, and messages arriving on different connections at the same
// time share commits. A message's answers (one per recipient) are written only after its
// write committed: 250 means durably stored, 451 means try again later.
//
// Lifecycle: construct, Start() (binds, then serves), Stop() from any thread, Wait(). Stop
// closes the listener and idle connections at once; a connection in the middle of a
// message gets until `stop_grace` to finish it (its answers are sent, then 421).
// Completions of writes still queued are posted to this server's io_context, so destroy
// the server only after the store has drained its writes.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "app/mail_intake.h"
#include "channels/email/transport/lmtp_protocol.h"
#include "core/clock.h"
#include "core/result.h"
#include "lmtp/lmtp_recipients.h"
#include "store/store.h"

namespace redress::lmtp {

struct LmtpServerOptions {
  std::string listen;      // "host:port" (port 0: any free port) or "unix:/absolute/path"
  int socket_mode = 0660;  // a Unix socket's permissions
  int max_connections = 100;
  std::string host_name;  // in the greeting; empty = this machine's name
  email::LmtpLimits limits;
  std::chrono::seconds command_timeout{300};  // RFC 5321 4.5.3.2: at least 5 minutes
  std::chrono::seconds data_timeout{600};     // between two reads inside a message
  std::chrono::milliseconds stop_grace{5000};
};

/// Options from [mail] and [mail.lmtp] (which must be present).
LmtpServerOptions LmtpServerOptionsFrom(const app::MailConfig& mail);

class LmtpServer {
 public:
  /// Every reference must outlive the server.
  LmtpServer(store::Store& store, Clock& clock, const app::MailIntake& intake,
             boost::asio::thread_pool& cpu, LmtpRecipients recipients, LmtpServerOptions options);
  ~LmtpServer();
  LmtpServer(const LmtpServer&) = delete;
  LmtpServer& operator=(const LmtpServer&) = delete;

  /// Binds and starts serving; returns the address bound ("127.0.0.1:40123",
  /// "unix:/run/redress/lmtp.sock"). A Unix socket file left by a dead process is
  /// replaced; one that a live process answers on is kUnavailable. Call once.
  Result<std::string> Start();

  /// Returns at once; thread-safe; idempotent.
  void Stop();

  /// Blocks until the I/O thread has ended (after Stop()).
  void Wait();

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace redress::lmtp
