#include "http/dispatcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "app/log.h"
#include "app/metrics.h"
#include "app/services.h"
#include "auth/secret_token.h"
#include "domain/permissions.h"

namespace redress::http {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

constexpr size_t kMaxRequestIdLength = 64;
constexpr size_t kMaxLoggedPathLength = 256;  // a 16 KiB junk target must not flood the log
constexpr std::string_view kUnmatchedRoute = "unmatched";

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// 16 hex characters. Request ids correlate log lines; they are not secrets, so a
/// per-thread PRNG is enough.
std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("{:016x}", rng());
}

std::string RequestIdFor(const Request& request) {
  auto it = request.find("X-Request-Id");
  if (it != request.end() && IsValidRequestId(it->value())) return std::string(it->value());
  return NewRequestId();
}

std::string PathForLog(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  return std::string(path.substr(0, kMaxLoggedPathLength));
}

bool IsUnsafeMethod(http::verb method) {
  return method == http::verb::post || method == http::verb::put || method == http::verb::patch ||
         method == http::verb::delete_;
}

bool CarriesJsonBody(http::verb method) {
  return method == http::verb::post || method == http::verb::put || method == http::verb::patch;
}

/// `expected` ("application/json"), any case, optionally followed by parameters
/// ("; charset=utf-8").
bool IsMediaType(std::string_view content_type, std::string_view expected) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return boost::beast::iequals(type, expected);
}

std::string AllowHeader(const std::vector<http::verb>& methods) {
  std::string out;
  for (http::verb method : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(method);
  }
  return out;
}

}  // namespace

/// What the pipeline learned about one request, for the response stamp, metrics and log.
struct Dispatcher::Exchange {
  std::string request_id;
  std::string route{kUnmatchedRoute};
  std::string log_path;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

Dispatcher::Dispatcher(app::Services& services, const Router& router, Authenticator& authenticator,
                       std::shared_ptr<const StaticSite> site)
    : services_(services), router_(router), authenticator_(authenticator), site_(std::move(site)) {}

asio::awaitable<Response> Dispatcher::Handle(const Request& request, StreamBody* stream) const {
  Exchange exchange;
  exchange.request_id = RequestIdFor(request);
  exchange.log_path = PathForLog(request.target());
  Response response;
  try {
    response = co_await Answer(request, exchange, stream);
  } catch (const std::exception& e) {
    app::Log(app::LogLevel::kError, "handler threw",
             {{"request_id", exchange.request_id}, {"route", exchange.route}, {"what", e.what()}});
    response = Problem(ProblemType::kInternal,
                       "internal error; the server log has the details under this request_id",
                       exchange.request_id);
  } catch (...) {
    app::Log(app::LogLevel::kError, "handler threw",
             {{"request_id", exchange.request_id},
              {"route", exchange.route},
              {"what", "a non-standard exception"}});
    response = Problem(ProblemType::kInternal,
                       "internal error; the server log has the details under this request_id",
                       exchange.request_id);
  }
  Finish(request, response, exchange);
  co_return response;
}

uint64_t Dispatcher::BodyLimit(const Request& header, uint64_t fallback) const {
  auto url = boost::urls::parse_origin_form(header.target());
  if (!url) return fallback;
  std::optional<Router::Match> match = router_.Find(header.method(), url->encoded_path(), nullptr);
  if (!match || !match->options->body_limit) return fallback;
  return match->options->body_limit(services_);
}

Response Dispatcher::Reject(const Request& partial, ProblemType type,
                            std::string_view detail) const {
  Exchange exchange;
  exchange.request_id = RequestIdFor(partial);
  exchange.log_path = PathForLog(partial.target());
  Response response = Problem(type, detail, exchange.request_id);
  response.keep_alive(false);
  Finish(partial, response, exchange);
  return response;
}

asio::awaitable<Response> Dispatcher::Answer(const Request& request, Exchange& exchange,
                                             StreamBody* stream) const {
  const std::string& id = exchange.request_id;

  auto url = boost::urls::parse_origin_form(request.target());
  if (!url) {
    co_return Problem(ProblemType::kBadRequest,
                      fmt::format("malformed request target: {}", url.error().message()), id);
  }

  std::vector<http::verb> allowed;
  std::optional<Router::Match> match =
      router_.Find(request.method(), url->encoded_path(), &allowed);
  if (!match) {
    const bool read = request.method() == http::verb::get || request.method() == http::verb::head;
    if (allowed.empty() && read && site_) {
      if (std::optional<Response> page = site_->Serve(request, url->path())) {
        exchange.route = "static";
        co_return std::move(*page);
      }
    }
    if (allowed.empty()) {
      co_return Problem(ProblemType::kNotFound,
                        fmt::format("no route for {}", std::string_view(url->encoded_path())), id);
    }
    Response response = Problem(ProblemType::kMethodNotAllowed,
                                fmt::format("{} is not allowed here; allowed: {}",
                                            request.method_string(), AllowHeader(allowed)),
                                id);
    response.set(http::field::allow, AllowHeader(allowed));
    co_return response;
  }
  exchange.route = match->pattern;

  std::optional<domain::Principal> principal;
  bool via_session_cookie = false;
  if (match->access != Access::kAnyone) {
    Result<std::optional<AuthResult>> auth = authenticator_.Authenticate(request);
    if (!auth) co_return ProblemResponse(auth.error(), id);
    if (!*auth) {
      co_return Problem(ProblemType::kUnauthenticated,
                        "authentication required: send Authorization: Bearer <token> or log in",
                        id);
    }
    const AuthResult& who = **auth;
    if (match->access == Access::kStaff && !who.principal.IsStaff()) {
      co_return Problem(ProblemType::kPermissionDenied, "staff only", id);
    }
    if (match->access == Access::kAdmin && who.principal.role != domain::Role::kAdmin) {
      co_return Problem(ProblemType::kPermissionDenied, "admins only", id);
    }
    if (match->access == Access::kMailDelivery && !domain::CanDeliverMail(who.principal)) {
      co_return Problem(ProblemType::kPermissionDenied,
                        "only a mailgate account or an admin may deliver mail", id);
    }
    if (who.principal.role == domain::Role::kMailgate && match->access != Access::kMailDelivery) {
      co_return Problem(ProblemType::kPermissionDenied,
                        "a mailgate account may only deliver mail (POST /api/v1/inbound/email)",
                        id);
    }
    if (who.via_session_cookie && IsUnsafeMethod(request.method())) {
      auto token = request.find("X-CSRF-Token");
      if (token == request.end() || who.csrf_token.empty() ||
          !auth::SecretsEqual(token->value(), who.csrf_token)) {
        co_return Problem(ProblemType::kPermissionDenied, "missing or wrong X-CSRF-Token header",
                          id);
      }
    }
    principal = who.principal;
    via_session_cookie = who.via_session_cookie;
  }

  if (CarriesJsonBody(request.method()) && !request.body().empty()) {
    auto content_type = request.find(http::field::content_type);
    const std::vector<std::string>& accepted = match->options->media_types;
    const bool ok = content_type != request.end() &&
                    std::any_of(accepted.begin(), accepted.end(), [&](const std::string& type) {
                      return IsMediaType(content_type->value(), type);
                    });
    if (!ok) {
      std::string types;
      for (const std::string& type : accepted) types += (types.empty() ? "" : " or ") + type;
      co_return Problem(ProblemType::kUnsupportedMediaType,
                        "request body must be sent as Content-Type: " + types, id);
    }
  }

  // Duplicate keys: the last one wins, as most clients that repeat a key mean to override.
  std::map<std::string, std::string, std::less<>> query;
  for (auto param : url->params()) {
    if (param.key.empty() && !param.has_value) continue;  // "?" or "a&&b"
    query.insert_or_assign(param.key, param.value);
  }

  RequestContext context{request,
                         url->path(),
                         std::move(match->params),
                         std::move(query),
                         std::move(principal),
                         via_session_cookie,
                         id,
                         services_,
                         {}};
  Response response = co_await (*match->handler)(context);
  const bool success = response.result_int() < 300;
  if (context.stream && stream && success && request.method() != http::verb::head) {
    *stream = std::move(context.stream);
  }
  co_return response;
}

void Dispatcher::Finish(const Request& request, Response& response,
                        const Exchange& exchange) const {
  const bool handler_keep_alive = response.keep_alive();
  // A request rejected before its request line parsed has version 0: answer in HTTP/1.1.
  response.version(request.version() == 10 ? 10 : 11);
  response.keep_alive(handler_keep_alive && request.keep_alive());
  response.set(http::field::server, "redress");
  response.set("X-Request-Id", exchange.request_id);
  response.prepare_payload();
  // RFC 9110 section 8.6: no Content-Length in a 204.
  if (response.result() == http::status::no_content ||
      response.result() == http::status::not_modified) {
    response.erase(http::field::content_length);
  }
  // A HEAD response carries the GET response's header, Content-Length included, and no body.
  if (request.method() == http::verb::head) response.body().clear();

  const int status = static_cast<int>(response.result_int());
  const auto elapsed = std::chrono::steady_clock::now() - exchange.start;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  services_.metrics.HttpRequests(std::string(to_string(request.method())), exchange.route, status)
      .Inc();
  services_.metrics.HttpDuration(exchange.route).Observe(static_cast<double>(micros) / 1e6);
  if (app::LogEnabled(app::LogLevel::kInfo)) {
    app::Log(app::LogLevel::kInfo, "request",
             {{"request_id", exchange.request_id},
              {"method", request.method_string()},
              {"path", exchange.log_path},
              {"status", status},
              {"duration_us", micros}});
  }
}

}  // namespace redress::http
