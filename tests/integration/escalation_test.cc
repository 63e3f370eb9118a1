// Escalation over HTTP with `serve --test-clock`: the seed stories replayed against the
// real server. The policy is put through the admin API in SetUp with the test accounts as
// level members (L1 agent1, L2 agent2, L3 admin) on a 24x7 calendar, so every due time is
// plain arithmetic from the test clock's start.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server_fixture.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

constexpr char kStart[] = "2026-03-02T09:00:00Z";

std::string Policy(int64_t l1, int64_t l2, int64_t l3) {
  return R"(version = 1
[calendars.always]
time_zone = "UTC"
[calendars.always.hours]
daily = ["00:00-24:00"]

[levels.l1]
name = "L1 Customer care"
calendar = "always"
members = [{ id = )" + std::to_string(l1) + R"(, name = "Agent One" }]
credit_limit = { INR = 50000 }
[levels.l1.sla.default]
first_response = "4h"
next_update = "24h"
resolution = "72h"

[levels.l2]
name = "L2 Escalations"
calendar = "always"
members = [{ id = )" + std::to_string(l2) + R"(, name = "Agent Two" }]
credit_limit = { INR = 500000 }
[levels.l2.sla.default]
first_response = "2h"
next_update = "24h"
resolution = "72h"

[levels.l3]
name = "L3 Grievance officer"
calendar = "always"
members = [{ id = )" + std::to_string(l3) + R"(, name = "Admin" }]
credit_limit = { INR = 2500000 }
[levels.l3.sla.default]
first_response = "24h"
next_update = "24h"
resolution = "120h"

[external.ombudsman]
name = "Consumer ombudsman"
kind = "ombudsman"
address = "https://ombudsman.example"

[[ladders]]
id = "default"
categories = ["*"]
levels = ["l1", "l2", "l3"]
external = ["ombudsman"]
)";
}

class EscalationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_extra_serve_args({"--test-clock", "--test-clock-start", kStart});
    ASSERT_TRUE(server_.Start());
    auto put = Client().Send(
        "PUT", "/api/v1/admin/escalation-policy",
        json::serialize(json::object{
            {"source", Policy(server_.agent1().id, server_.agent2().id, server_.admin().id)}}),
        Bearer(server_.admin().token, {{"Content-Type", "application/json"}}));
    ASSERT_EQ(put.status, 200) << put.Describe();
    auto customer = Client().Post(
        "/api/v1/customers", {{"name", "Asha Rao"}, {"emails", {"asha@example.com"}}},
        Bearer(server_.agent1().token));
    ASSERT_EQ(customer.status, 201) << customer.Describe();
    customer_id_ = customer.Json()->at("id").as_int64();
    customer_token_ = server_.CustomerToken(customer_id_);
    ASSERT_FALSE(customer_token_.empty());
  }

  HttpClient Client() { return server_.Client(); }

  int64_t OpenCase(const std::string& subject = "Return rejected") {
    auto opened = Client().Post("/api/v1/cases", {{"subject", subject}, {"body", "Please help"}},
                                Bearer(customer_token_));
    EXPECT_EQ(opened.status, 201) << opened.Describe();
    return opened.status == 201 ? opened.Json()->at("id").as_int64() : 0;
  }

  HttpResponse Action(const std::string& token, int64_t id, const std::string& action,
                      const json::value& body) {
    return Client().Post("/api/v1/cases/" + std::to_string(id) + "/" + action, body,
                         Bearer(token));
  }

  json::value Case(const std::string& token, int64_t id) {
    auto got = Client().Get("/api/v1/cases/" + std::to_string(id), Bearer(token));
    EXPECT_EQ(got.status, 200) << got.Describe();
    return Body(got);
  }

  void Advance(int64_t seconds) {
    auto moved = Client().Post("/api/v1/test-clock", {{"advance_seconds", seconds}},
                               Bearer(server_.admin().token));
    ASSERT_EQ(moved.status, 200) << moved.Describe();
  }

  std::vector<std::string> EventTypes(int64_t id) {
    std::vector<std::string> types;
    auto events = Client().Get("/api/v1/cases/" + std::to_string(id) + "/events?limit=500",
                               Bearer(server_.agent1().token));
    for (const auto& e : Array(Body(events), "/items")) types.push_back(*Str(e, "/type"));
    return types;
  }

  TestServer server_;
  int64_t customer_id_ = 0;
  std::string customer_token_;
};

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(EscalationTest, ReturnRejectedTwiceIsEscalatedAtTheCustomersThirdContact) {
  const int64_t id = OpenCase("Return request rejected");
  for (int contact = 2; contact <= 3; ++contact) {
    auto sent = Action(customer_token_, id, "messages",
                       {{"body", "Contact " + std::to_string(contact) + ": rejected again"}});
    ASSERT_EQ(sent.status, 201) << sent.Describe();
  }
  json::value c = Case(server_.agent1().token, id);
  EXPECT_EQ(Int(c, "/level"), 2);
  EXPECT_EQ(Int(c, "/owner/id"), server_.agent2().id);
  EXPECT_EQ(Str(c, "/escalation/level/name"), "L2 Escalations");
  EXPECT_EQ(Str(c, "/level_name"), "L2 Escalations");
  EXPECT_TRUE(Has(EventTypes(id), "escalated"));
}

TEST_F(EscalationTest, APromisePastItsDueTimeIsBrokenAndEscalates) {
  const int64_t id = OpenCase("Cashback not credited");
  auto promised = Action(server_.agent1().token, id, "promises",
                         {{"what", "Cashback of 150 INR credited"},
                          {"due_at", "2026-03-02T10:00:00Z"}});
  ASSERT_EQ(promised.status, 201) << promised.Describe();
  EXPECT_EQ(Str(Body(promised), "/case/escalation/promises/0/status"), "open");
  Advance(3600 + 60);  // 10:01: the promise is overdue; the reply comes after the job ran
  json::value c = Case(customer_token_, id);
  EXPECT_EQ(Int(c, "/level"), 2) << json::serialize(c);
  EXPECT_EQ(Str(c, "/escalation/promises/0/status"), "broken");
  const auto types = EventTypes(id);
  EXPECT_TRUE(Has(types, "promise_broken"));
  EXPECT_TRUE(Has(types, "escalated"));
  // Staff do not see internal fields only: the customer view has no sla.
  EXPECT_EQ(At(c, "/sla"), nullptr);
}

TEST_F(EscalationTest, AnEscalatedCaseWhoseUpdateIsMissedBreachesOnce) {
  const int64_t id = OpenCase("Refund missing");
  auto escalated = Action(server_.agent1().token, id, "escalate", {{"reason", "Needs L2"}});
  ASSERT_EQ(escalated.status, 201) << escalated.Describe();
  json::value c = Body(escalated);
  EXPECT_EQ(Int(c, "/case/level"), 2);
  EXPECT_EQ(Str(c, "/case/sla/first_response_due"), "2026-03-02T11:00:00.000000Z");
  Advance(2 * 3600 + 1);  // L2's 2h first response missed
  const auto types = EventTypes(id);
  EXPECT_EQ(std::count(types.begin(), types.end(), "sla_breached"), 1);
  c = Case(server_.agent1().token, id);
  EXPECT_EQ(Int(c, "/level"), 3);
  Advance(60);  // nothing fires twice
  const auto again = EventTypes(id);
  EXPECT_EQ(std::count(again.begin(), again.end(), "sla_breached"), 1);
  // The fired timer is counted where operators look, and nothing failed.
  HttpResponse metrics = Client().Get("/metrics");
  ASSERT_EQ(metrics.status, 200) << metrics.Describe();
  const size_t done = metrics.body.find("\nredress_background_done_total ");
  ASSERT_NE(done, std::string::npos) << metrics.body;
  EXPECT_GE(std::stoll(metrics.body.substr(done + 31)), 1) << metrics.body.substr(done, 40);
  EXPECT_NE(metrics.body.find("\nredress_background_retried_total 0\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("\nredress_background_errors_total 0\n"), std::string::npos);
}

TEST_F(EscalationTest, CustomerEscalatesWithEvidenceOnlyOnceTheWindowOpens) {
  const int64_t id = OpenCase("Damaged parcel");
  auto early = Action(customer_token_, id, "escalate",
                      {{"reason", "Nobody answers"}, {"attachment_ids", {"photo-1.jpg"}}});
  ASSERT_TRUE(IsProblem(early, 409, "conflict")) << early.Describe();
  EXPECT_NE(Str(Body(early), "/detail")->find("2026-03-02T13:00:00"), std::string::npos)
      << early.Describe();
  // L1 answers in time (else its first-response breach would escalate on its own), and
  // the window opens when the response time has passed all the same.
  auto reply = Action(server_.agent1().token, id, "messages", {{"body", "Looking into it"}});
  ASSERT_EQ(reply.status, 201) << reply.Describe();
  Advance(4 * 3600 + 60);
  EXPECT_EQ(Int(Case(customer_token_, id), "/level"), 1);
  // A photo uploaded first is named as "attachment:<id>" and becomes the case's.
  const Headers as_customer{{"Authorization", "Bearer " + customer_token_},
                            {"Content-Type", "image/png"}};
  auto photo = Client().PostRaw("/api/v1/attachments?filename=parcel.png",
                                std::string("\x89PNG parcel", 11), as_customer);
  ASSERT_EQ(photo.status, 201) << photo.Describe();
  const std::string upload = "attachment:" + std::to_string(Int(Body(photo), "/id").value_or(0));
  auto not_an_id = Action(customer_token_, id, "escalate",
                          {{"reason", "Nobody answers"}, {"attachment_ids", {"attachment:x"}}});
  EXPECT_TRUE(IsProblem(not_an_id, 422, "invalid-argument")) << not_an_id.Describe();
  auto allowed = Action(customer_token_, id, "escalate",
                        {{"reason", "Nobody answers"},
                         {"attachment_ids", {"photo-1.jpg", upload}}});
  ASSERT_EQ(allowed.status, 201) << allowed.Describe();
  auto fetched = Client().Get("/api/v1/attachments/" + upload.substr(11),
                              {{"Authorization", "Bearer " + server_.agent1().token}});
  EXPECT_EQ(fetched.status, 200) << fetched.Describe();
  EXPECT_EQ(fetched.body, std::string("\x89PNG parcel", 11));
  EXPECT_EQ(Int(Body(allowed), "/case/level"), 2);
  bool evidence = false;
  for (const auto& e : Array(Body(allowed), "/events")) {
    if (Str(e, "/type") == "escalated") {
      evidence = Str(e, "/data/evidence/0") == "photo-1.jpg" &&
                 Str(e, "/data/evidence/1") == upload &&
                 Str(e, "/data/trigger") == "customer_request";
    }
  }
  EXPECT_TRUE(evidence) << allowed.Describe();
}

TEST_F(EscalationTest, AnAppealOfADenialGoesUpALevel) {
  const int64_t id = OpenCase("Warranty claim");
  auto denied = Action(server_.agent1().token, id, "decisions",
                       {{"outcome", "denied"},
                        {"reason", "Outside warranty"},
                        {"next_step", "You may appeal"}});
  ASSERT_EQ(denied.status, 201) << denied.Describe();
  auto appealed = Action(customer_token_, id, "appeal", {{"reason", "Bought 3 months ago"}});
  ASSERT_EQ(appealed.status, 201) << appealed.Describe();
  EXPECT_EQ(Int(Body(appealed), "/case/level"), 2);
  const json::value* flag = At(Body(appealed), "/case/escalation/decision/appealed");
  ASSERT_NE(flag, nullptr) << appealed.Describe();
  EXPECT_TRUE(flag->is_bool() && flag->as_bool());
  EXPECT_TRUE(Has(EventTypes(id), "decision_appealed"));
}

TEST_F(EscalationTest, AGoodwillCreditAboveTheLimitIsApprovedAtTheNextLevel) {
  const int64_t id = OpenCase("Late delivery");
  auto requested = Action(server_.agent1().token, id, "credits",
                          {{"amount", 150000}, {"currency", "INR"}, {"reason", "Three weeks late"}});
  ASSERT_EQ(requested.status, 201) << requested.Describe();
  EXPECT_EQ(Str(Body(requested), "/case/credits/0/status"), "requested");
  EXPECT_EQ(Int(Body(requested), "/case/credits/0/approver_level"), 2);
  auto by_l1 = Action(server_.agent1().token, id, "credits/1/approve", json::object{});
  EXPECT_EQ(by_l1.status, 403) << by_l1.Describe();
  auto by_l2 = Action(server_.agent2().token, id, "credits/1/approve", json::object{});
  ASSERT_EQ(by_l2.status, 200) << by_l2.Describe();
  EXPECT_EQ(Str(Body(by_l2), "/case/credits/0/status"), "approved");
}

TEST_F(EscalationTest, AnInvalidPolicyIsRefusedWithTheLineAndTheOldOneKeepsRunning) {
  auto before = Client().Get("/api/v1/admin/escalation-policy", Bearer(server_.admin().token));
  ASSERT_EQ(before.status, 200) << before.Describe();
  EXPECT_EQ(Str(Body(before), "/origin"), "database");
  std::string broken = Policy(1, 2, 3);
  broken.replace(broken.find("first_response = \"4h\""), 21, "first_response = \"-4h\"");
  auto put = Client().Send("PUT", "/api/v1/admin/escalation-policy",
                           json::serialize(json::object{{"source", broken}}),
                           Bearer(server_.admin().token, {{"Content-Type", "application/json"}}));
  ASSERT_TRUE(IsProblem(put, 422, "invalid-argument")) << put.Describe();
  EXPECT_EQ(Int(Body(put), "/errors/0/line"), 13) << put.Describe();
  auto after = Client().Get("/api/v1/admin/escalation-policy", Bearer(server_.admin().token));
  EXPECT_EQ(Str(Body(after), "/source"), Str(Body(before), "/source"));
  auto agent = Client().Get("/api/v1/admin/escalation-policy", Bearer(server_.agent1().token));
  EXPECT_EQ(agent.status, 403);
}

TEST_F(EscalationTest, QueuesCountAndSortByDue) {
  const int64_t first = OpenCase("First");
  const int64_t second = OpenCase("Second");
  auto urgent = Action(server_.agent1().token, second, "escalate", {{"reason", "Urgent"}});
  ASSERT_EQ(urgent.status, 201) << urgent.Describe();
  auto queues = Client().Get("/api/v1/queues", Bearer(server_.agent2().token));
  ASSERT_EQ(queues.status, 200) << queues.Describe();
  EXPECT_EQ(Str(Body(queues), "/queues/0/id"), "mine");
  EXPECT_EQ(Int(Body(queues), "/queues/0/count"), 1);
  auto sorted = Client().Get("/api/v1/cases?sort=due&queue=breaching_soon",
                             Bearer(server_.agent1().token));
  ASSERT_EQ(sorted.status, 200) << sorted.Describe();
  EXPECT_EQ(Int(Body(sorted), "/total"), 2);
  EXPECT_EQ(Int(Body(sorted), "/items/0/id"), second);  // L2 owes an answer in 2h
  EXPECT_EQ(Int(Body(sorted), "/items/1/id"), first);
}

}  // namespace
}  // namespace redress::testing
