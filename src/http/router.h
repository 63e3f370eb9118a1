// Routes requests to handlers by method and path pattern. Patterns are literal segments
// and `{name}` parameters: "/api/v1/cases/{id}/events". A path that matches no pattern is
// 404; a path that matches but not with this method is 405 with an Allow header listing
// the methods that would work. Every GET route also answers HEAD.
//
// Matching is per segment on the encoded path, so an encoded "/" (%2F) inside a parameter
// stays inside it; literal segments and parameter values are compared and returned
// percent-decoded. A parameter never matches an empty segment, and a trailing slash is a
// different path: "/cases/" matches neither "/cases" nor "/cases/{id}". When several patterns
// match, the one with a literal segment where the others have a parameter wins ("/cases/stats"
// beats "/cases/{id}"), whatever the order of Add.
//
// Add every route before the server starts; the router is then read-only and shared by
// all I/O threads without locking.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/context.h"

namespace redress::http {

using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

/// What a route accepts beyond the defaults (JSON bodies within the server's body limit).
struct RouteOptions {
  /// Media types a POST/PUT/PATCH body may be sent as (compared without parameters and
  /// ignoring case).
  std::vector<std::string> media_types{"application/json"};
  /// The route's own body limit, for routes whose purpose is a large body (a raw email),
  /// read per request so it follows the configuration; null: the server's limit. The
  /// session applies it before reading the body, so a larger body is never read whole.
  std::function<uint64_t(const app::Services&)> body_limit;
};

class Router {
 public:
  /// Registers a handler. `access` says who may reach it before the handler runs
  /// (anyone, any authenticated principal, staff only, admins only); handlers then apply
  /// finer rules (a customer's own case) with domain/permissions.h. A malformed pattern
  /// (not starting with "/", an empty or unclosed "{}") or a second handler for the same
  /// method and pattern is a programming error and throws std::logic_error at startup.
  void Add(boost::beast::http::verb method, std::string pattern, Access access, Handler handler,
           RouteOptions options = {});

  struct Match {
    const Handler* handler = nullptr;
    const RouteOptions* options = nullptr;
    Access access = Access::kAnyone;
    std::string pattern;  // the registered pattern, used as the metrics label
    std::map<std::string, std::string, std::less<>> params;
  };

  /// The matching route for `encoded_path` (the request target's path, still
  /// percent-encoded, without the query). nullopt when no route matches this method; then
  /// `allowed` (if given) is filled with the methods registered for the path, sorted and
  /// without duplicates: empty means 404, non-empty means 405.
  std::optional<Match> Find(boost::beast::http::verb method, std::string_view path,
                            std::vector<boost::beast::http::verb>* allowed) const;

  /// Every registered (method, pattern), in registration order: for checking that the
  /// API description covers the whole surface.
  std::vector<std::pair<boost::beast::http::verb, std::string>> Routes() const;

 private:
  struct Route {
    boost::beast::http::verb method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" marks a parameter; literals are decoded
    Access access;
    Handler handler;
    RouteOptions options;
  };
  std::vector<Route> routes_;
};

}  // namespace redress::http
