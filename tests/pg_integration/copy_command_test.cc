// `redress copy` end to end with the real binary, both ways: an installation that has run
// (escalation policy put by an admin, cases breached and escalated by the deadline job on
// a test clock, pending deadlines, mail filed by the mailgate with an attachment) moves
// from SQLite to PostgreSQL, where a server started on the copy fires the next deadlines
// exactly once and never the ones that fired before; then back to a new SQLite file. A
// source with a broken chain is refused before anything is written.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "pg_integration/node_process.h"
#include "pg_integration/short_sla_policy.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/test_database.h"
#include "support/http_client.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

constexpr char kStart[] = "2026-03-02T09:00:00Z";
constexpr char kL1Missed[] = "2026-03-02T10:00:01Z";  // 1 h first response at L1
constexpr char kL2Missed[] = "2026-03-02T12:00:02Z";  // 2 h first response at L2
constexpr int kCases = 3;

const char kMail[] =
    "From: Ravi <ravi@example.com>\r\n"
    "To: support@shop.example\r\n"
    "Subject: Broken blender\r\n"
    "Message-ID: <blender-1@example.com>\r\n"
    "Date: Mon, 02 Mar 2026 09:30:00 +0000\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "It arrived broken. Photo attached.\r\n"
    "--b1\r\n"
    "Content-Type: image/png; name=\"blender.png\"\r\n"
    "Content-Disposition: attachment; filename=\"blender.png\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\r\n"
    "--b1--\r\n";

class CopyCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pg_.ok());
    ASSERT_TRUE(RunCli({"migrate", "--db", sqlite_}).Ok());
    agent_ = StaffAccount{0, "agent@shop.example", "Agent", "agent", 1, "", ""};
    senior_ = StaffAccount{0, "senior@shop.example", "Senior", "agent", 2, "", ""};
    admin_ = StaffAccount{0, "admin@shop.example", "Admin", "admin", 3, "", ""};
    for (StaffAccount* account : {&agent_, &senior_, &admin_}) {
      ASSERT_TRUE(TestServer::AddStaff(sqlite_, *account));
    }
  }

  HttpClient Client(const NodeProcess& node) { return HttpClient("127.0.0.1", node.port()); }

  void SetClock(const NodeProcess& node, const char* now) {
    HttpResponse moved = Client(node).Post("/api/v1/test-clock", json::object{{"now", now}},
                                           Bearer(admin_.token));
    ASSERT_EQ(moved.status, 200) << moved.Describe();
  }

  int CountEvents(const NodeProcess& node, int64_t case_id, const std::string& type) {
    HttpResponse events = Client(node).Get(
        "/api/v1/cases/" + std::to_string(case_id) + "/events?limit=500", Bearer(agent_.token));
    EXPECT_EQ(events.status, 200) << events.Describe();
    if (events.status != 200) return -1;
    const auto body = events.Json();
    int count = 0;
    for (const json::value& e : body->at("items").as_array()) {
      if (e.at("type").as_string() == type) ++count;
    }
    return count;
  }

  // Runs the installation on SQLite for a while: policy, cases, one breach each, mail.
  void UseTheSqliteInstallation() {
    NodeProcess node(sqlite_, dir_.path(), "sqlite-node",
                     {"--test-clock", "--test-clock-start", kStart});
    ASSERT_TRUE(node.Start());
    HttpResponse put = Client(node).Send(
        "PUT", "/api/v1/admin/escalation-policy",
        json::serialize(json::object{{"source", ShortSlaPolicy(agent_.id, senior_.id)}}),
        Bearer(admin_.token, {{"Content-Type", "application/json"}}));
    ASSERT_EQ(put.status, 200) << put.Describe();
    HttpResponse customer = Client(node).Post(
        "/api/v1/customers", json::object{{"name", "Asha"}, {"emails", {"asha@example.com"}}},
        Bearer(agent_.token));
    ASSERT_EQ(customer.status, 201) << customer.Describe();
    ProcessResult token = RunCli({"token", "create", "--db", sqlite_, "--customer",
                                  std::to_string(customer.Json()->at("id").as_int64())});
    ASSERT_TRUE(token.Ok()) << token.Describe();
    const std::string customer_token = token.out.substr(0, token.out.find('\n'));
    for (int c = 0; c < kCases; ++c) {
      HttpResponse opened = Client(node).Post(
          "/api/v1/cases", json::object{{"subject", "Refund " + std::to_string(c)}, {"body", "?"}},
          Bearer(customer_token));
      ASSERT_EQ(opened.status, 201) << opened.Describe();
      cases_.push_back(opened.Json()->at("id").as_int64());
    }
    SetClock(node, kL1Missed);
    for (int64_t id : cases_) ASSERT_EQ(CountEvents(node, id, "sla_breached"), 1);
    ASSERT_TRUE(node.Stop());

    const std::string key = (dir_.path() / "thread.key").string();
    std::ofstream(key) << std::string(64, 'a') << "\n";
    const std::string config = (dir_.path() / "redress.toml").string();
    std::ofstream(config) << "[mail]\naddresses = [\"support@shop.example\"]\n"
                          << "thread_key_file = \"" << key << "\"\n";
    ProcessResult filed = RunCli({"--config", config, "mailgate", "--db", sqlite_}, kMail);
    ASSERT_TRUE(filed.Ok()) << filed.Describe();
  }

  int64_t PgRows(const std::string& url, const std::string& table) {
    auto conn = store::postgres::Connection::Open(url);
    EXPECT_TRUE(conn) << conn.error().message;
    if (!conn) return -1;
    auto rows = (*conn)->Query("SELECT count(*) FROM " + table);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->Int64(0, 0) : -1;
  }

  TempDir dir_;
  std::string sqlite_ = (dir_.path() / "source.db").string();
  store::postgres::testing::TestDatabase pg_;
  StaffAccount agent_, senior_, admin_;
  std::vector<int64_t> cases_;
};

TEST_F(CopyCommandTest, MovesAnInstallationThereAndBackAndItsDeadlinesFireOnce) {
  UseTheSqliteInstallation();
  if (HasFatalFailure()) return;

  ProcessResult there = RunCli({"copy", "--from", "sqlite:" + sqlite_, "--to", pg_.url()});
  ASSERT_TRUE(there.Ok()) << there.Describe();
  EXPECT_NE(there.out.find("every chain is intact and every table equals its source"),
            std::string::npos)
      << there.out;
  for (const char* table : {"settings", "routing_cursors", "mail_blobs", "mail_messages",
                            "mail_attachments", "mail_thread_ids", "mail_participants"}) {
    EXPECT_GT(PgRows(pg_.url(), table), 0) << table;
  }
  EXPECT_EQ(PgRows(pg_.url(), "cases WHERE next_due_at IS NOT NULL AND id <= " +
                                 std::to_string(cases_.back())),
            kCases);

  {
    // No --escalation-policy: the policy the admin put came along with the data. The
    // pending L2 deadlines fire once; the L1 ones that fired before the copy do not again.
    NodeProcess node(pg_.url(), dir_.path(), "pg-node",
                     {"--test-clock", "--test-clock-start", kL1Missed});
    ASSERT_TRUE(node.Start());
    for (int64_t id : cases_) EXPECT_EQ(CountEvents(node, id, "sla_breached"), 1);
    SetClock(node, kL2Missed);
    for (int64_t id : cases_) {
      EXPECT_EQ(CountEvents(node, id, "sla_breached"), 2) << "case " << id;
      EXPECT_EQ(CountEvents(node, id, "escalated"), 2) << "case " << id;
    }
    HttpResponse found = Client(node).Get("/api/v1/cases/search?q=blender", Bearer(agent_.token));
    EXPECT_EQ(found.status, 200) << found.Describe();
    EXPECT_NE(found.body.find("Broken blender"), std::string::npos) << found.body;
    ASSERT_TRUE(node.Stop());
  }

  const std::string back = (dir_.path() / "back.db").string();
  ProcessResult home = RunCli({"copy", "--from", pg_.url(), "--to", "sqlite:" + back});
  ASSERT_TRUE(home.Ok()) << home.Describe();
  ProcessResult verified = RunCli({"verify", "--db", back});
  EXPECT_TRUE(verified.Ok()) << verified.Describe();
  ProcessResult count = RunProcess(
      {"sqlite3", back, "SELECT count(*) FROM events WHERE type = 'sla_breached';"
                        " SELECT count(*) FROM mail_attachments;"});
  EXPECT_EQ(count.out, std::to_string(2 * kCases) + "\n1\n");

  ProcessResult again = RunCli({"copy", "--from", pg_.url(), "--to", "sqlite:" + back});
  EXPECT_EQ(again.exit_code, 1) << again.Describe();
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.Describe();
}

TEST_F(CopyCommandTest, ABrokenSourceIsRefusedAndTheTargetUntouched) {
  UseTheSqliteInstallation();
  if (HasFatalFailure()) return;
  ProcessResult tampered = RunProcess(
      {"sqlite3", "-bail", sqlite_,
       "DROP TRIGGER events_no_update; UPDATE events SET data = replace(data, '?', '!')"
       " WHERE case_id = " +
           std::to_string(cases_[1]) + " AND seq = 1;"});
  ASSERT_TRUE(tampered.Ok()) << tampered.Describe();

  ProcessResult copied = RunCli({"copy", "--from", "sqlite:" + sqlite_, "--to", pg_.url()});
  EXPECT_EQ(copied.exit_code, 1) << copied.Describe();
  EXPECT_NE(copied.out.find("BROKEN in the source: case " + std::to_string(cases_[1])),
            std::string::npos)
      << copied.Describe();
  EXPECT_NE(copied.out.find("nothing was copied"), std::string::npos) << copied.Describe();
  EXPECT_EQ(PgRows(pg_.url(), "information_schema.tables WHERE table_schema = current_schema()"),
            0)
      << "the target was not even migrated";
}

TEST_F(CopyCommandTest, UrlsAreChecked) {
  ProcessResult bare = RunCli({"copy", "--from", sqlite_, "--to", pg_.url()});
  EXPECT_EQ(bare.exit_code, 2) << bare.Describe();
  EXPECT_NE(bare.err.find("--from must be sqlite:PATH"), std::string::npos) << bare.Describe();
  ProcessResult to = RunCli({"copy", "--from", "sqlite:" + sqlite_, "--to", "mysql://x"});
  EXPECT_EQ(to.exit_code, 2) << to.Describe();
}

}  // namespace
}  // namespace redress::testing
