// Watches one IMAP folder with IDLE (RFC 2177) and says when something in it changed, so
// that the caller polls now instead of at its next poll_interval. It only watches: it never
// fetches, marks or moves a message. Reading the folder stays ImapMailbox's job (libcurl),
// under its protocol (imap_mailbox.h), so a wake-up can be early, late, spurious or lost
// without losing or duplicating mail: the caller still polls every poll_interval.
//
// Why libetpan: libcurl cannot keep a command open and hand over untagged responses as they
// arrive; libetpan (Debian's libetpan-dev) can. It is used for this connection only.
//
// The connection: the same ImapMailboxConfig as the mailbox (host, port, TLS mode with
// STARTTLS, user, password, CA file). libetpan's TLS does not check certificates, so the
// chain is checked here (server_certificate.h) before LOGIN: the password only ever goes
// to a server whose certificate is trusted for the host (unless verify_peer is off). The
// folder is opened with EXAMINE (read-only): watching changes nothing in it, not even
// \Recent.
//
// Wait: one or more IDLE ... DONE rounds. Any untagged EXISTS, RECENT, EXPUNGE or FETCH the
// server sends is "changed"; a keepalive ("* OK Still here") is not. IDLE is renewed at
// least every kMaxIdleRound, as RFC 2177 asks (servers may drop an IDLE after 30 minutes).
// TCP keepalive probes (tcp_keepalive.h) notice a server that vanished without closing in
// about two minutes, without waiting for the renewal.
// The socket is watched in steps of at most one second, asking `stop` between them, so a
// stopping caller waits at most about a second (plus the DONE round trip).
//
// Interrupting (socket_interrupt.h): Connect and Wait block on the network for up to
// connect_timeout per step (connecting, TLS handshake, greeting, each reply; libetpan may
// wait twice that for a server that accepted and says nothing: 30 s by default). A caller
// that must stop sooner passes a SocketInterrupt and calls Interrupt() from another thread:
// the socket is shut down, a Connect in progress fails (kUnavailable, "interrupted") and a
// Wait returns kStopped, both at once. The connection is then unusable. (Without an
// interrupt, a stopping caller of Connect waits for it to fail or finish.)
//
// Errors: kUnavailable (cannot connect, TLS or certificate failure, STARTTLS required but
// not offered, connection lost or timed out, interrupted: try again later),
// kUnauthenticated (login refused), kNotFound (no such folder), kInvalidArgument (bad
// configuration; Wait on a server without IDLE), kInternal (the server said something
// unexpected). Never contains the password.
//
// Not thread-safe: one ImapIdle per watching thread. libetpan writes to the socket without
// MSG_NOSIGNAL, so a write to a server that hung up raises SIGPIPE: run it on a thread that
// blocks SIGPIPE (the write then fails with EPIPE, a kUnavailable), as MailPoller does.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "channels/email/transport/imap_mailbox.h"
#include "channels/email/transport/socket_interrupt.h"
#include "core/result.h"

struct mailimap;

namespace redress::email::transport {

inline constexpr std::chrono::minutes kMaxIdleRound{25};

enum class IdleEvent {
  kChanged,  // the server reported a change in the folder: poll now
  kTimeout,  // nothing happened within the timeout
  kStopped,  // `stop` returned true
};

class ImapIdle {
 public:
  /// Connects, secures, checks the certificate, logs in and EXAMINEs config.folder.
  /// `interrupt` (optional) must outlive the ImapIdle.
  static Result<ImapIdle> Connect(const ImapMailboxConfig& config,
                                  SocketInterrupt* interrupt = nullptr);
  ImapIdle(ImapIdle&&) noexcept;
  ImapIdle& operator=(ImapIdle&&) noexcept;
  ~ImapIdle();  // closes the connection (no LOGOUT round trip: stopping stays prompt)

  /// Whether the server announced the IDLE capability. Wait needs it.
  bool supports_idle() const { return supports_idle_; }

  /// Blocks until the folder changes, `timeout` passes, `stop` returns true (asked at
  /// least once a second) or the interrupt fires (kStopped). The connection is out of IDLE
  /// again when it returns, unless interrupted.
  Result<IdleEvent> Wait(std::chrono::milliseconds timeout, const std::function<bool()>& stop);

 private:
  struct SessionFree {
    void operator()(mailimap* session) const;
  };
  using Session = std::unique_ptr<mailimap, SessionFree>;

  ImapIdle(Session session, ImapMailboxConfig config, SocketInterrupt* interrupt)
      : session_(std::move(session)), config_(std::move(config)), interrupt_(interrupt) {}
  Result<void> Open();
  /// Closes the connection, detaching its socket from the interrupt first.
  void Close();
  bool Interrupted() const { return interrupt_ != nullptr && interrupt_->interrupted(); }
  Result<bool> IdleRound(std::chrono::steady_clock::time_point until,
                         const std::function<bool()>& stop);
  Result<bool> Readable(std::chrono::milliseconds at_most);

  Session session_;
  ImapMailboxConfig config_;
  SocketInterrupt* interrupt_ = nullptr;
  bool supports_idle_ = false;
};

}  // namespace redress::email::transport
