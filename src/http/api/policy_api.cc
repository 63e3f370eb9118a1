// The escalation policy, for admins: read the running one (its TOML, where it came from,
// when it was loaded) and replace it. A replacement is validated first; an invalid one is
// a 422 whose `errors` name the line and the problem, and the running policy stays. A
// valid one is stored for every node (each picks it up within seconds) and runs here at
// once.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <string>

#include "app/policy_holder.h"
#include "app/services.h"
#include "core/time_format.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

// A policy file is a few kilobytes; this leaves room for large member lists.
constexpr size_t kMaxPolicyBytes = 512 * 1024;

json::object PolicyView(const app::RunningPolicy& running) {
  return json::object{{"source", running.source},
                      {"origin", app::PolicyOriginName(running.origin)},
                      {"loaded_at", FormatTimestamp(running.loaded_at)},
                      {"version", running.version}};
}

// The loader's messages read "escalation.toml:12: levels.l2...: problem"; the line is the
// number after the first colon (0 when the message has none, e.g. a TOML syntax error
// reported without one).
json::object LineError(const std::string& message) {
  int64_t line = 0;
  std::string text = message;
  const size_t first = message.find(':');
  if (first != std::string::npos) {
    const size_t second = message.find(':', first + 1);
    if (second != std::string::npos) {
      const char* begin = message.data() + first + 1;
      const char* end = message.data() + second;
      auto [ptr, ec] = std::from_chars(begin, end, line);
      if (ec != std::errc() || ptr != end) {
        line = 0;
      } else {
        text = message.substr(second + 1);
        if (!text.empty() && text.front() == ' ') text.erase(0, 1);
      }
    }
  }
  return json::object{{"line", line}, {"message", text}};
}

// A 422 problem like any other, with the loader's error as errors[0] {line, message}.
Response InvalidPolicy(const RequestContext& ctx, const Error& error) {
  Response response = MakeProblem(ctx, error);
  boost::system::error_code ec;
  json::value body = json::parse(response.body(), ec);
  if (ec || !body.is_object()) return response;
  body.as_object()["errors"] = json::array{LineError(error.message)};
  response.body() = json::serialize(body);
  response.prepare_payload();
  return response;
}

boost::asio::awaitable<Response> GetPolicy(RequestContext& ctx) {
  if (ctx.services.policies == nullptr) {
    co_return MakeProblem(ctx, Error{ErrorCode::kUnavailable,
                                     "this server runs without an escalation policy", {}});
  }
  co_return MakeReply(ctx, Reply{status::ok, PolicyView(ctx.services.policies->Current()), {}});
}

boost::asio::awaitable<Response> PutPolicy(RequestContext& ctx) {
  if (ctx.services.policies == nullptr) {
    co_return MakeProblem(ctx, Error{ErrorCode::kUnavailable,
                                     "this server runs without an escalation policy", {}});
  }
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  if (auto unknown = RejectUnknownFields(*body, {"source"}); !unknown) {
    co_return MakeProblem(ctx, unknown.error());
  }
  auto source = RequireString(*body, "source");
  if (!source) co_return MakeProblem(ctx, source.error());
  if (source->size() > kMaxPolicyBytes) {
    co_return MakeProblem(ctx, Error{ErrorCode::kInvalidArgument,
                                     "field 'source' must be at most " +
                                         std::to_string(kMaxPolicyBytes) + " bytes",
                                     "source"});
  }
  // Admin-only and rare: loading and the one store write run here, on the I/O thread.
  auto replaced = ctx.services.policies->Replace(*source);
  if (!replaced) {
    if (replaced.error().code == ErrorCode::kInvalidArgument) {
      Error error = replaced.error();
      error.field = "source";
      co_return InvalidPolicy(ctx, error);
    }
    co_return MakeProblem(ctx, replaced.error());
  }
  co_return MakeReply(ctx, Reply{status::ok, PolicyView(*replaced), {}});
}

}  // namespace

void RegisterPolicyRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/admin/escalation-policy", Access::kAdmin, GetPolicy);
  router.Add(verb::put, "/api/v1/admin/escalation-policy", Access::kAdmin, PutPolicy);
}

}  // namespace redress::http::api
