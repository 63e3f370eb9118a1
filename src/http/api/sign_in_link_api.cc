// One-time sign-in links (app/sign_in_links.h): a customer asks for a link by email, a
// staff member sends one from the customer's page, and the web app redeems the secret
// from the link for a session, exactly like a password sign-in.
#include <boost/beast/http/field.hpp>
#include <optional>

#include "app/auth_service.h"
#include "app/log.h"
#include "app/services.h"
#include "app/sign_in_links.h"
#include "domain/customer.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/api/session_cookie.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

constexpr const char* kRequested =
    "If an account uses this email address, a sign-in link is on its way. It works once, "
    "within 15 minutes.";

std::string PublicUrl(const app::Config& config) {
  return config.public_url.empty() ? "http://" + config.listen : config.public_url;
}

// Answers 202 with the same body whether or not anyone holds the address, so the route
// tells nobody which addresses have accounts.
boost::asio::awaitable<Response> RequestLink(RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  if (auto unknown = RejectUnknownFields(*body, {"email"}); !unknown) {
    co_return MakeProblem(ctx, unknown.error());
  }
  auto email = RequireString(*body, "email");
  if (!email) co_return MakeProblem(ctx, email.error());
  auto normalized = domain::NormalizeEmail(*email);
  if (!normalized) {
    co_return MakeProblem(ctx, Error{ErrorCode::kInvalidArgument, normalized.error().message,
                                     "email"});
  }
  app::SignInLinkRequest request;
  request.email = *normalized;
  request.public_url = PublicUrl(ctx.services.config);
  co_return co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    auto queued = app::RequestSignInLink(tx, ctx.services.config.mail, request,
                                         ctx.services.clock.Now());
    if (!queued) return Fail(queued.error());
    if (queued->limited) {  // the same 202: the caller learns nothing about the address
      app::Log(app::LogLevel::kWarn, "sign-in link not sent: too many requests for one customer",
               {{"request_id", ctx.request_id},
                {"limit", static_cast<int64_t>(app::kSignInLinksPerWindow)}});
    }
    return Reply{status::accepted, json::object{{"message", kRequested}}, {}};
  });
}

boost::asio::awaitable<Response> SendLink(RequestContext& ctx) {
  auto customer_id = PathId(ctx, "id");
  if (!customer_id) co_return MakeProblem(ctx, customer_id.error());
  if (auto customer = ctx.services.store.GetCustomer(*customer_id); !customer) {
    co_return MakeProblem(ctx, customer.error());
  }
  app::SignInLinkRequest request;
  request.customer_id = *customer_id;
  request.requested_by = "user:" + std::to_string(ctx.who().id);
  request.public_url = PublicUrl(ctx.services.config);
  co_return co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    auto queued = app::RequestSignInLink(tx, ctx.services.config.mail, request,
                                         ctx.services.clock.Now());
    if (!queued) return Fail(queued.error());
    return Reply{status::accepted, json::object{{"sent_to", queued->sent_to}}, {}};
  });
}

boost::asio::awaitable<Response> RedeemLink(RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  if (auto unknown = RejectUnknownFields(*body, {"token"}); !unknown) {
    co_return MakeProblem(ctx, unknown.error());
  }
  auto token = RequireString(*body, "token");
  if (!token) co_return MakeProblem(ctx, token.error());

  app::AuthService auth(ctx.services.store, ctx.services.clock, ctx.services.config);
  std::optional<app::LoginGrant> grant;
  auto response = co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    auto customer_id = app::RedeemSignInLink(tx, *token, ctx.services.clock.Now());
    if (!customer_id) return Fail(customer_id.error());
    auto granted = auth.GrantSession(domain::CredentialOwner{domain::Role::kCustomer, *customer_id});
    if (!granted) return Fail(granted.error());
    grant = std::move(*granted);
    return StoreSession(tx, *grant);
  });
  // An Idempotency-Key replay runs no write, so it grants no session and sets no cookie.
  if (response.result() == status::ok && grant) {
    AttachSessionCookie(response, ctx.services.config, *grant);
  }
  co_return response;
}

}  // namespace

void RegisterSignInLinkRoutes(Router& router) {
  router.Add(verb::post, "/api/v1/auth/link", Access::kAnyone, RequestLink);
  router.Add(verb::post, "/api/v1/auth/link/redeem", Access::kAnyone, RedeemLink);
  router.Add(verb::post, "/api/v1/customers/{id}/sign-in-link", Access::kStaff, SendLink);
}

}  // namespace redress::http::api
