// SLA deadlines on three `redress serve --test-clock` nodes sharing one PostgreSQL
// database (issue 3): each deadline fires exactly once however many nodes run, while
// writers keep appending notes to the same cases through every node, and a node that is
// SIGKILLed in the middle of its deadline write leaves every deadline it had taken due, so
// the other nodes fire them at once (a timer is claimed and fired in one write: there is no
// lease to wait for).
//
// To kill node 2 mid-write deterministically, the test locks the routing cursors table (as
// another database client) so that no escalation can be routed: node 2 alone moves its
// clock past the deadlines, claims every due timer (their case rows stay locked until its
// write ends), records the first breach and blocks routing its escalation; then it is
// killed. The other nodes then move their clocks to the same instant and fire all of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/time_format.h"
#include "pg_integration/node_process.h"
#include "pg_integration/short_sla_policy.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/test_database.h"
#include "support/http_client.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

constexpr int kNodes = 3;
constexpr int kCases = 60;
constexpr int kWriters = 6;
constexpr int kMaxNotesPerWriter = 400;
constexpr char kStart[] = "2026-03-02T09:00:00Z";
constexpr char kDeadlinesDue[] = "2026-03-02T10:00:01Z";  // L1's 1 h first response missed

class DeadlinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    ProcessResult migrated = RunCli({"migrate", "--db", db_.url()});
    ASSERT_TRUE(migrated.Ok()) << migrated.Describe();
    agent_ = StaffAccount{0, "agent@shop.example", "Agent", "agent", 1, "", ""};
    senior_ = StaffAccount{0, "senior@shop.example", "Senior", "agent", 2, "", ""};
    admin_ = StaffAccount{0, "admin@shop.example", "Admin", "admin", 3, "", ""};
    for (StaffAccount* account : {&agent_, &senior_, &admin_}) {
      ASSERT_TRUE(TestServer::AddStaff(db_.url(), *account));
    }
    const std::string policy = (dir_.path() / "policy.toml").string();
    std::ofstream(policy) << ShortSlaPolicy(agent_.id, senior_.id);
    for (int i = 0; i < kNodes; ++i) {
      nodes_.push_back(std::make_unique<NodeProcess>(
          db_.url(), dir_.path(), "node" + std::to_string(i),
          std::vector<std::string>{"--test-clock", "--test-clock-start", kStart,
                                   "--escalation-policy", policy}));
      ASSERT_TRUE(nodes_.back()->Start());
    }
    HttpResponse customer = Client(0).Post(
        "/api/v1/customers", json::object{{"name", "Asha"}, {"emails", {"asha@example.com"}}},
        Bearer(agent_.token));
    ASSERT_EQ(customer.status, 201) << customer.Describe();
    const int64_t customer_id = customer.Json()->at("id").to_number<int64_t>();
    ProcessResult token = RunCli(
        {"token", "create", "--db", db_.url(), "--customer", std::to_string(customer_id)});
    ASSERT_TRUE(token.Ok()) << token.Describe();
    customer_token_ = token.out.substr(0, token.out.find('\n'));
    for (int c = 0; c < kCases; ++c) {
      // The customer opens them through every node: each has a 1 h first response due.
      HttpResponse opened = Client(c % kNodes).Post(
          "/api/v1/cases",
          json::object{{"subject", "Refund " + std::to_string(c)}, {"body", "Where is it?"}},
          Bearer(customer_token_));
      ASSERT_EQ(opened.status, 201) << opened.Describe();
      cases_.push_back(opened.Json()->at("id").to_number<int64_t>());
    }
  }

  HttpClient Client(int node) {
    HttpClient client("127.0.0.1", nodes_[static_cast<size_t>(node)]->port());
    client.set_timeout(std::chrono::seconds(60));
    return client;
  }

  // Sets node `node`'s test clock; returns the HTTP status (0 if the node went away).
  int SetClock(int node, const char* now) {
    HttpResponse moved = Client(node).Post("/api/v1/test-clock", json::object{{"now", now}},
                                           Bearer(admin_.token));
    EXPECT_TRUE(moved.status == 200 || moved.status == 0) << moved.Describe();
    return moved.status;
  }

  void SetClocks(std::vector<int> nodes, const char* now) {
    std::vector<std::thread> movers;
    for (int node : nodes) {
      movers.emplace_back([this, node, now] { EXPECT_EQ(SetClock(node, now), 200); });
    }
    for (std::thread& mover : movers) mover.join();
  }

  // Notes through every node until `stop_`, each retried with its Idempotency-Key on the
  // next node when its node is gone (as behind a load balancer).
  void Write(int writer) {
    int node = writer % kNodes;
    for (int i = 0; i < kMaxNotesPerWriter && !stop_.load(); ++i) {
      const int64_t case_id = cases_[static_cast<size_t>((writer * 11 + i * 7) % kCases)];
      const std::string body = "writer " + std::to_string(writer) + " note " + std::to_string(i);
      for (int attempt = 0;; ++attempt) {
        if (attempt == kNodes * 2) {
          std::lock_guard lock(mu_);
          failures_.push_back(body + ": no node answered");
          break;
        }
        HttpClient client("127.0.0.1", nodes_[static_cast<size_t>(node)]->port());
        client.set_timeout(std::chrono::seconds(30));
        HttpResponse posted =
            client.Post("/api/v1/cases/" + std::to_string(case_id) + "/notes",
                        json::object{{"body", body}},
                        Bearer(agent_.token, {{"Idempotency-Key", body}}));
        if (posted.status == 0) {
          node = (node + 1) % kNodes;
          continue;
        }
        std::lock_guard lock(mu_);
        if (posted.status == 201) {
          acknowledged_[case_id].push_back(body);
          ++acked_;
        } else {
          failures_.push_back(body + ": " + posted.Describe());
        }
        break;
      }
    }
  }

  int64_t Count(const std::string& sql) {
    auto conn = store::postgres::Connection::Open(db_.url());
    EXPECT_TRUE(conn) << conn.error().message;
    if (!conn) return -1;
    auto rows = (*conn)->Query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->Int64(0, 0) : -1;
  }

  // Deadlines on record: committed sla_breached events.
  int64_t Breaches() { return Count("SELECT count(*) FROM events WHERE type = 'sla_breached'"); }

  static int64_t DueMicros() {  // kDeadlinesDue, as stored
    auto due = ParseTimestamp(kDeadlinesDue);
    EXPECT_TRUE(due) << due.error().message;
    return due ? MicrosFromTimestamp(*due) : 0;
  }

  // Cases whose timer is due at kDeadlinesDue (10:00:01Z, in microseconds).
  int64_t DueTimers() {
    return Count("SELECT count(*) FROM cases WHERE timer_at <= " + std::to_string(DueMicros()));
  }

  // Whether a backend waits for a lock on the routing cursors table: node 2's write, stuck.
  bool RoutingBlocked() {
    return Count(
               "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'relation'"
               " AND relation = 'routing_cursors'::regclass") > 0;
  }

  store::postgres::testing::TestDatabase db_;
  TempDir dir_;
  StaffAccount agent_, senior_, admin_;
  std::string customer_token_;
  std::vector<std::unique_ptr<NodeProcess>> nodes_;
  std::vector<int64_t> cases_;

  std::atomic<bool> stop_{false};
  std::mutex mu_;
  int acked_ = 0;
  std::map<int64_t, std::vector<std::string>> acknowledged_;
  std::vector<std::string> failures_;
};

TEST_F(DeadlinesTest, EachDeadlineFiresOnceAcrossNodesAndAKilledNodesDeadlinesFireAtOnce) {
  ASSERT_EQ(DueTimers(), kCases);
  ASSERT_EQ(Count("SELECT count(*) FROM cases WHERE timer_at < " +
                  std::to_string(DueMicros() - 1'000'000)),
            0)
      << "every timer should fall due in the last second before kDeadlinesDue";

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) writers.emplace_back([this, w] { Write(w); });
  for (int i = 0; i < 500; ++i) {  // let the writers get going
    {
      std::lock_guard lock(mu_);
      if (acked_ >= 30) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // No escalation can be routed while another database client holds this lock.
  auto locker = store::postgres::Connection::Open(db_.url());
  ASSERT_TRUE(locker) << locker.error().message;
  ASSERT_TRUE((*locker)->Exec("BEGIN"));
  ASSERT_TRUE((*locker)->Exec("LOCK TABLE routing_cursors IN SHARE ROW EXCLUSIVE MODE"));

  // Node 2 alone reaches the deadlines: it claims the due timers, records the first breach
  // and blocks routing its escalation, inside its write. Once it waits, kill it.
  std::thread doomed([this] { SetClock(2, kDeadlinesDue); });
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!RoutingBlocked() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(RoutingBlocked()) << "node 2 should be stuck routing an escalation\n"
                                << nodes_[2]->LogTail();
  EXPECT_EQ(Breaches(), 0) << "nothing of node 2's write is committed";
  ASSERT_TRUE(nodes_[2]->Kill9());
  doomed.join();
  ASSERT_TRUE((*locker)->Exec("ROLLBACK"));
  EXPECT_EQ(DueTimers(), kCases) << "a killed write leaves every timer it took due";

  // The others reach the same instant and fire every deadline, without waiting for
  // anything of node 2's to expire.
  SetClocks({0, 1}, kDeadlinesDue);
  EXPECT_EQ(Breaches(), kCases);
  EXPECT_EQ(DueTimers(), 0);

  stop_ = true;
  for (std::thread& writer : writers) writer.join();
  EXPECT_TRUE(nodes_[0]->Stop());
  EXPECT_TRUE(nodes_[1]->Stop());
  EXPECT_TRUE(failures_.empty()) << failures_.size() << " failed, first: " << failures_[0];

  ProcessResult verified = RunCli({"verify", "--db", db_.url()});
  EXPECT_TRUE(verified.Ok()) << verified.Describe();
  EXPECT_NE(verified.out.find("every chain is intact"), std::string::npos) << verified.out;

  // The first-response deadline of every case is on record, each exactly once.
  EXPECT_EQ(Breaches(), kCases);
  auto store = store::postgres::PostgresStore::Open(db_.url());
  ASSERT_TRUE(store) << store.error().message;
  int notes_total = 0;
  for (int64_t case_id : cases_) {
    auto events = (*store)->LoadEvents(case_id);
    ASSERT_TRUE(events) << events.error().message;
    std::map<std::string, int> notes;
    int breached = 0;
    int escalated = 0;
    for (const domain::Event& event : *events) {
      if (event.type == domain::EventType::kInternalNote) {
        ++notes[std::string(event.data.at("body").as_string())];
      } else if (event.type == domain::EventType::kSlaBreached) {
        ++breached;
      } else if (event.type == domain::EventType::kEscalated) {
        ++escalated;
      }
    }
    EXPECT_EQ(breached, 1) << "case " << case_id;
    EXPECT_EQ(escalated, 1) << "case " << case_id;
    std::map<std::string, int> expected;
    for (const std::string& body : acknowledged_[case_id]) ++expected[body];
    EXPECT_EQ(notes, expected) << "case " << case_id;  // none lost, none twice
    notes_total += static_cast<int>(notes.size());
    auto state = (*store)->GetCase(case_id);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->level, 2) << "case " << case_id;
  }
  EXPECT_EQ(notes_total, acked_);
  EXPECT_GT(acked_, 60);
}

}  // namespace
}  // namespace redress::testing
