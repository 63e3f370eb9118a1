// threads.tsv through the product on PostgreSQL: `redress serve` on a fresh database and
// `redress mailgate --db postgres://...` for every message of a conversation (or a set of
// copies of one message) in the corpus. Each group ends up in exactly one case, two groups
// never share one, and an agent reading the cases over the API finds one email event per
// message filed. The SQLite twin is integration/mail_scenarios_test.cc.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>

#include "pg_integration/node_process.h"
#include "store/postgres/test_database.h"
#include "support/http_client.h"
#include "support/mail_gate.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

TEST(PgMailThreads, EveryThreadOfTheCorpusLandsInOneCase) {
  store::postgres::testing::TestDatabase db;
  ASSERT_TRUE(db.ok());
  TempDir dir;
  ProcessResult migrated = RunCli({"migrate", "--db", db.url()});
  ASSERT_TRUE(migrated.Ok()) << migrated.Describe();
  StaffAccount agent;
  agent.email = "agent@shop.example";
  agent.name = "Agent";
  agent.role = "agent";
  ASSERT_TRUE(TestServer::AddStaff(db.url(), agent));
  NodeProcess node(db.url(), dir.path(), "node");
  ASSERT_TRUE(node.Start());
  const std::string config = WriteMailConfig(dir.path());

  ThreadTally tally;
  for (const ThreadMessage& m : CorpusThreadMessages()) {
    Gate gate = Mailgate(config, db.url(), m.bytes);
    ASSERT_EQ(gate.exit_code, 0) << m.name << ": " << gate.log;
    // A bounce for mail we never sent belongs to no case (docs/email.md, filing step 3).
    if (gate.outcome == "unattached") continue;
    ASSERT_NE(gate.case_id, 0) << m.name << ": " << gate.log;
    tally.Add(m, gate);
  }
  tally.ExpectOneCasePerThread();
  HttpClient client("127.0.0.1", node.port());
  for (const auto& [case_id, filed] : tally.filed_in_case) {
    HttpResponse r = client.Get("/api/v1/cases/" + std::to_string(case_id) + "/events?limit=500",
                                Bearer(agent.token));
    ASSERT_EQ(r.status, 200) << r.Describe();
    int emails = 0;
    auto body = r.Json();  // kept alive for the loop (a range-for ends inner temporaries)
    ASSERT_TRUE(body.has_value()) << r.Describe();
    for (const json::value& e : body->at("items").as_array()) {
      const std::string type(e.at("type").as_string());
      emails += e.at("channel").as_string() == "email" &&
                (type == "message_received" || type == "case_opened");
    }
    EXPECT_EQ(emails, filed) << "case " << case_id;
  }
}

}  // namespace
}  // namespace redress::testing
