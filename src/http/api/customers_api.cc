#include <boost/json/array.hpp>

#include "app/services.h"
#include "domain/customer.h"
#include "domain/permissions.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

Result<domain::NewCustomer> ReadNewCustomer(const json::object& body) {
  if (auto unknown = RejectUnknownFields(body, {"name", "emails", "phones", "social"}); !unknown) {
    return Fail(unknown.error());
  }
  domain::NewCustomer input;
  auto name = RequireString(body, "name");
  if (!name) return Fail(name.error());
  input.name = *name;
  auto emails = OptionalStringArray(body, "emails");
  if (!emails) return Fail(emails.error());
  input.emails = std::move(*emails);
  auto phones = OptionalStringArray(body, "phones");
  if (!phones) return Fail(phones.error());
  input.phones = std::move(*phones);
  auto social = OptionalObjectArray(body, "social");
  if (!social) return Fail(social.error());
  for (const JsonObjectItem& item : *social) {
    if (auto unknown = RejectUnknownFields(*item.object, {"network", "handle"}, item.path);
        !unknown) {
      return Fail(unknown.error());
    }
    auto network = RequireString(*item.object, "network", item.path);
    if (!network) return Fail(network.error());
    auto handle = RequireString(*item.object, "handle", item.path);
    if (!handle) return Fail(handle.error());
    input.social.push_back({*network, *handle});
  }
  return input;
}

boost::asio::awaitable<Response> CreateCustomer(RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  auto input = ReadNewCustomer(*body);
  if (!input) co_return MakeProblem(ctx, input.error());
  auto identities = domain::ValidateNewCustomer(*input);
  if (!identities) co_return MakeProblem(ctx, identities.error());

  domain::Customer customer;
  customer.name = input->name;
  customer.identities = std::move(*identities);
  customer.created_at = ctx.services.clock.Now();
  co_return co_await DurableWrite(ctx, [&customer](store::WriteTx& tx) -> Result<Reply> {
    if (auto inserted = tx.InsertCustomer(customer); !inserted) return Fail(inserted.error());
    return Reply{status::created, CustomerView(customer),
                 "/api/v1/customers/" + std::to_string(customer.id)};
  });
}

boost::asio::awaitable<Response> GetCustomer(RequestContext& ctx) {
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  const Error not_found{ErrorCode::kNotFound, "customer " + std::to_string(*id) + " does not exist", {}};
  if (!domain::CanReadCustomer(ctx.who(), *id)) co_return MakeProblem(ctx, not_found);
  auto customer = ctx.services.store.GetCustomer(*id);
  if (!customer) {
    co_return MakeProblem(ctx, customer.error().code == ErrorCode::kNotFound ? not_found
                                                                             : customer.error());
  }
  json::object view = CustomerView(*customer);
  // The value tier is the company's view of the customer, not something shown to them.
  if (ctx.who().role == domain::Role::kCustomer) view.erase("tier");
  co_return MakeReply(ctx, Reply{status::ok, std::move(view), {}});
}

// PUT /api/v1/customers/{id}/tier {"tier": "gold"}; null or "" clears it. Supervisors and
// admins only: the tier moves the customer's new cases up the escalation ladder.
boost::asio::awaitable<Response> PutCustomerTier(RequestContext& ctx) {
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  if (!domain::IsSupervisorOrAdmin(ctx.who())) {
    co_return MakeProblem(ctx, Error{ErrorCode::kPermissionDenied,
                                     "only a supervisor or an admin may set a customer's tier", {}});
  }
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  if (auto unknown = RejectUnknownFields(*body, {"tier"}); !unknown) {
    co_return MakeProblem(ctx, unknown.error());
  }
  const json::value* raw = body->if_contains("tier");
  if (raw == nullptr || !(raw->is_string() || raw->is_null())) {
    co_return MakeProblem(ctx, Error{ErrorCode::kInvalidArgument,
                                     "field 'tier' is required: a string, or null to clear it",
                                     "tier"});
  }
  auto tier = domain::NormalizeTier(raw->is_null() ? std::string_view()
                                                   : std::string_view(raw->get_string()));
  if (!tier) co_return MakeProblem(ctx, tier.error());
  const int64_t customer_id = *id;
  const std::string stored = std::move(*tier);
  co_return co_await DurableWrite(ctx, [customer_id, stored](store::WriteTx& tx) -> Result<Reply> {
    if (auto set = tx.SetCustomerTier(customer_id, stored); !set) return Fail(set.error());
    json::value shown = stored.empty() ? json::value(nullptr) : json::value(stored);
    return Reply{status::ok, json::object{{"id", customer_id}, {"tier", std::move(shown)}}, {}};
  });
}

}  // namespace

void RegisterCustomerRoutes(Router& router) {
  router.Add(verb::post, "/api/v1/customers", Access::kStaff, CreateCustomer);
  router.Add(verb::get, "/api/v1/customers/{id}", Access::kAuthenticated, GetCustomer);
  router.Add(verb::put, "/api/v1/customers/{id}/tier", Access::kStaff, PutCustomerTier);
}

}  // namespace redress::http::api
