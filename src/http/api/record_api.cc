// GET /api/v1/cases/{id}/record: "Download my record". The whole case as the caller may
// see it, in one JSON document meant to be saved: the case view and every event visible to
// the caller, oldest first, each with its own hashes. A customer's copy leaves out internal
// events (so its seq numbers have gaps); a staff copy is the complete chain and verifies
// with the algorithm of docs/event_log_format.md.
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "app/services.h"
#include "core/time_format.h"
#include "domain/permissions.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/response.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

constexpr const char* kRecordFormat = "redress-case-record-v1";

boost::asio::awaitable<Response> GetRecord(RequestContext& ctx) {
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  auto state = ctx.services.store.GetCase(*id);
  if (!state) co_return MakeProblem(ctx, state.error());
  if (!domain::CanReadCase(ctx.who(), *state)) {
    co_return MakeProblem(
        ctx, Error{ErrorCode::kNotFound, "case " + std::to_string(*id) + " does not exist", ""});
  }
  auto events = ctx.services.store.LoadEvents(*id);
  if (!events) co_return MakeProblem(ctx, events.error());

  json::array visible;
  bool complete = true;
  for (const auto& event : *events) {
    if (domain::CanSeeEvent(ctx.who(), event)) {
      visible.emplace_back(EventView(event));
    } else {
      complete = false;
    }
  }
  json::object record{
      {"format", kRecordFormat},
      {"exported_at", FormatTimestamp(ctx.services.clock.Now())},
      {"exported_for", PrincipalView(ctx.who())},
      {"case", CaseView(*state, ctx.who())},
      {"complete_chain", complete},
      {"events", std::move(visible)},
  };
  Response response = JsonResponse(status::ok, record);
  response.set(boost::beast::http::field::content_disposition,
               "attachment; filename=\"case-" + std::to_string(*id) + "-record.json\"");
  response.set(boost::beast::http::field::cache_control, "no-store");
  co_return response;
}

}  // namespace

void RegisterRecordRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/cases/{id}/record", Access::kAuthenticated, GetRecord);
}

}  // namespace redress::http::api
