// What a handler gets and what it returns. A handler sees the parsed request, the path
// parameters, the authenticated principal and the services; it returns a Response (built
// with the helpers in response.h) and never writes to the socket itself.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

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
enum class Access {
  kAnyone,         // health, metrics, openapi, login
  kAuthenticated,  // any customer or staff principal
  kStaff,          // agent, supervisor, admin
  kAdmin,          // admin only
};

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

  /// The principal; only call on routes whose Access is not kAnyone.
  const domain::Principal& who() const { return *principal; }
  /// The first value of header `name` (case-insensitive); nullopt if the header is absent.
  std::optional<std::string_view> Header(std::string_view name) const;
};

}  // namespace redress::http
