// How an I/O thread of a server (HTTP, LMTP) ends on stop: once its last connection has
// finished, or when the grace time is up, whichever comes first.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace redress::app {

/// Polls `live_connections` on `context` every few milliseconds, then stops `context`.
/// Connections still running at `deadline` are abandoned, and a warning naming `server`
/// says how many. Spawn it on `context` itself, after the acceptor is closed.
boost::asio::awaitable<void> StopWhenDrained(boost::asio::io_context& context,
                                             std::function<size_t()> live_connections,
                                             std::chrono::steady_clock::time_point deadline,
                                             std::string server);

}  // namespace redress::app
