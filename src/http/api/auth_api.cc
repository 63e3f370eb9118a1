// Password login for a session cookie, logout, and "who am I".
#include <boost/beast/http/field.hpp>

#include "app/auth_service.h"
#include "app/services.h"
#include "auth/secret_token.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/api/session_cookie.h"
#include "http/api/views.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

boost::asio::awaitable<Response> Login(RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  if (auto unknown = RejectUnknownFields(*body, {"email", "password"}); !unknown) {
    co_return MakeProblem(ctx, unknown.error());
  }
  auto email = RequireString(*body, "email");
  if (!email) co_return MakeProblem(ctx, email.error());
  auto password = RequireString(*body, "password");
  if (!password) co_return MakeProblem(ctx, password.error());

  app::AuthService auth(ctx.services.store, ctx.services.clock, ctx.services.config);
  auto grant = co_await OnCpuPool<app::LoginGrant>(
      ctx, [&] { return auth.PrepareLogin(*email, *password); });
  if (!grant) co_return MakeProblem(ctx, grant.error());

  // A new session each time, so no Idempotency-Key replay matters here; it is still a
  // durable write so that a session the client received survives a crash.
  auto response = co_await DurableWrite(
      ctx, [&](store::WriteTx& tx) -> Result<Reply> { return StoreSession(tx, *grant); });
  if (response.result() == status::ok) AttachSessionCookie(response, ctx.services.config, *grant);
  co_return response;
}

boost::asio::awaitable<Response> Logout(RequestContext& ctx) {
  std::optional<std::string> session_hash;
  if (auto cookie = ctx.Header("Cookie")) {
    if (auto value = app::FindCookie(*cookie, app::kSessionCookieName)) {
      session_hash = auth::HashSecret(*value);
    }
  }
  auto response = co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    if (session_hash) {
      if (auto deleted = tx.DeleteSession(*session_hash); !deleted) return Fail(deleted.error());
    }
    return Reply{status::ok, json::object{{"signed_out", true}}, {}};
  });
  if (response.result() == status::ok) {
    response.set(field::set_cookie, SessionCookie(ctx.services.config, "", 0));
  }
  co_return response;
}

boost::asio::awaitable<Response> Me(RequestContext& ctx) {
  co_return MakeReply(ctx, Reply{status::ok, PrincipalView(ctx.who()), {}});
}

}  // namespace

void RegisterAuthRoutes(Router& router) {
  router.Add(verb::post, "/api/v1/auth/login", Access::kAnyone, Login);
  router.Add(verb::post, "/api/v1/auth/logout", Access::kAuthenticated, Logout);
  router.Add(verb::get, "/api/v1/me", Access::kAuthenticated, Me);
}

}  // namespace redress::http::api
