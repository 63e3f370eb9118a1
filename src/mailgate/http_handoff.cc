#include "mailgate/http_handoff.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <optional>

namespace redress::mailgate {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

constexpr auto kConnectTimeout = std::chrono::seconds(15);
constexpr uint64_t kReplyBodyLimit = 1 << 20;

struct Target {
  bool tls = false;
  std::string host;       // for DNS, SNI and certificate checks: "help.acme.example", "127.0.0.1"
  std::string port;       // "8080"; the scheme's default when the URL has none
  std::string authority;  // the Host header: "help.acme.example:8443"
  std::string request_target;  // "/redress/api/v1/inbound/email?mailbox=orders"
};

Error BadUrl(const std::string& url, const std::string& why) {
  return Error{ErrorCode::kInvalidArgument, "--url " + url + ": " + why, "url"};
}

Result<Target> TargetOf(const HttpHandoff& handoff) {
  auto parsed = boost::urls::parse_absolute_uri(handoff.base_url);
  if (!parsed)
    return Fail(BadUrl(handoff.base_url, "not a URL (" + parsed.error().message() + ")"));
  boost::urls::url url(*parsed);
  Target target;
  if (url.scheme() == "https") {
    target.tls = true;
  } else if (url.scheme() != "http") {
    return Fail(BadUrl(handoff.base_url, "must start with http:// or https://"));
  }
  if (url.has_userinfo()) {  // not echoed: it may hold a password
    return Fail(Error{ErrorCode::kInvalidArgument,
                      "--url must not hold a user or password (the token comes from "
                      "--token-file)",
                      "url"});
  }
  if (url.encoded_host().empty()) return Fail(BadUrl(handoff.base_url, "names no host"));
  if (url.has_query() || url.has_fragment()) {
    return Fail(BadUrl(handoff.base_url, "must not hold a query or fragment"));
  }
  target.host = url.host_address();
  target.port = url.has_port() ? std::string(url.port()) : (target.tls ? "443" : "80");
  target.authority = url.encoded_host_and_port();
  std::string path = url.path();
  while (!path.empty() && path.back() == '/') path.pop_back();
  url.set_path(path + "/api/v1/inbound/email");
  if (!handoff.mailbox.empty()) url.params().append({"mailbox", handoff.mailbox});
  target.request_target = url.encoded_target();
  return target;
}

// What went wrong, for the operator: the step and the library's words. Never the request.
struct Failure {
  std::string step;
  beast::error_code ec;
};

template <class Stream>
asio::awaitable<std::optional<Failure>> Exchange(
    Stream& stream, const http::request<http::span_body<const char>>& request,
    http::response_parser<http::string_body>& parser) {
  beast::error_code ec;
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Failure{"sending the message", ec};
  beast::flat_buffer buffer;
  co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Failure{"reading the reply", ec};
  co_return std::nullopt;
}

asio::awaitable<std::optional<Failure>> Run(
    const Target& target, ssl::context* tls,
    const http::request<http::span_body<const char>>& request,
    http::response_parser<http::string_body>& parser,
    std::chrono::steady_clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  beast::error_code ec;
  tcp::resolver resolver(executor);
  const auto endpoints = co_await resolver.async_resolve(
      target.host, target.port, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Failure{"resolving " + target.host, ec};
  beast::tcp_stream tcp_stream(executor);
  tcp_stream.expires_at(std::min(deadline, std::chrono::steady_clock::now() + kConnectTimeout));
  co_await tcp_stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Failure{"connecting", ec};
  tcp_stream.expires_at(deadline);  // the rest of the exchange shares what is left
  if (tls == nullptr) co_return co_await Exchange(tcp_stream, request, parser);

  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), *tls);
  boost::system::error_code not_an_address;
  asio::ip::make_address(target.host, not_an_address);
  // SNI only for names (RFC 6066 forbids addresses); the certificate must match either.
  // (SSL_set_tlsext_host_name spelled out: the macro's C cast trips -Wold-style-cast.)
  if (not_an_address &&
      SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(target.host.c_str())) != 1) {
    co_return Failure{
        "setting the TLS server name",
        beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category())};
  }
  stream.set_verify_callback(ssl::host_name_verification(target.host));
  co_await stream.async_handshake(ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Failure{"the TLS handshake", ec};
  co_return co_await Exchange(stream, request, parser);
}

}  // namespace

Result<HttpHandoffReply> SubmitOverHttp(const HttpHandoff& handoff, const std::string& raw) {
  auto target = TargetOf(handoff);
  if (!target) return Fail(target.error());
  std::optional<ssl::context> tls;
  if (target->tls) {
    tls.emplace(ssl::context::tls_client);
    tls->set_verify_mode(ssl::verify_peer);
    beast::error_code ec;
    if (handoff.ca_file.empty()) {
      tls->set_default_verify_paths(ec);
    } else {
      tls->load_verify_file(handoff.ca_file, ec);
    }
    if (ec) {
      return Fail(ErrorCode::kUnavailable,
                  "cannot load the trusted CAs" +
                      (handoff.ca_file.empty() ? std::string() : " from " + handoff.ca_file) +
                      ": " + ec.message());
    }
  }
  http::request<http::span_body<const char>> request(
      http::verb::post, target->request_target, 11,
      http::span_body<const char>::value_type(raw.data(), raw.size()));
  request.set(http::field::host, target->authority);
  request.set(http::field::user_agent, "redress-mailgate");
  request.set(http::field::content_type, "message/rfc822");
  request.set(http::field::authorization, "Bearer " + handoff.token);
  request.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(kReplyBodyLimit);

  asio::io_context io;
  std::optional<Failure> failure;
  asio::co_spawn(io,
                 Run(*target, tls ? &*tls : nullptr, request, parser,
                     std::chrono::steady_clock::now() + handoff.timeout),
                 [&failure](std::exception_ptr thrown, std::optional<Failure> result) {
                   if (thrown) std::rethrow_exception(thrown);  // a bug, not a network failure
                   failure = std::move(result);
                 });
  io.run();
  if (failure) {
    std::string what = failure->ec.message();
    if (failure->ec == beast::error::timeout) what = "no answer within the timeout";
    return Fail(ErrorCode::kUnavailable,
                "no answer from " + handoff.base_url + " (" + failure->step + "): " + what);
  }
  return HttpHandoffReply{static_cast<int>(parser.get().result_int()),
                          std::move(parser.get().body())};
}

}  // namespace redress::mailgate
