// The shape every POST on an existing case shares (notes, status, escalate, promises,
// credits...): read the body, then in one durable write let the domain decide the events
// and append them through CaseService; the reply is the case (with its escalation view)
// and the events appended, reactions included, that the caller may see.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>

#include "app/case_service.h"
#include "app/services.h"
#include "domain/permissions.h"
#include "http/api/api_util.h"
#include "http/api/escalation_view.h"
#include "http/api/views.h"

namespace redress::http::api {

inline Reply ChangeReply(const app::CaseChange& change, const RequestContext& ctx,
                         boost::beast::http::status code) {
  const domain::Principal& who = ctx.who();
  boost::json::array events;
  for (const auto& event : change.events) {
    if (domain::CanSeeEvent(who, event)) events.emplace_back(EventView(event));
  }
  return Reply{code,
               boost::json::object{{"case", FullCaseView(change.state, who, ctx.services)},
                                   {"events", std::move(events)}},
               {}};
}

/// Reads the body with `read` (which sees the parsed object), then applies the decision
/// built from what it read. `Input` is whatever `read` extracts.
template <class Input>
boost::asio::awaitable<Response> CaseAction(
    RequestContext& ctx, boost::beast::http::status code,
    std::function<Result<Input>(const boost::json::object&)> read,
    std::function<Result<app::CaseChange>(store::WriteTx&, int64_t, const Input&, Timestamp)>
        apply) {
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  auto input = read(*body);
  if (!input) co_return MakeProblem(ctx, input.error());
  const Timestamp now = ctx.services.clock.Now();
  co_return co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    auto change = apply(tx, *id, *input, now);
    if (!change) return Fail(change.error());
    ctx.services.metrics.EventsAppended().Inc(static_cast<int64_t>(change->events.size()));
    return ChangeReply(*change, ctx, code);
  });
}

}  // namespace redress::http::api
