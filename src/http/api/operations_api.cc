// What operators and their tools need: liveness, readiness, metrics, the API description.
#include "app/services.h"
#include "http/api/api_util.h"
#include "http/api/openapi_document.h"
#include "http/api/routes.h"
#include "http/response.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

boost::asio::awaitable<Response> Healthz(RequestContext& ctx) {
  co_return MakeReply(ctx, Reply{status::ok, json::object{{"status", "ok"}}, {}});
}

boost::asio::awaitable<Response> Readyz(RequestContext& ctx) {
  if (auto ping = ctx.services.store.Ping(); !ping) {
    co_return MakeProblem(ctx, Error{ErrorCode::kUnavailable,
                                     "the database does not answer: " + ping.error().message, {}});
  }
  co_return MakeReply(ctx, Reply{status::ok, json::object{{"status", "ready"}}, {}});
}

boost::asio::awaitable<Response> Metrics(RequestContext& ctx) {
  std::string extra;
  if (auto stats = ctx.services.store.Stats()) {
    auto gauge = [&extra](const char* name, const char* help, int64_t value) {
      extra += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" +
               name + " " + std::to_string(value) + "\n";
    };
    gauge("redress_store_cases", "Cases in the database.", stats->cases);
    gauge("redress_store_events", "Events in the database.", stats->events);
    gauge("redress_store_customers", "Customers in the database.", stats->customers);
    gauge("redress_store_commits", "Durable commits since start.", stats->commits);
    gauge("redress_store_committed_writes", "Writes carried by those commits.",
          stats->committed_writes);
    gauge("redress_store_wal_checkpoints", "SQLite WAL checkpoints since start.",
          stats->wal_checkpoints);
    gauge("redress_store_wal_checkpoints_by_writer",
          "SQLite WAL checkpoints the writer thread ran itself (the background one fell behind).",
          stats->wal_checkpoints_by_writer);
    gauge("redress_store_wal_checkpoint_failures", "SQLite WAL checkpoints that failed.",
          stats->wal_checkpoint_failures);
  }
  co_return Text(status::ok, ctx.services.metrics.Render(extra),
                "text/plain; version=0.0.4; charset=utf-8");
}

boost::asio::awaitable<Response> OpenApi(RequestContext& /*ctx*/) {
  co_return Text(status::ok, std::string(OpenApiDocument()), "application/yaml");
}

}  // namespace

void RegisterOperationsRoutes(Router& router) {
  router.Add(verb::get, "/healthz", Access::kAnyone, Healthz);
  router.Add(verb::get, "/readyz", Access::kAnyone, Readyz);
  router.Add(verb::get, "/metrics", Access::kAnyone, Metrics);
  router.Add(verb::get, "/api/v1/openapi.yaml", Access::kAnyone, OpenApi);
}

}  // namespace redress::http::api
