// What a handler gets and what it returns. A handler sees the parsed request, the path
// parameters, the authenticated principal and the services; it returns a Response (built
// with the helpers in response.h) and never writes to the socket itself.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "domain/principal.h"

namespace redress::app {
struct Services;
}

namespace redress::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

/// Who may reach a route at all; checked by the session before the handler runs.
/// A mailgate account (domain::Role::kMailgate) reaches kMailDelivery routes and no other.
enum class Access {
  kAnyone,         // health, metrics, openapi, login
  kAuthenticated,  // any customer or staff principal
  kStaff,          // agent, supervisor, admin
  kAdmin,          // admin only
  kMailDelivery,   // mailgate accounts and admins (domain::CanDeliverMail)
};

/// The body of a streamed response (server-sent events), written piece by piece after the
/// header. The session owns the connection; the stream only sees this interface.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  /// Sends `data` now (no buffering). False once the client is gone or the write timed
  /// out: the stream should end.
  virtual boost::asio::awaitable<bool> Write(std::string data) = 0;
  /// `stop` runs (on the connection's thread) when the server begins shutting down, so a
  /// stream waiting for something to send can end at once. Set it once, before waiting.
  virtual void OnStop(std::function<void()> stop) = 0;
};

/// Runs until it returns (then the connection closes) or a Write fails.
using StreamBody = std::function<boost::asio::awaitable<void>(StreamWriter&)>;

struct RequestContext {
  const Request& request;
  std::string path;  // decoded path without the query
  std::map<std::string, std::string, std::less<>> path_params;
  std::map<std::string, std::string, std::less<>> query;  // decoded query parameters
  std::optional<domain::Principal> principal;             // set for every route but kAnyone ones
  /// How the principal authenticated; unsafe methods with a session cookie need CSRF.
  bool via_session_cookie = false;
  std::string request_id;
  app::Services& services;
  /// Set by a handler whose response is a stream: the session then writes the response's
  /// header only (no Content-Length, Connection: close) and runs this as its body.
  StreamBody stream;

  /// The principal; only call on routes whose Access is not kAnyone.
  const domain::Principal& who() const { return *principal; }
  /// The first value of header `name` (case-insensitive); nullopt if the header is absent.
  std::optional<std::string_view> Header(std::string_view name) const;
};

}  // namespace redress::http
