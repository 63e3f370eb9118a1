// What a 2xx promises: the write is on disk. Killing the server with SIGKILL right after
// acknowledged writes loses none of them; concurrent writers never fork or lose a case's
// chain; and `redress verify` notices an event edited behind the server's back.
#include <atomic>
#include <mutex>
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

const std::string kGenesis(64, '0');

// Checks a staff view of a whole chain: seqs 1..n, each prev_hash the previous hash.
::testing::AssertionResult IsIntactChain(const std::vector<json::value>& events) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (Int(events[i], "/seq") != static_cast<int64_t>(i + 1)) {
      return ::testing::AssertionFailure()
             << "event " << i << " has seq " << json::serialize(events[i]);
    }
    std::string expected_prev = i == 0 ? kGenesis : Str(events[i - 1], "/hash").value_or("?");
    if (Str(events[i], "/prev_hash") != expected_prev) {
      return ::testing::AssertionFailure()
             << "broken link at seq " << i + 1 << ": " << json::serialize(events[i]);
    }
  }
  return ::testing::AssertionSuccess();
}

class DurabilityTest : public ServerTest {};

TEST_F(DurabilityTest, AcknowledgedWritesSurviveKill9) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::value opened = OpenCase(customer.token, 0, "Chat vanished when the agent closed it");
  ASSERT_TRUE(opened.is_object());
  int64_t id = *Int(opened, "/id");
  ASSERT_EQ(
      CaseAction(agent1().token, id, "messages", json::object{{"body", "Here it is."}}).status,
      201);
  ASSERT_EQ(
      CaseAction(agent1().token, id, "notes", json::object{{"body", "Saved transcript"}}).status,
      201);
  json::value before = GetCase(agent1().token, id);
  std::vector<json::value> events_before = AllEvents(agent1().token, id);

  ASSERT_TRUE(server().Kill9());
  ASSERT_TRUE(server().Serve());

  EXPECT_EQ(GetCase(agent1().token, id), before);
  std::vector<json::value> events_after = AllEvents(agent1().token, id);
  EXPECT_EQ(events_after, events_before);
  EXPECT_TRUE(IsIntactChain(events_after));
  // The customer and their token survived as well.
  EXPECT_EQ(Client().Get("/api/v1/me", Bearer(customer.token)).status, 200);

  ProcessResult verify = server().Cli({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.Describe();
}

TEST_F(DurabilityTest, ConcurrentAcknowledgedCreatesAllSurviveKill9) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5;
  std::vector<std::vector<int64_t>> ids(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client = server().Client(/*keep_alive=*/true);
      for (int i = 0; i < kPerThread; ++i) {
        HttpResponse r = client.Post(
            "/api/v1/cases",
            json::object{{"customer_id", customer.id},
                         {"subject", "t" + std::to_string(t) + " #" + std::to_string(i)},
                         {"body", "b"}},
            Bearer(agent1().token));
        if (r.status == 201) {
          ids[t].push_back(Int(Body(r), "/id").value_or(0));
        } else {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  ASSERT_TRUE(server().Kill9());
  ASSERT_TRUE(server().Serve());

  std::set<int64_t> acknowledged;
  for (const auto& list : ids) acknowledged.insert(list.begin(), list.end());
  EXPECT_EQ(acknowledged.size(), static_cast<size_t>(kThreads * kPerThread)) << "ids not unique";
  for (int64_t id : acknowledged) {
    EXPECT_EQ(Client().Get("/api/v1/cases/" + std::to_string(id), Bearer(agent1().token)).status,
              200)
        << "acknowledged case " << id << " was lost";
  }
  ProcessResult verify = server().Cli({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.Describe();
}

TEST_F(DurabilityTest, ConcurrentAppendsToOneCaseKeepOneChain) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::value opened = OpenCase(agent1().token, customer.id);
  ASSERT_TRUE(opened.is_object());
  int64_t id = *Int(opened, "/id");
  constexpr int kThreads = 6;
  constexpr int kPerThread = 5;
  std::vector<HttpResponse> failures;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Customer and staff interleave, as they would in a live chat.
      const std::string& token = t % 2 == 0 ? customer.token : agent1().token;
      const std::string action = t % 3 == 2 ? "notes" : "messages";
      for (int i = 0; i < kPerThread; ++i) {
        std::string body = "thread " + std::to_string(t) + " line " + std::to_string(i);
        HttpResponse r = CaseAction(t % 3 == 2 ? agent2().token : token, id, action,
                                    json::object{{"body", body}});
        if (r.status != 201) {
          std::lock_guard<std::mutex> lock(mu);
          failures.push_back(r);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const HttpResponse& r : failures) ADD_FAILURE() << r.Describe();

  std::vector<json::value> events = AllEvents(agent1().token, id);
  EXPECT_TRUE(IsIntactChain(events));
  std::set<std::string> bodies;
  for (const json::value& e : events) {
    if (std::optional<std::string> body = Str(e, "/data/body")) bodies.insert(*body);
  }
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string body = "thread " + std::to_string(t) + " line " + std::to_string(i);
      EXPECT_EQ(bodies.count(body), 1u) << "lost: " << body;
    }
  }
  json::value c = GetCase(agent1().token, id);
  EXPECT_EQ(Int(c, "/last_seq"), static_cast<int64_t>(events.size()));
  EXPECT_EQ(Str(c, "/head_hash"),
            events.empty() ? std::optional<std::string>() : Str(events.back(), "/hash"));
  ProcessResult verify = server().Cli({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.Describe();
}

// Each tampering test is its own suite with its own server, because it damages the
// database on purpose and verify reports only the first broken case.
class TamperTest : public ServerTest {
 protected:
  ProcessResult Sql(const std::string& sql) {
    return RunProcess({"sqlite3", "-bail", server().db_path(), sql});
  }
};

class EditedEventTest : public TamperTest {};

TEST_F(EditedEventTest, VerifyNamesTheCaseAndSeq) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::value opened = OpenCase(customer.token, 0, "Refund promised, never paid");
  ASSERT_TRUE(opened.is_object());
  int64_t id = *Int(opened, "/id");
  ASSERT_EQ(CaseAction(agent1().token, id, "messages",
                       json::object{{"body", "Refund of 4999 will be paid by Friday."}})
                .status,
            201);
  ASSERT_EQ(
      CaseAction(customer.token, id, "messages", json::object{{"body", "Still waiting."}}).status,
      201);
  ASSERT_TRUE(server().Stop());
  ProcessResult clean = server().Cli({"verify"});
  ASSERT_EQ(clean.exit_code, 0) << clean.Describe();

  std::string where = " WHERE case_id = " + std::to_string(id) + " AND seq = 2";
  std::string edit = "UPDATE events SET data = replace(data, '4999', '499')" + where + ";";
  // The log refuses edits even from a SQL shell...
  ProcessResult refused = Sql(edit);
  EXPECT_NE(refused.exit_code, 0) << refused.Describe();
  EXPECT_NE(refused.err.find("append-only"), std::string::npos) << refused.Describe();
  ProcessResult still_clean = server().Cli({"verify"});
  EXPECT_EQ(still_clean.exit_code, 0) << still_clean.Describe();

  // ...so someone determined drops the trigger first. Verification must catch it.
  ProcessResult tampered = Sql("DROP TRIGGER events_no_update; " + edit + " SELECT changes();");
  ASSERT_TRUE(tampered.Ok()) << tampered.Describe();
  ASSERT_EQ(tampered.out, "1\n") << "the edit did not hit exactly one event";

  ProcessResult verify = server().Cli({"verify"});
  EXPECT_EQ(verify.exit_code, 1) << verify.Describe();
  std::string report = verify.out + verify.err;
  EXPECT_NE(report.find("case " + std::to_string(id)), std::string::npos) << report;
  EXPECT_NE(report.find("seq 2"), std::string::npos) << report;
}

class DeletedEventTest : public TamperTest {};

TEST_F(DeletedEventTest, VerifyNoticesTheMissingLastEvent) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::value opened = OpenCase(customer.token, 0, "Email thread broken");
  ASSERT_TRUE(opened.is_object());
  int64_t id = *Int(opened, "/id");
  ASSERT_EQ(CaseAction(agent1().token, id, "messages", json::object{{"body", "Reply"}}).status,
            201);
  ASSERT_TRUE(server().Stop());
  ProcessResult deleted = Sql("DROP TRIGGER events_no_delete; DELETE FROM events WHERE case_id = " +
                              std::to_string(id) + " AND seq = 2; SELECT changes();");
  ASSERT_TRUE(deleted.Ok()) << deleted.Describe();
  ASSERT_EQ(deleted.out, "1\n");
  ProcessResult verify = server().Cli({"verify"});
  EXPECT_EQ(verify.exit_code, 1) << verify.Describe();
  EXPECT_NE((verify.out + verify.err).find("case " + std::to_string(id)), std::string::npos)
      << verify.Describe();
}

}  // namespace
}  // namespace redress::testing
