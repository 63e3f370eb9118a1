// Several `redress serve` processes on one PostgreSQL database, as behind a load balancer.
// Writers hammer the same few cases through different nodes at once; afterwards every
// hash chain verifies (`redress verify`), and every acknowledged note is in its case's log
// exactly once. In the second test one node is SIGKILLed mid-run and its clients retry
// on another node with the same Idempotency-Key, as a client behind a load balancer would:
// nothing acknowledged is lost and nothing is applied twice.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "pg_integration/node_process.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/test_database.h"
#include "support/event_stream.h"
#include "support/http_client.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

constexpr int kNodes = 3;
constexpr int kCases = 3;
constexpr int kWriters = 6;
constexpr int kNotesPerWriter = 20;

class MultiNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    ProcessResult migrated = RunCli({"migrate", "--db", db_.url()});
    ASSERT_TRUE(migrated.Ok()) << migrated.Describe();
    agent_.email = "agent@shop.example";
    agent_.name = "Agent";
    agent_.role = "agent";
    ASSERT_TRUE(TestServer::AddStaff(db_.url(), agent_));
    for (int i = 0; i < kNodes; ++i) {
      nodes_.push_back(
          std::make_unique<NodeProcess>(db_.url(), dir_.path(), "node" + std::to_string(i)));
      ASSERT_TRUE(nodes_.back()->Start());
    }
    HttpClient client("127.0.0.1", nodes_[0]->port());
    HttpResponse customer = client.Post(
        "/api/v1/customers", json::object{{"name", "Asha"}, {"emails", {"asha@example.com"}}},
        Bearer(agent_.token));
    ASSERT_EQ(customer.status, 201) << customer.Describe();
    const int64_t customer_id = customer.Json()->at("id").to_number<int64_t>();
    for (int c = 0; c < kCases; ++c) {
      // Opened through different nodes: case ids come from one sequence.
      HttpClient opener("127.0.0.1", nodes_[static_cast<size_t>(c % kNodes)]->port());
      HttpResponse opened = opener.Post("/api/v1/cases",
                                        json::object{{"customer_id", customer_id},
                                                     {"subject", "Case " + std::to_string(c)},
                                                     {"body", "first message"}},
                                        Bearer(agent_.token));
      ASSERT_EQ(opened.status, 201) << opened.Describe();
      cases_.push_back(opened.Json()->at("id").to_number<int64_t>());
    }
  }

  // Each writer posts notes through its own node, retrying a request whose node vanished
  // on the next node with the same Idempotency-Key. `kill_after` > 0: SIGKILL node 2 once
  // that many notes are acknowledged.
  void Hammer(int kill_after) {
    std::atomic<int> acked{0};
    std::atomic<bool> killed{false};
    std::mutex mu;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        size_t node = static_cast<size_t>(w % kNodes);
        for (int i = 0; i < kNotesPerWriter; ++i) {
          const int64_t case_id = cases_[static_cast<size_t>((w + i) % kCases)];
          const std::string body = "writer " + std::to_string(w) + " note " + std::to_string(i);
          for (int attempt = 0;; ++attempt) {
            if (attempt == kNodes * 2) {
              std::lock_guard lock(mu);
              failures_.push_back(body + ": no node answered");
              break;
            }
            HttpClient client("127.0.0.1", nodes_[node]->port());
            client.set_timeout(std::chrono::seconds(20));
            HttpResponse posted = client.Post("/api/v1/cases/" + std::to_string(case_id) + "/notes",
                                              json::object{{"body", body}},
                                              Bearer(agent_.token, {{"Idempotency-Key", body}}));
            if (posted.status == 0) {  // the node is gone: go to the next one
              node = (node + 1) % kNodes;
              continue;
            }
            std::lock_guard lock(mu);
            if (posted.status == 201) {
              acknowledged_[case_id].push_back(body);
              if (posted.Header("Idempotency-Replayed")) ++replays_;
            } else {
              failures_.push_back(body + ": " + posted.Describe());
            }
            break;
          }
          if (acked.fetch_add(1) + 1 == kill_after && !killed.exchange(true)) {
            EXPECT_TRUE(nodes_[2]->Kill9());
          }
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
  }

  // Every chain verifies, and each case's notes are exactly the acknowledged ones.
  void CheckLogs() {
    ProcessResult verified = RunCli({"verify", "--db", db_.url()});
    EXPECT_TRUE(verified.Ok()) << verified.Describe();
    EXPECT_NE(verified.out.find("every chain is intact"), std::string::npos) << verified.out;

    auto store = store::postgres::PostgresStore::Open(db_.url());
    ASSERT_TRUE(store) << store.error().message;
    int total = 0;
    for (int64_t case_id : cases_) {
      auto events = (*store)->LoadEvents(case_id);
      ASSERT_TRUE(events) << events.error().message;
      std::map<std::string, int> notes;
      for (size_t i = 0; i < events->size(); ++i) {
        const domain::Event& event = (*events)[i];
        EXPECT_EQ(event.seq, static_cast<int64_t>(i + 1));
        if (i > 0) {
          EXPECT_EQ(event.prev_hash, (*events)[i - 1].hash);
        }
        if (event.type == domain::EventType::kInternalNote) {
          ++notes[std::string(event.data.at("body").as_string())];
        }
      }
      std::map<std::string, int> expected;
      for (const std::string& body : acknowledged_[case_id]) ++expected[body];
      EXPECT_EQ(notes, expected) << "case " << case_id;
      for (const auto& [body, times] : notes) EXPECT_EQ(times, 1) << body;
      total += static_cast<int>(notes.size());
    }
    EXPECT_EQ(total, kWriters * kNotesPerWriter);
  }

  store::postgres::testing::TestDatabase db_;
  TempDir dir_;
  StaffAccount agent_;
  std::vector<std::unique_ptr<NodeProcess>> nodes_;
  std::vector<int64_t> cases_;
  std::map<int64_t, std::vector<std::string>> acknowledged_;
  std::vector<std::string> failures_;
  int replays_ = 0;
};

TEST_F(MultiNodeTest, ConcurrentWritersOnThreeNodesKeepEveryChainWhole) {
  Hammer(/*kill_after=*/0);
  EXPECT_TRUE(failures_.empty()) << failures_.size() << " failed, first: " << failures_[0];
  EXPECT_EQ(replays_, 0);
  for (auto& node : nodes_) EXPECT_TRUE(node->Stop());
  CheckLogs();
}

TEST_F(MultiNodeTest, KilledNodeLosesNothingAcknowledgedAndRetriesApplyOnce) {
  Hammer(/*kill_after=*/kWriters * kNotesPerWriter / 3);
  EXPECT_TRUE(failures_.empty()) << failures_.size() << " failed, first: " << failures_[0];
  EXPECT_TRUE(nodes_[0]->Stop());
  EXPECT_TRUE(nodes_[1]->Stop());
  CheckLogs();
}

}  // namespace
}  // namespace redress::testing

namespace redress::testing {
namespace {

// Issue 3, item 4: an agent connected to node A sees a change made through node B (the
// change feed is PostgreSQL's LISTEN/NOTIFY), and a node stops cleanly with a stream open.
TEST_F(MultiNodeTest, ChangeMadeOnOneNodeReachesAStreamOnAnother) {
  EventStream stream(nodes_[0]->port(), agent_.token);
  ASSERT_TRUE(stream.ReadUntil("retry: 2000")) << nodes_[0]->LogTail();
  HttpClient other("127.0.0.1", nodes_[1]->port());
  HttpResponse posted = other.Post("/api/v1/cases/" + std::to_string(cases_[1]) + "/notes",
                                   json::object{{"body", "written on node 1"}},
                                   Bearer(agent_.token));
  ASSERT_EQ(posted.status, 201) << posted.Describe();
  EXPECT_TRUE(stream.ReadUntil(EventStream::CaseEvent(cases_[1])))
      << "node 0's stream never heard of the note written on node 1";
  for (auto& node : nodes_) EXPECT_TRUE(node->Stop());  // SIGTERM ends the open stream
}

}  // namespace
}  // namespace redress::testing
