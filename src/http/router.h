// Routes requests to handlers by method and path pattern. Patterns are literal segments
// and `{name}` parameters: "/api/v1/cases/{id}/events". A path that matches no pattern is
// 404; a path that matches but not with this method is 405 with an Allow header listing
// the methods that would work.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/context.h"

namespace redress::http {

using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

class Router {
 public:
  /// Registers a handler. `auth` says who may reach it before the handler runs
  /// (anyone, any authenticated principal, staff only, admins only); handlers then apply
  /// finer rules (a customer's own case) with domain/permissions.h.
  void Add(boost::beast::http::verb method, std::string pattern, Access access, Handler handler);

  struct Match {
    const Handler* handler = nullptr;
    Access access = Access::kAnyone;
    std::string pattern;  // the registered pattern, used as the metrics label
    std::map<std::string, std::string, std::less<>> params;
  };

  /// The matching route, or an Error: kNotFound for an unknown path, or a 405 marker via
  /// `allowed` being filled with the methods registered for that path.
  std::optional<Match> Find(boost::beast::http::verb method, std::string_view path,
                            std::vector<boost::beast::http::verb>* allowed) const;

 private:
  struct Route {
    boost::beast::http::verb method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    Access access;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace redress::http
