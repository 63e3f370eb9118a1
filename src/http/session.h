// One TCP connection, served by one coroutine in the shape of Beast's awaitable server
// example: read a request, let the Dispatcher answer it, write the response, repeat while
// keep-alive holds. The connection's limits (timeouts, header size) are constants at the
// top of session.cc; the body limit is configured ([server] body_limit_bytes).
#pragma once

#include <cstdint>
#include <set>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/dispatcher.h"

namespace redress::http {

class Connection;

/// The live connections of one I/O thread, so that a stopping server can close the idle
/// ones at once and let busy ones finish their response. Touched only from that thread's
/// io_context, so there is no lock.
class ConnectionSet {
 public:
  ConnectionSet() = default;
  ConnectionSet(const ConnectionSet&) = delete;
  ConnectionSet& operator=(const ConnectionSet&) = delete;

  /// From now on no connection starts reading another request: connections waiting for
  /// one are closed now, those mid-request close after writing their response (which
  /// says Connection: close).
  void Drain();
  bool draining() const { return draining_; }
  bool empty() const { return live_.empty(); }
  size_t size() const { return live_.size(); }

 private:
  friend class Connection;
  std::set<Connection*> live_;
  bool draining_ = false;
};

/// Serves `socket` until the client closes, keep-alive ends, a timeout or a read error,
/// or `connections` drains. Registers itself in `connections` for its lifetime. Reports
/// failures to the client (413, 400) and the log, never to the caller.
boost::asio::awaitable<void> ServeConnection(boost::asio::ip::tcp::socket socket,
                                             const Dispatcher& dispatcher,
                                             ConnectionSet& connections, uint64_t body_limit);

}  // namespace redress::http
