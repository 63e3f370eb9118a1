// Cutting short, from another thread, a connection that a library (libetpan, for the IMAP
// IDLE watcher) blocks in: connecting, a TLS handshake, waiting for a greeting or a reply.
// Such a library only gives up at its own timeout, which a thread that is shutting down
// (MailPoller::Stop) cannot wait for.
//
// The connection's socket is attached to a SocketInterrupt while it is open. Interrupt()
// shuts the socket down for reading (shutdown(2), not close: the descriptor stays the
// owner's, so its number cannot be reused under the owner's feet). A blocked read or poll
// on it returns at once with end-of-file, and a connect still in progress is abandoned:
// the library sees the connection fail. Reading only, so that the library's next write
// does not raise SIGPIPE. Once interrupted, a SocketInterrupt stays so: a socket attached
// later is shut down as it is attached, and ConnectTcp fails at once.
//
// Thread-safe. The owner detaches the socket before closing it.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "core/result.h"

namespace redress::email::transport {

class SocketInterrupt {
 public:
  SocketInterrupt() = default;
  SocketInterrupt(const SocketInterrupt&) = delete;
  SocketInterrupt& operator=(const SocketInterrupt&) = delete;

  /// Shuts the attached socket down, and every socket attached from now on. Idempotent.
  void Interrupt();
  bool interrupted() const;

  /// The socket `fd` is open: Interrupt() acts on it until Detach(). One at a time.
  void Attach(int fd);
  /// The socket is about to be closed.
  void Detach();

 private:
  mutable std::mutex mu_;
  bool interrupted_ = false;
  int fd_ = -1;
};

/// A TCP connection to `host`:`port` (every address the name has, in order, until one
/// answers), within `timeout` in all. The socket is non-blocking and close-on-exec, and
/// stays attached to `interrupt` (when given) on success. kUnavailable when no address
/// answered, naming the host and the last reason; also when interrupted. Looking the name
/// up is not interruptible (getaddrinfo; instant for an address or /etc/hosts).
Result<int> ConnectTcp(const std::string& host, uint16_t port, std::chrono::milliseconds timeout,
                       SocketInterrupt* interrupt);

}  // namespace redress::email::transport
