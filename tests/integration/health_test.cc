// Operations endpoints (no auth), request ids, keep-alive and graceful shutdown.
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class HealthTest : public ServerTest {};

TEST_F(HealthTest, HealthzAnswersOkWithoutAuth) {
  HttpResponse r = Client().Get("/healthz");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type").value_or("").rfind("application/json", 0), 0u) << r.Describe();
  std::optional<json::value> body = r.Json();
  ASSERT_TRUE(body) << r.Describe();
  EXPECT_EQ(Str(*body, "/status"), "ok");
}

TEST_F(HealthTest, ReadyzAnswersReadyWhenTheDatabaseAnswers) {
  HttpResponse r = Client().Get("/readyz");
  ASSERT_EQ(r.status, 200) << r.Describe();
  std::optional<json::value> body = r.Json();
  ASSERT_TRUE(body) << r.Describe();
  EXPECT_EQ(Str(*body, "/status"), "ready");
}

TEST_F(HealthTest, MetricsCountRequestsByRoutePatternNotConcretePath) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::value opened = OpenCase(agent1().token, customer.id);
  ASSERT_TRUE(opened.is_object());
  std::string case_path = "/api/v1/cases/" + std::to_string(*Int(opened, "/id"));
  ASSERT_EQ(Client().Get(case_path, Bearer(agent1().token)).status, 200);

  HttpResponse r = Client().Get("/metrics");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type").value_or("").rfind("text/plain", 0), 0u)
      << r.Header("Content-Type").value_or("<none>");
  EXPECT_NE(r.Header("Content-Type").value_or("").find("version=0.0.4"), std::string::npos)
      << r.Header("Content-Type").value_or("<none>");
  EXPECT_NE(r.body.find("redress_http_requests_total"), std::string::npos) << r.body;
  // The label is the registered pattern, so metrics do not grow one series per case.
  EXPECT_NE(r.body.find("route=\"/api/v1/cases/{id}\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("route=\"" + case_path + "\""), std::string::npos) << r.body;
}

TEST_F(HealthTest, OpenApiDocumentIsServed) {
  HttpResponse r = Client().Get("/api/v1/openapi.yaml");
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type").value_or("").rfind("application/yaml", 0), 0u)
      << r.Header("Content-Type").value_or("<none>");
  EXPECT_NE(r.body.find("openapi: 3.1"), std::string::npos) << r.body.substr(0, 200);
  EXPECT_NE(r.body.find("/api/v1/cases/{id}/events"), std::string::npos);
}

TEST_F(HealthTest, OpenApiDocumentDescribesEveryRoute) {
  HttpResponse r = Client().Get("/api/v1/openapi.yaml");
  ASSERT_EQ(r.status, 200) << r.Describe();
  for (std::string path :
       {"/healthz:", "/readyz:", "/metrics:", "/api/v1/auth/login:", "/api/v1/auth/logout:",
        "/api/v1/me:", "/api/v1/customers:", "/api/v1/customers/{id}:", "/api/v1/cases:",
        "/api/v1/cases/{id}:", "/api/v1/cases/{id}/events:", "/api/v1/cases/{id}/messages:",
        "/api/v1/cases/{id}/notes:", "/api/v1/cases/{id}/assign:", "/api/v1/cases/{id}/status:",
        "/api/v1/cases/{id}/priority:", "/api/v1/cases/{id}/category:", "/api/v1/users:"}) {
    EXPECT_NE(r.body.find(path), std::string::npos) << path << " is not in openapi.yaml";
  }
}

TEST_F(HealthTest, EveryResponseCarriesARequestId) {
  HttpResponse ok = Client().Get("/healthz");
  HttpResponse missing = Client().Get("/no/such/path");
  HttpResponse unauthenticated = Client().Get("/api/v1/cases");
  for (const HttpResponse* r : {&ok, &missing, &unauthenticated}) {
    EXPECT_FALSE(r->Header("X-Request-Id").value_or("").empty()) << r->Describe();
  }
  EXPECT_NE(ok.Header("X-Request-Id"), missing.Header("X-Request-Id"));
}

TEST_F(HealthTest, ValidIncomingRequestIdIsEchoed) {
  std::string id = "trace-42.A_b";
  HttpResponse r = Client().Get("/healthz", {{"X-Request-Id", id}});
  EXPECT_EQ(r.Header("X-Request-Id"), id);
  std::string longest(64, 'x');
  EXPECT_EQ(Client().Get("/healthz", {{"X-Request-Id", longest}}).Header("X-Request-Id"), longest);
  // The id also reaches error bodies.
  HttpResponse error = Client().Get("/api/v1/cases", {{"X-Request-Id", id}});
  ASSERT_TRUE(IsProblem(error, 401, "unauthenticated"));
  EXPECT_EQ(Str(Body(error), "/request_id"), id);
}

TEST_F(HealthTest, InvalidIncomingRequestIdIsReplaced) {
  for (std::string bad : {std::string(65, 'x'), std::string("has space"), std::string("semi;colon"),
                          std::string("quote\"d")}) {
    HttpResponse r = Client().Get("/healthz", {{"X-Request-Id", bad}});
    ASSERT_EQ(r.status, 200) << bad << ": " << r.Describe();
    std::string echoed = r.Header("X-Request-Id").value_or("");
    EXPECT_NE(echoed, bad);
    EXPECT_FALSE(echoed.empty()) << bad;
    EXPECT_LE(echoed.size(), 64u);
  }
}

TEST_F(HealthTest, KeepAliveConnectionServesSeveralRequests) {
  HttpClient client = server().Client(/*keep_alive=*/true);
  for (int i = 0; i < 5; ++i) {
    HttpResponse r = client.Get("/healthz");
    ASSERT_EQ(r.status, 200) << r.Describe();
  }
  HttpResponse me = client.Get("/api/v1/me", Bearer(agent1().token));
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(HealthTest, MeDescribesTheCallingPrincipal) {
  HttpResponse r = Client().Get("/api/v1/me", Bearer(agent2().token));
  ASSERT_EQ(r.status, 200) << r.Describe();
  json::value me = Body(r);
  EXPECT_EQ(Str(me, "/role"), "agent");
  EXPECT_EQ(Int(me, "/id"), agent2().id);
  EXPECT_EQ(Str(me, "/name"), agent2().name);
  EXPECT_EQ(Int(me, "/level"), 2);

  TestCustomer customer = NewCustomer("Meera Iyer");
  ASSERT_FALSE(customer.token.empty());
  HttpResponse as_customer = Client().Get("/api/v1/me", Bearer(customer.token));
  ASSERT_EQ(as_customer.status, 200) << as_customer.Describe();
  EXPECT_EQ(Str(Body(as_customer), "/role"), "customer");
  EXPECT_EQ(Int(Body(as_customer), "/id"), customer.id);
  EXPECT_EQ(Str(Body(as_customer), "/name"), "Meera Iyer");
}

// Its own suite: it stops the server, which the others share.
class ShutdownTest : public ServerTest {};

TEST_F(ShutdownTest, SigtermStopsTheServerCleanlyAndRestartServesAgain) {
  ASSERT_TRUE(server().Stop(std::chrono::seconds(10)));
  EXPECT_EQ(Client().Get("/healthz").status, 0) << "the old port still answers";
  ASSERT_TRUE(server().Serve());
  HttpResponse r = Client().Get("/healthz");
  EXPECT_EQ(r.status, 200) << r.Describe();
  // Tokens live in the database, so they survive the restart.
  EXPECT_EQ(Client().Get("/api/v1/me", Bearer(admin().token)).status, 200);
}

}  // namespace
}  // namespace redress::testing
