// The customer's open promises across all their cases, for the agent's customer panel:
// whoever picks up a customer sees what colleagues promised them on any case, soonest
// due first.
#include <algorithm>
#include <boost/json/array.hpp>

#include "app/services.h"
#include "core/time_format.h"
#include "domain/commitments.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

// A customer with more cases than this is shown the promises of the newest ones.
constexpr int kMaxCasesScanned = 1000;

struct OpenPromise {
  const domain::CaseState* kase;
  const domain::Promise* promise;
};

boost::asio::awaitable<Response> ListCustomerPromises(RequestContext& ctx) {
  auto customer_id = PathId(ctx, "id");
  if (!customer_id) co_return MakeProblem(ctx, customer_id.error());
  if (auto customer = ctx.services.store.GetCustomer(*customer_id); !customer) {
    co_return MakeProblem(ctx, customer.error());
  }
  std::vector<domain::CaseState> cases;
  store::CaseQuery query;
  query.customer_id = *customer_id;
  query.limit = 200;
  while (static_cast<int>(cases.size()) < kMaxCasesScanned) {
    auto page = ctx.services.store.ListCases(query);
    if (!page) co_return MakeProblem(ctx, page.error());
    for (auto& state : page->cases) cases.push_back(std::move(state));
    if (!page->next_before_id) break;
    query.before_id = page->next_before_id;
  }

  std::vector<OpenPromise> open;
  for (const auto& state : cases) {
    for (const auto& promise : state.commitments.promises) {
      if (promise.status == domain::PromiseStatus::kOpen) open.push_back({&state, &promise});
    }
  }
  std::sort(open.begin(), open.end(), [](const OpenPromise& a, const OpenPromise& b) {
    return a.promise->due_at != b.promise->due_at ? a.promise->due_at < b.promise->due_at
                                                  : a.kase->id < b.kase->id;
  });
  const Timestamp now = ctx.services.clock.Now();
  json::array items;
  for (const auto& [kase, promise] : open) {
    items.emplace_back(json::object{{"case_id", kase->id},
                                    {"case_subject", kase->subject},
                                    {"id", promise->id},
                                    {"what", promise->what},
                                    {"due_at", FormatTimestamp(promise->due_at)},
                                    {"made_by", promise->made_by_name},
                                    {"overdue", promise->due_at < now}});
  }
  co_return MakeReply(ctx, Reply{status::ok, json::object{{"items", std::move(items)}}, {}});
}

}  // namespace

void RegisterCustomerPromiseRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/customers/{id}/promises", Access::kStaff, ListCustomerPromises);
}

}  // namespace redress::http::api
