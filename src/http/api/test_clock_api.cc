// The test clock (serve --test-clock only): read it, set it, advance it. Registered by the
// composition root only when the server runs with a TestClock, so on a normal server these
// paths do not exist at all (404), whoever asks.
#include <chrono>

#include "app/services.h"
#include "app/test_clock.h"
#include "core/time_format.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

// Ten years: far enough for any SLA story, small enough that a typo is caught.
constexpr int64_t kMaxAdvanceSeconds = int64_t{10} * 366 * 24 * 3600;

json::object ClockView(Timestamp now) {
  return json::object{{"now", FormatTimestamp(now)}, {"test_clock", true}};
}

boost::asio::awaitable<Response> GetTestClock(RequestContext& ctx) {
  co_return MakeReply(ctx, Reply{status::ok, ClockView(ctx.services.clock.Now()), {}});
}

// Body: {"now": "2026-03-02T09:00:00Z"} or {"advance_seconds": 86400}, exactly one.
Result<Timestamp> Move(app::TestClock& clock, const json::object& body) {
  if (auto unknown = RejectUnknownFields(body, {"now", "advance_seconds"}); !unknown) {
    return Fail(unknown.error());
  }
  auto now = OptionalString(body, "now");
  if (!now) return Fail(now.error());
  auto advance = OptionalInt64(body, "advance_seconds");
  if (!advance) return Fail(advance.error());
  if (now->has_value() == advance->has_value()) {
    return Fail(ErrorCode::kInvalidArgument,
                "give exactly one of 'now' (an RFC 3339 time) and 'advance_seconds'");
  }
  if (*now) {
    auto target = ParseTimestamp(**now);
    if (!target) {
      return Fail(ErrorCode::kInvalidArgument,
                  "field 'now' must be an RFC 3339 time: " + target.error().message, "now");
    }
    return clock.Set(*target);
  }
  if (**advance < 0 || **advance > kMaxAdvanceSeconds) {
    return Fail(ErrorCode::kInvalidArgument,
                "field 'advance_seconds' must be between 0 and " +
                    std::to_string(kMaxAdvanceSeconds),
                "advance_seconds");
  }
  return clock.Advance(std::chrono::seconds(**advance));
}

boost::asio::awaitable<Response> PostTestClock(RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  // Registered only when services.test_clock is set (see RegisterTestClockRoutes).
  auto moved = Move(*ctx.services.test_clock, *body);
  if (!moved) co_return MakeProblem(ctx, moved.error());
  co_return MakeReply(ctx, Reply{status::ok, ClockView(*moved), {}});
}

}  // namespace

void RegisterTestClockRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/test-clock", Access::kAdmin, GetTestClock);
  router.Add(verb::post, "/api/v1/test-clock", Access::kAdmin, PostTestClock);
}

}  // namespace redress::http::api
