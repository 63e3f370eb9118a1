#include "support/http_client.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace redress::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
// Large enough for any response the API should ever send; a bigger one is a server bug
// the test will report as a transport error.
constexpr uint64_t kResponseBodyLimit = 64ull << 20;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool HasHeader(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

std::vector<std::string> HttpResponse::AllHeaders(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) values.push_back(value);
  }
  return values;
}

std::optional<boost::json::value> HttpResponse::Json() const {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) return std::nullopt;
  return value;
}

std::string HttpResponse::Describe() const {
  if (status == 0) return "no response: " + transport_error;
  constexpr size_t kMaxBody = 2000;
  std::string text = "HTTP " + std::to_string(status) + " ";
  text += body.size() > kMaxBody
              ? body.substr(0, kMaxBody) + "...(" + std::to_string(body.size()) + " bytes)"
              : body;
  return text;
}

struct HttpClient::Impl {
  std::string host;
  uint16_t port = 0;
  bool keep_alive = false;
  std::chrono::milliseconds timeout{15000};
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  int connections = 0;

  void Close() {
    if (stream) {
      boost::system::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }

  asio::awaitable<std::string> Connect() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) co_return "bad address " + host + ": " + ec.message();
    stream.emplace(ioc);
    stream->expires_after(timeout);
    auto [connect_ec] = co_await stream->async_connect(tcp::endpoint(address, port), kUseTuple);
    if (connect_ec) {
      stream.reset();
      co_return "connect to " + host + ":" + std::to_string(port) + ": " + connect_ec.message();
    }
    ++connections;
    co_return std::string();
  }

  // One exchange on the current connection. `retryable` tells the caller that the server
  // closed the connection without answering a byte, as it does with an idle kept-alive
  // connection, so the request may be sent again on a fresh one.
  asio::awaitable<void> Exchange(http::request<http::string_body>& req, HttpResponse& out,
                                 bool& retryable) {
    retryable = false;
    stream->expires_after(timeout);
    auto [write_ec, written] = co_await http::async_write(*stream, req, kUseTuple);
    (void)written;
    // A server may answer early (413) and close while the body is still being sent; its
    // answer is then waiting in our receive buffer, so read even after a failed write.
    std::string write_error = write_ec ? write_ec.message() : std::string();
    http::response_parser<http::string_body> parser;
    parser.body_limit(kResponseBodyLimit);
    parser.header_limit(64 * 1024);
    stream->expires_after(timeout);
    auto [read_ec, read] = co_await http::async_read(*stream, buffer, parser, kUseTuple);
    if (read_ec) {
      retryable = read == 0 &&
                  (read_ec == http::error::end_of_stream ||
                   read_ec == asio::error::connection_reset || read_ec == asio::error::broken_pipe);
      out.transport_error = "read: " + read_ec.message();
      if (!write_error.empty()) out.transport_error += " (write: " + write_error + ")";
      Close();
      co_return;
    }
    auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(res.body());
    if (!keep_alive || !res.keep_alive() || !write_error.empty()) Close();
  }

  asio::awaitable<void> Run(http::request<http::string_body>& req, HttpResponse& out) {
    bool reused = stream.has_value();
    if (!reused) {
      std::string error = co_await Connect();
      if (!error.empty()) {
        out.transport_error = error;
        co_return;
      }
    }
    bool retryable = false;
    co_await Exchange(req, out, retryable);
    if (out.status == 0 && reused && retryable) {
      out = HttpResponse();
      std::string error = co_await Connect();
      if (!error.empty()) {
        out.transport_error = error;
        co_return;
      }
      co_await Exchange(req, out, retryable);
    }
  }
};

HttpClient::HttpClient(std::string host, uint16_t port, bool keep_alive)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->keep_alive = keep_alive;
}

HttpClient::~HttpClient() {
  if (impl_) impl_->Close();
}

HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

int HttpClient::connections_opened() const { return impl_->connections; }

void HttpClient::set_timeout(std::chrono::milliseconds timeout) { impl_->timeout = timeout; }

HttpResponse HttpClient::Send(std::string_view method, std::string_view target, std::string body,
                              const Headers& headers) {
  HttpResponse out;
  http::request<http::string_body> req;
  http::verb verb = http::string_to_verb(method);
  try {
    if (verb == http::verb::unknown) {
      req.method_string(method);
    } else {
      req.method(verb);
    }
    req.target(target);
    req.version(11);
    req.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
    req.set(http::field::user_agent, "redress-integration-tests");
    for (const auto& [name, value] : headers) req.insert(name, value);
  } catch (const std::exception& e) {
    // Beast refuses some fields outright (a value over 64 KiB); a test asked for that.
    out.transport_error = std::string("cannot build the request: ") + e.what();
    return out;
  }
  bool has_body = !body.empty();
  req.body() = std::move(body);
  if (has_body || verb == http::verb::post || verb == http::verb::put ||
      verb == http::verb::patch) {
    req.content_length(req.body().size());
  }
  req.keep_alive(impl_->keep_alive);

  std::exception_ptr failure;
  impl_->ioc.restart();
  asio::co_spawn(impl_->ioc, impl_->Run(req, out),
                 [&failure](std::exception_ptr e) { failure = e; });
  impl_->ioc.run();
  if (failure) {
    // Only allocation failures or Beast/Asio bugs end up here; report, never throw.
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      out = HttpResponse();
      out.transport_error = std::string("exception: ") + e.what();
    }
    impl_->Close();
  }
  return out;
}

HttpResponse HttpClient::Get(std::string_view target, const Headers& headers) {
  return Send("GET", target, std::string(), headers);
}

HttpResponse HttpClient::Post(std::string_view target, const boost::json::value& json,
                              const Headers& headers) {
  return PostRaw(target, boost::json::serialize(json), headers);
}

HttpResponse HttpClient::PostRaw(std::string_view target, std::string body,
                                 const Headers& headers) {
  if (HasHeader(headers, "Content-Type")) return Send("POST", target, std::move(body), headers);
  Headers with_type = headers;
  with_type.emplace_back("Content-Type", "application/json");
  return Send("POST", target, std::move(body), with_type);
}

std::string RawExchange(const std::string& host, uint16_t port, std::string_view bytes,
                        std::chrono::milliseconds timeout, std::string* error) {
  asio::io_context ioc;
  std::string received;
  std::string failure;
  auto run = [&]() -> asio::awaitable<void> {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) {
      failure = "bad address " + host + ": " + ec.message();
      co_return;
    }
    beast::tcp_stream stream(ioc);
    // One deadline for the whole exchange: a server that keeps the connection open after
    // answering is cut off then, and what it sent is still returned.
    stream.expires_after(timeout);
    auto [connect_ec] = co_await stream.async_connect(tcp::endpoint(address, port), kUseTuple);
    if (connect_ec) {
      failure = "connect: " + connect_ec.message();
      co_return;
    }
    auto [write_ec, written] =
        co_await asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()), kUseTuple);
    (void)written;
    if (write_ec) failure = "write: " + write_ec.message();
    char buf[16 * 1024];
    for (;;) {
      auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(buf), kUseTuple);
      received.append(buf, n);
      if (read_ec) break;
    }
  };
  std::exception_ptr thrown;
  asio::co_spawn(ioc, run(), [&thrown](std::exception_ptr e) { thrown = e; });
  ioc.run();
  if (thrown) failure = "exception in the raw exchange";
  if (error != nullptr) *error = failure;
  return received;
}

Headers Bearer(const std::string& token, Headers extra) {
  extra.emplace(extra.begin(), "Authorization", "Bearer " + token);
  return extra;
}

}  // namespace redress::testing
