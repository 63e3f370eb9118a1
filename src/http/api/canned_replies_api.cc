// Canned replies (app/canned_replies.h): every staff member reads the list to use it in
// the composer; supervisors and admins add, change and remove entries. The list is one
// shared setting, changed under an optimistic version check (a concurrent edit is a 409
// the client retries).
#include <boost/json/array.hpp>
#include <functional>

#include "app/canned_replies.h"
#include "app/services.h"
#include "core/time_format.h"
#include "domain/permissions.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

json::object CannedView(const app::CannedReply& reply) {
  return json::object{{"id", reply.id},
                      {"title", reply.title},
                      {"body", reply.body},
                      {"updated_at", FormatTimestamp(reply.updated_at)}};
}

struct LoadedList {
  app::CannedReplyList list;
  int64_t version = 0;  // 0: never stored
};

Result<LoadedList> LoadList(RequestContext& ctx) {
  auto setting = ctx.services.store.GetSetting(app::kCannedRepliesSetting);
  if (!setting) return Fail(setting.error());
  LoadedList loaded;
  if (*setting) {
    auto list = app::DecodeCannedReplies((*setting)->value);
    if (!list) return Fail(list.error());
    loaded.list = std::move(*list);
    loaded.version = (*setting)->version;
  }
  return loaded;
}

Result<void> RequireEditor(const RequestContext& ctx) {
  if (domain::IsSupervisorOrAdmin(ctx.who())) return {};
  return Fail(ErrorCode::kPermissionDenied,
              "only supervisors and admins may change canned replies");
}

struct TitleAndBody {
  std::string title;
  std::string body;
};

Result<TitleAndBody> ReadTitleAndBody(const RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) return Fail(body.error());
  if (auto unknown = RejectUnknownFields(*body, {"title", "body"}); !unknown) {
    return Fail(unknown.error());
  }
  auto title = RequireString(*body, "title");
  if (!title) return Fail(title.error());
  auto text = RequireString(*body, "body");
  if (!text) return Fail(text.error());
  if (auto valid = app::ValidateCannedReply(*title, *text); !valid) return Fail(valid.error());
  return TitleAndBody{std::move(*title), std::move(*text)};
}

/// The write that stores an edited list, failing with kConflict when another edit was
/// stored since the list was read (the version must have grown by exactly one). A plain
/// function, so the handlers build every temporary before their one co_await.
WriteBody StoreEdited(RequestContext& ctx, const LoadedList& loaded, Reply reply) {
  return [&ctx, value = app::EncodeCannedReplies(loaded.list), expected = loaded.version + 1,
          reply = std::move(reply)](store::WriteTx& tx) -> Result<Reply> {
    auto version = tx.PutSetting(app::kCannedRepliesSetting, value, ctx.services.clock.Now());
    if (!version) return Fail(version.error());
    if (*version != expected) {
      return Fail(ErrorCode::kConflict,
                  "the canned replies were changed by someone else meanwhile; reload and retry");
    }
    return reply;
  };
}

/// Loads the list, applies `edit` (which answers the reply to send) and returns the write
/// that stores the result (StoreEdited). Plain, so each handler has one co_await.
Result<WriteBody> EditList(RequestContext& ctx,
                           const std::function<Result<Reply>(app::CannedReplyList&)>& edit) {
  auto loaded = LoadList(ctx);
  if (!loaded) return Fail(loaded.error());
  auto reply = edit(loaded->list);
  if (!reply) return Fail(reply.error());
  return StoreEdited(ctx, *loaded, std::move(*reply));
}

boost::asio::awaitable<Response> ListCanned(RequestContext& ctx) {
  auto loaded = LoadList(ctx);
  if (!loaded) co_return MakeProblem(ctx, loaded.error());
  json::array items;
  for (const auto& reply : loaded->list.items) items.emplace_back(CannedView(reply));
  json::array placeholders;
  for (const auto& name : app::CannedPlaceholders()) placeholders.emplace_back(name);
  co_return MakeReply(ctx, Reply{status::ok,
                                 json::object{{"items", std::move(items)},
                                              {"placeholders", std::move(placeholders)}},
                                 {}});
}

boost::asio::awaitable<Response> CreateCanned(RequestContext& ctx) {
  if (auto allowed = RequireEditor(ctx); !allowed) co_return MakeProblem(ctx, allowed.error());
  auto input = ReadTitleAndBody(ctx);
  if (!input) co_return MakeProblem(ctx, input.error());
  auto write = EditList(ctx, [&](app::CannedReplyList& list) -> Result<Reply> {
    auto added = app::AddCannedReply(list, std::move(input->title), std::move(input->body),
                                     ctx.services.clock.Now());
    if (!added) return Fail(added.error());
    return Reply{status::created, CannedView(*added),
                 "/api/v1/canned-replies/" + std::to_string(added->id)};
  });
  if (!write) co_return MakeProblem(ctx, write.error());
  co_return co_await DurableWrite(ctx, std::move(*write));
}

boost::asio::awaitable<Response> UpdateCanned(RequestContext& ctx) {
  if (auto allowed = RequireEditor(ctx); !allowed) co_return MakeProblem(ctx, allowed.error());
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  auto input = ReadTitleAndBody(ctx);
  if (!input) co_return MakeProblem(ctx, input.error());
  auto write = EditList(ctx, [&](app::CannedReplyList& list) -> Result<Reply> {
    auto updated = app::UpdateCannedReply(list, *id, std::move(input->title),
                                          std::move(input->body), ctx.services.clock.Now());
    if (!updated) return Fail(updated.error());
    return Reply{status::ok, CannedView(*updated), {}};
  });
  if (!write) co_return MakeProblem(ctx, write.error());
  co_return co_await DurableWrite(ctx, std::move(*write));
}

boost::asio::awaitable<Response> DeleteCanned(RequestContext& ctx) {
  if (auto allowed = RequireEditor(ctx); !allowed) co_return MakeProblem(ctx, allowed.error());
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  auto write = EditList(ctx, [&](app::CannedReplyList& list) -> Result<Reply> {
    if (auto removed = app::RemoveCannedReply(list, *id); !removed) return Fail(removed.error());
    return Reply{status::ok, json::object{{"id", *id}, {"deleted", true}}, {}};
  });
  if (!write) co_return MakeProblem(ctx, write.error());
  co_return co_await DurableWrite(ctx, std::move(*write));
}

}  // namespace

void RegisterCannedReplyRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/canned-replies", Access::kStaff, ListCanned);
  router.Add(verb::post, "/api/v1/canned-replies", Access::kStaff, CreateCanned);
  router.Add(verb::put, "/api/v1/canned-replies/{id}", Access::kStaff, UpdateCanned);
  router.Add(verb::delete_, "/api/v1/canned-replies/{id}", Access::kStaff, DeleteCanned);
}

}  // namespace redress::http::api
