// Staff accounts: list (staff) and create (admin).
#include <boost/json/array.hpp>

#include "app/services.h"
#include "auth/password.h"
#include "domain/customer.h"
#include "domain/user.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

Result<domain::User> ReadNewUser(const json::object& body) {
  if (auto unknown = RejectUnknownFields(body, {"email", "name", "role", "level", "password"});
      !unknown) {
    return Fail(unknown.error());
  }
  domain::User user;
  auto email = RequireString(body, "email");
  if (!email) return Fail(email.error());
  auto normalized = domain::NormalizeEmail(*email);
  if (!normalized) return Fail(ErrorCode::kInvalidArgument, normalized.error().message, "email");
  user.email = *normalized;
  auto name = RequireString(body, "name");
  if (!name) return Fail(name.error());
  if (name->empty() || name->size() > 200) {
    return Fail(ErrorCode::kInvalidArgument, "field 'name' must be 1 to 200 characters", "name");
  }
  user.display_name = *name;
  auto role_name = RequireString(body, "role");
  if (!role_name) return Fail(role_name.error());
  auto role = domain::ParseRole(*role_name);
  if (!role || *role == domain::Role::kCustomer || *role == domain::Role::kSystem) {
    return Fail(ErrorCode::kInvalidArgument,
                "field 'role' must be one of agent, supervisor, admin, mailgate", "role");
  }
  user.role = *role;
  auto level = OptionalInt64(body, "level");
  if (!level) return Fail(level.error());
  if (*level && (**level < 1 || **level > 9)) {
    return Fail(ErrorCode::kInvalidArgument, "field 'level' must be between 1 and 9", "level");
  }
  user.level = static_cast<int>(level->value_or(1));
  return user;
}

boost::asio::awaitable<Response> CreateUser(RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  auto user = ReadNewUser(*body);
  if (!user) co_return MakeProblem(ctx, user.error());
  auto password = OptionalString(*body, "password");
  if (!password) co_return MakeProblem(ctx, password.error());
  if (*password) {
    auto hash = co_await OnCpuPool<std::string>(
        ctx, [&] { return auth::HashPassword(**password); });
    if (!hash) {
      co_return MakeProblem(ctx, Error{ErrorCode::kInvalidArgument,
                                       "field 'password': " + hash.error().message, "password"});
    }
    user->password_hash = std::move(*hash);
  }
  user->created_at = ctx.services.clock.Now();
  co_return co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    if (auto inserted = tx.InsertUser(*user); !inserted) return Fail(inserted.error());
    return Reply{status::created, UserView(*user), "/api/v1/users/" + std::to_string(user->id)};
  });
}

boost::asio::awaitable<Response> ListUsers(RequestContext& ctx) {
  auto users = ctx.services.store.ListUsers();
  if (!users) co_return MakeProblem(ctx, users.error());
  json::array items;
  for (const auto& user : *users) items.emplace_back(UserView(user));
  co_return MakeReply(ctx, Reply{status::ok, json::object{{"items", std::move(items)}}, {}});
}

}  // namespace

void RegisterUserRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/users", Access::kStaff, ListUsers);
  router.Add(verb::post, "/api/v1/users", Access::kAdmin, CreateUser);
}

}  // namespace redress::http::api
