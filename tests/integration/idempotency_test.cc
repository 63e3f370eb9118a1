// Idempotency-Key on POST (docs/api.md): a retry replays the stored response and writes
// nothing; the same key with another request is refused; keys belong to a principal.
#include <unistd.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class IdempotencyTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    customer_ = NewCustomer();
    ASSERT_NE(customer_.id, 0);
  }

  static std::string NewKey() {
    static int n = 0;
    return "key-" + std::to_string(++n) + "-" + std::to_string(::getpid());
  }

  json::object CaseBody(std::string subject = "Order cancelled while I was at work") const {
    return json::object{
        {"customer_id", customer_.id}, {"subject", subject}, {"body", "The courier called once."}};
  }

  HttpResponse PostCase(const std::string& token, const std::string& key, const json::value& body) {
    return Client().Post("/api/v1/cases", body, Bearer(token, {{"Idempotency-Key", key}}));
  }

  std::vector<int64_t> CustomerCases() {
    HttpResponse r = Client().Get("/api/v1/cases?customer=" + std::to_string(customer_.id),
                                  Bearer(agent1().token));
    EXPECT_EQ(r.status, 200) << r.Describe();
    std::vector<int64_t> ids;
    for (const json::value& item : Array(Body(r), "/items")) ids.push_back(*Int(item, "/id"));
    return ids;
  }

  TestCustomer customer_;
};

TEST_F(IdempotencyTest, RetryReplaysTheStoredResponseAndCreatesNothing) {
  std::string key = NewKey();
  HttpResponse first = PostCase(agent1().token, key, CaseBody());
  ASSERT_EQ(first.status, 201) << first.Describe();
  EXPECT_NE(first.Header("Idempotency-Replayed"), "true");

  HttpResponse retry = PostCase(agent1().token, key, CaseBody());
  ASSERT_EQ(retry.status, 201) << retry.Describe();
  EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.Header("Location"), first.Header("Location"));
  EXPECT_TRUE(retry.Header("Location").has_value());
  EXPECT_EQ(CustomerCases(), std::vector<int64_t>{*Int(Body(first), "/id")});
}

TEST_F(IdempotencyTest, ReplayIsTheOriginalAnswerEvenAfterTheCaseMoved) {
  std::string key = NewKey();
  HttpResponse first = PostCase(agent1().token, key, CaseBody());
  ASSERT_EQ(first.status, 201) << first.Describe();
  int64_t id = *Int(Body(first), "/id");
  ASSERT_EQ(CaseAction(agent1().token, id, "notes", json::object{{"body", "moved on"}}).status,
            201);
  HttpResponse retry = PostCase(agent1().token, key, CaseBody());
  ASSERT_EQ(retry.status, 201) << retry.Describe();
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(Int(Body(retry), "/last_seq"), 1);
}

TEST_F(IdempotencyTest, SameKeyWithAnotherRequestIsRefused) {
  std::string key = NewKey();
  ASSERT_EQ(PostCase(agent1().token, key, CaseBody("first")).status, 201);
  HttpResponse other_body = PostCase(agent1().token, key, CaseBody("second"));
  EXPECT_TRUE(IsProblem(other_body, 422, "idempotency-key-reused"));

  HttpResponse other_path = Client().Post(
      "/api/v1/customers", json::object{{"name", "X"}, {"emails", json::array{UniqueEmail()}}},
      Bearer(agent1().token, {{"Idempotency-Key", key}}));
  EXPECT_TRUE(IsProblem(other_path, 422, "idempotency-key-reused"));
  EXPECT_EQ(CustomerCases().size(), 1u);
}

TEST_F(IdempotencyTest, KeysBelongToThePrincipal) {
  std::string key = NewKey();
  HttpResponse by_agent1 = PostCase(agent1().token, key, CaseBody());
  HttpResponse by_agent2 = PostCase(agent2().token, key, CaseBody());
  ASSERT_EQ(by_agent1.status, 201) << by_agent1.Describe();
  ASSERT_EQ(by_agent2.status, 201) << by_agent2.Describe();
  EXPECT_NE(by_agent2.Header("Idempotency-Replayed"), "true");
  EXPECT_NE(Int(Body(by_agent1), "/id"), Int(Body(by_agent2), "/id"));
  EXPECT_EQ(CustomerCases().size(), 2u);

  // A customer using the same key is yet another principal.
  HttpResponse by_customer =
      Client().Post("/api/v1/cases", json::object{{"subject", "mine"}, {"body", "b"}},
                    Bearer(customer_.token, {{"Idempotency-Key", key}}));
  ASSERT_EQ(by_customer.status, 201) << by_customer.Describe();
  EXPECT_EQ(CustomerCases().size(), 3u);
}

TEST_F(IdempotencyTest, CaseActionsAreIdempotentToo) {
  json::value opened = OpenCase(agent1().token, customer_.id);
  ASSERT_TRUE(opened.is_object());
  int64_t id = *Int(opened, "/id");
  std::string key = NewKey();
  Headers headers = Bearer(customer_.token, {{"Idempotency-Key", key}});
  std::string path = "/api/v1/cases/" + std::to_string(id) + "/messages";
  json::object body{{"body", "Are you there?"}};
  HttpResponse first = Client().Post(path, body, headers);
  ASSERT_EQ(first.status, 201) << first.Describe();
  HttpResponse retry = Client().Post(path, body, headers);
  ASSERT_EQ(retry.status, 201) << retry.Describe();
  EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(Int(GetCase(agent1().token, id), "/last_seq"), 2) << "the message was appended twice";
}

TEST_F(IdempotencyTest, MalformedKeysAreRefused) {
  for (std::string key : {std::string(256, 'k'), std::string("caf\xc3\xa9")}) {
    HttpResponse r = PostCase(agent1().token, key, CaseBody());
    EXPECT_GE(r.status, 400) << key.size() << " bytes: " << r.Describe();
    EXPECT_LT(r.status, 500) << r.Describe();
  }
  EXPECT_EQ(CustomerCases().size(), 0u);
  std::string longest_key = NewKey();
  longest_key.resize(255, 'k');
  HttpResponse longest = PostCase(agent1().token, longest_key, CaseBody());
  EXPECT_EQ(longest.status, 201) << longest.Describe();
}

TEST_F(IdempotencyTest, ConcurrentRetriesCreateOneCase) {
  std::string key = NewKey();
  constexpr int kThreads = 8;
  std::vector<HttpResponse> responses(kThreads);
  std::vector<std::thread> threads;
  json::object body = CaseBody();
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { responses[i] = PostCase(agent1().token, key, body); });
  }
  for (std::thread& t : threads) t.join();
  std::set<int64_t> ids;
  for (const HttpResponse& r : responses) {
    EXPECT_LT(r.status, 500) << r.Describe();
    EXPECT_GT(r.status, 0) << r.Describe();
    if (r.status == 201) ids.insert(Int(Body(r), "/id").value_or(0));
  }
  EXPECT_EQ(ids.size(), 1u) << "every success must be the same case";
  EXPECT_EQ(CustomerCases().size(), 1u);
}

TEST_F(IdempotencyTest, StoredResponsesSurviveARestart) {
  std::string key = NewKey();
  HttpResponse first = PostCase(agent1().token, key, CaseBody());
  ASSERT_EQ(first.status, 201) << first.Describe();
  ASSERT_TRUE(server().Restart());
  HttpResponse retry = PostCase(agent1().token, key, CaseBody());
  ASSERT_EQ(retry.status, 201) << retry.Describe();
  EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(CustomerCases().size(), 1u);
}

}  // namespace
}  // namespace redress::testing
