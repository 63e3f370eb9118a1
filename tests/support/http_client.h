// A small synchronous HTTP/1.1 client over Beast for integration tests. It never throws:
// a transport failure comes back as status 0 with `transport_error` set, so a test that
// expected a status prints what really happened. Every operation has a deadline, so a
// server that hangs fails the test instead of hanging the suite.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace redress::testing {

/// Request or response header fields in order; names compare case-insensitively.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0: no response (see transport_error)
  Headers headers;
  std::string body;
  std::string transport_error;

  /// The first field named `name` (case-insensitive), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
  /// Every field named `name`, e.g. several Set-Cookie.
  std::vector<std::string> AllHeaders(std::string_view name) const;
  /// The body parsed as JSON, or nullopt when it is not JSON.
  std::optional<boost::json::value> Json() const;
  /// "HTTP 422 {body...}" for failure messages (the body cut to a readable length).
  std::string Describe() const;
};

class HttpClient {
 public:
  /// With `keep_alive`, one connection is reused for as long as the server keeps it open;
  /// otherwise every request opens a new connection and sends `Connection: close`.
  HttpClient(std::string host, uint16_t port, bool keep_alive = false);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  /// Sends one request. Content-Length is set from `body`; `headers` are sent as given (a
  /// Content-Type among them is the caller's choice). Host and User-Agent are added.
  HttpResponse Send(std::string_view method, std::string_view target, std::string body,
                    const Headers& headers = {});

  HttpResponse Get(std::string_view target, const Headers& headers = {});
  /// POST with `json` serialised and Content-Type: application/json (unless `headers`
  /// already has a Content-Type).
  HttpResponse Post(std::string_view target, const boost::json::value& json,
                    const Headers& headers = {});
  /// POST of raw bytes with Content-Type: application/json unless `headers` has one.
  HttpResponse PostRaw(std::string_view target, std::string body, const Headers& headers = {});

  /// How many TCP connections this client has opened (to observe keep-alive).
  int connections_opened() const;

  void set_timeout(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Writes `bytes` exactly as given on a new connection and returns everything the server
/// sends until it closes the connection or `timeout` passes: for tests of HTTP framing
/// itself (garbage, chunked bodies, pipelining) that a well-behaved client cannot produce.
/// A connection failure is reported in `error` (if given) and gives an empty string.
std::string RawExchange(const std::string& host, uint16_t port, std::string_view bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5),
                        std::string* error = nullptr);

/// `{"Authorization", "Bearer <token>"}` plus `extra`.
Headers Bearer(const std::string& token, Headers extra = {});

}  // namespace redress::testing
