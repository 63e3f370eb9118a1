// A client of GET /api/v1/changes (server-sent events) for tests: one connection, read with
// a blocking socket and short receive timeouts, so a test can wait for an event with a
// deadline or check that nothing arrives within a window.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace redress::testing {

class EventStream {
 public:
  /// Connects to 127.0.0.1:`port` and sends the request with `Authorization: Bearer`.
  EventStream(uint16_t port, const std::string& token);

  /// Reads until `needle` appears in what arrived (then returns all of it and forgets it),
  /// or nullopt after `timeout` or when the server closed the stream.
  std::optional<std::string> ReadUntil(const std::string& needle,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5));

  /// Everything that arrives within `window`.
  std::string Drain(std::chrono::milliseconds window);

  /// The start of the `event: case` text for `case_id`, as the server writes it.
  static std::string CaseEvent(int64_t case_id);

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string received_;
};

}  // namespace redress::testing
