#include "support/event_stream.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>

namespace redress::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

EventStream::EventStream(uint16_t port, const std::string& token) : socket_(io_) {
  socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  timeval tv{0, 200 * 1000};
  setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string request = "GET /api/v1/changes HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " +
                              token + "\r\nAccept: text/event-stream\r\n\r\n";
  asio::write(socket_, asio::buffer(request));
}

std::optional<std::string> EventStream::ReadUntil(const std::string& needle,
                                                  std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (received_.find(needle) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    char buffer[4096];
    const ssize_t n = ::recv(socket_.native_handle(), buffer, sizeof buffer, 0);
    if (n > 0) received_.append(buffer, static_cast<size_t>(n));
    if (n == 0) return std::nullopt;  // the server closed the stream
  }
  std::string all = std::move(received_);
  received_.clear();
  return all;
}

std::string EventStream::Drain(std::chrono::milliseconds window) {
  ReadUntil(std::string("\x01never\x01"), window);
  std::string all = std::move(received_);
  received_.clear();
  return all;
}

std::string EventStream::CaseEvent(int64_t case_id) {
  return "event: case\ndata: {\"case_id\":" + std::to_string(case_id);
}

}  // namespace redress::testing
