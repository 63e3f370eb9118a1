#include "http/session.h"

#include <array>
#include <chrono>
#include <string>
#include <tuple>
#include <utility>

#include <functional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>

namespace redress::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// ---- The limits of one connection.
// Whole request (header and body) must arrive within this; it is also how long an idle
// keep-alive connection is kept open.
constexpr auto kReadTimeout = std::chrono::seconds(30);
// A client that stops reading its response is dropped after this.
constexpr auto kWriteTimeout = std::chrono::seconds(30);
// Request line plus header fields. Beast's default is 8 KiB; cookies and bearer tokens
// fit easily in either, 16 KiB leaves room for proxies that add headers.
constexpr uint32_t kHeaderLimit = 16 * 1024;
// After answering 413 we read and discard what the client is still uploading, for at most
// this long: closing a socket with unread data sends a reset, and the client would see
// "connection reset" instead of our 413.
constexpr auto kLingerTimeout = std::chrono::seconds(2);

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

/// A parse error the client should hear about (400), as opposed to the client simply
/// going away (end of stream between requests, or in the middle of one).
bool IsMalformedRequest(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

bool ExpectsContinue(const Request& request) {
  return request.version() >= 11 && beast::iequals(request[http::field::expect], "100-continue");
}

}  // namespace

/// A connection's registration in its ConnectionSet, and the state Drain needs.
class Connection {
 public:
  Connection(tcp::socket socket, ConnectionSet& set) : stream(std::move(socket)), set_(set) {
    set_.live_.insert(this);
    // Responses are written whole; without NODELAY a small response can wait for the
    // client's delayed ACK (40 ms).
    beast::error_code ec;
    stream.socket().set_option(tcp::no_delay(true), ec);
  }
  ~Connection() { set_.live_.erase(this); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  beast::tcp_stream stream;
  bool busy = false;  // between reading a request's header and writing its response
  std::function<void()> on_drain;  // set while a streamed response runs

 private:
  ConnectionSet& set_;
};

namespace {

/// Writes a streamed body straight to the connection, each piece with its own timeout.
class ConnectionStreamWriter final : public StreamWriter {
 public:
  explicit ConnectionStreamWriter(Connection& connection) : connection_(connection) {}

  asio::awaitable<bool> Write(std::string data) override {
    connection_.stream.expires_after(kWriteTimeout);
    auto [ec, n] = co_await asio::async_write(connection_.stream, asio::buffer(data), kAwait);
    co_return !ec;
  }

  void OnStop(std::function<void()> stop) override { connection_.on_drain = std::move(stop); }

 private:
  Connection& connection_;
};

/// Writes the header of a streamed response: no length (the body runs until the
/// connection closes), never kept alive, never cached or buffered by a proxy.
asio::awaitable<bool> WriteStreamHeader(beast::tcp_stream& stream, const Response& response) {
  http::response<http::empty_body> head{response.base()};
  head.erase(http::field::content_length);
  head.keep_alive(false);
  head.set(http::field::cache_control, "no-store");
  head.set("X-Accel-Buffering", "no");
  http::response_serializer<http::empty_body> serializer{head};
  stream.expires_after(kWriteTimeout);
  auto [ec, n] = co_await http::async_write_header(stream, serializer, kAwait);
  co_return !ec;
}

}  // namespace

void ConnectionSet::Drain() {
  draining_ = true;
  for (Connection* connection : live_) {
    if (connection->on_drain) {
      connection->on_drain();
    } else if (!connection->busy) {
      connection->stream.cancel();
    }
  }
}

asio::awaitable<void> ServeConnection(tcp::socket socket, const Dispatcher& dispatcher,
                                      ConnectionSet& connections, uint64_t body_limit) {
  Connection connection(std::move(socket), connections);
  beast::tcp_stream& stream = connection.stream;
  beast::flat_buffer buffer;
  beast::error_code ec;
  size_t transferred = 0;  // unused: the parser knows what it read
  bool linger = false;

  while (!connections.draining()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    // The body limit depends on the route (a raw email may be larger than a JSON body), so
    // it is set once the header is in; a Content-Length over it is refused before the body
    // is read, a chunked body as soon as it grows past it.
    parser.body_limit(boost::none);
    uint64_t limit = body_limit;

    stream.expires_after(kReadTimeout);
    std::tie(ec, transferred) = co_await http::async_read_header(stream, buffer, parser, kAwait);
    connection.busy = true;
    // Only a request that carries a body needs its route looked up here (Answer finds it
    // again anyway); a GET keeps the server's limit.
    if (!ec && (parser.chunked() || parser.content_length().value_or(0) > 0)) {
      limit = dispatcher.BodyLimit(parser.get(), body_limit);
      parser.body_limit(limit);
      if (parser.content_length() && *parser.content_length() > limit) ec = http::error::body_limit;
    }
    if (!ec && ExpectsContinue(parser.get())) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      std::tie(ec, transferred) = co_await http::async_write(stream, go_on, kAwait);
    }
    if (!ec) std::tie(ec, transferred) = co_await http::async_read(stream, buffer, parser, kAwait);

    Response response;
    StreamBody stream_body;
    if (!ec) {
      response = co_await dispatcher.Handle(parser.get(), &stream_body);
    } else if (ec == http::error::body_limit) {
      response = dispatcher.Reject(
          parser.get(), ProblemType::kPayloadTooLarge,
          fmt::format("request body is larger than the limit of {} bytes", limit));
      linger = true;
    } else if (ec == http::error::header_limit) {
      response = dispatcher.Reject(
          parser.get(), ProblemType::kBadRequest,
          fmt::format("request header is larger than the limit of {} bytes", kHeaderLimit));
    } else if (IsMalformedRequest(ec)) {
      response = dispatcher.Reject(parser.get(), ProblemType::kBadRequest,
                                   fmt::format("malformed HTTP request: {}", ec.message()));
    } else {
      break;  // closed by the client, timed out, or cancelled by Drain
    }

    if (stream_body) {
      if (!connections.draining() && co_await WriteStreamHeader(stream, response)) {
        ConnectionStreamWriter writer(connection);
        co_await stream_body(writer);
        connection.on_drain = nullptr;
      }
      break;
    }
    if (connections.draining()) response.keep_alive(false);
    stream.expires_after(kWriteTimeout);
    std::tie(ec, transferred) = co_await http::async_write(stream, response, kAwait);
    if (ec || !response.keep_alive()) break;
    connection.busy = false;
  }

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    std::array<char, 16 * 1024> sink;
    stream.expires_after(kLingerTimeout);
    for (;;) {
      std::tie(ec, transferred) = co_await stream.async_read_some(asio::buffer(sink), kAwait);
      if (ec) break;
    }
  }
  stream.socket().close(ignored);
}

}  // namespace redress::http
