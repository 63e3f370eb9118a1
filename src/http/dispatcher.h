// One request in, one response out: everything between the bytes on the socket
// (session.h) and the handlers (api/). In order, for every request:
//
//   1. request id: a valid incoming X-Request-Id (1-64 of [A-Za-z0-9._-]) or 16 new hex
//   2. request target parsed with Boost.URL; a malformed one (bad percent-encoding) is 400
//   3. route: no pattern matches the path → the static site for GET/HEAD outside /api/
//      (if one is configured), else 404; pattern but not method → 405 + Allow
//   4. unless the route is Access::kAnyone: Authenticator → 401 without valid credentials,
//      403 for customers on kStaff routes and non-admins on kAdmin routes; a mailgate
//      account reaches kMailDelivery routes only
//   5. CSRF: a session-cookie principal on POST/PUT/PATCH/DELETE must send X-CSRF-Token
//      equal to its session's token → else 403
//   6. POST/PUT/PATCH with a body must be Content-Type application/json (parameters such
//      as charset allowed), or one of the route's own media types (RouteOptions) → else 415
//   7. the handler; an exception from it is a 500 problem and an error log line
//   8. stamping: version and keep-alive from the request, Server, X-Request-Id,
//      Content-Length; metrics (http_requests_total, http_request_duration_seconds) with
//      the route pattern as label ("unmatched" for 404/400); one access log line (method,
//      path without query, status, duration_us, request_id: never headers or bodies).
//
// Stateless apart from its references: one Dispatcher serves every I/O thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "http/authenticator.h"
#include "http/context.h"
#include "http/problem.h"
#include "http/router.h"
#include "http/static_site.h"

namespace redress::http {

class Dispatcher {
 public:
  /// `site` (may be null) answers GET/HEAD requests that match no route (static_site.h).
  Dispatcher(app::Services& services, const Router& router, Authenticator& authenticator,
             std::shared_ptr<const StaticSite> site = nullptr);

  /// Answers a complete request. Never throws for anything a client or a handler does.
  /// A handler that answers with a stream (server-sent events) leaves its body in
  /// `*stream` when the response is a success; the session writes it after the header.
  boost::asio::awaitable<Response> Handle(const Request& request,
                                          StreamBody* stream = nullptr) const;

  /// The body limit of the route `header` names (RouteOptions::body_limit), or `fallback`
  /// (the server's limit) for every other request. The session asks before reading a body.
  uint64_t BodyLimit(const Request& header, uint64_t fallback) const;

  /// Answers a request the session could not read whole (body over the limit, a malformed
  /// or oversized header), from the fields parsed so far. The response closes the
  /// connection; it is stamped, counted and logged like any other.
  Response Reject(const Request& partial, ProblemType type, std::string_view detail) const;

 private:
  struct Exchange;

  boost::asio::awaitable<Response> Answer(const Request& request, Exchange& exchange,
                                          StreamBody* stream) const;
  void Finish(const Request& request, Response& response, const Exchange& exchange) const;

  app::Services& services_;
  const Router& router_;
  Authenticator& authenticator_;
  std::shared_ptr<const StaticSite> site_;
};

}  // namespace redress::http
