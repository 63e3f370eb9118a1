// `serve --test-clock`: admins move time through the API, nobody else can, and without the
// flag the routes do not exist.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class TestClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_extra_serve_args({"--test-clock", "--test-clock-start", "2026-03-02T09:00:00Z"});
    ASSERT_TRUE(server_.Start());
  }
  HttpResponse Move(const std::string& token, const json::object& body) {
    return server_.Client().Post("/api/v1/test-clock", body, Bearer(token));
  }
  TestServer server_;
};

TEST_F(TestClockTest, AdminReadsSetsAndAdvancesTheClock) {
  HttpClient client = server_.Client();
  auto now = client.Get("/api/v1/test-clock", Bearer(server_.admin().token));
  ASSERT_EQ(now.status, 200) << now.Describe();
  EXPECT_EQ(now.Json()->at("now").as_string(), "2026-03-02T09:00:00.000000Z");

  auto advanced = Move(server_.admin().token, {{"advance_seconds", 3 * 86400 + 60}});
  ASSERT_EQ(advanced.status, 200) << advanced.Describe();
  EXPECT_EQ(advanced.Json()->at("now").as_string(), "2026-03-05T09:01:00.000000Z");

  auto set = Move(server_.admin().token, {{"now", "2026-04-01T00:00:00Z"}});
  ASSERT_EQ(set.status, 200) << set.Describe();
  EXPECT_EQ(set.Json()->at("now").as_string(), "2026-04-01T00:00:00.000000Z");
}

TEST_F(TestClockTest, EventsAreStampedWithTheTestClock) {
  auto customer = server_.Client().Post("/api/v1/customers",
                                        {{"name", "Clock Customer"}, {"emails", {"tc@example.com"}}},
                                        Bearer(server_.agent1().token));
  ASSERT_EQ(customer.status, 201) << customer.Describe();
  ASSERT_EQ(Move(server_.admin().token, {{"now", "2026-05-05T05:05:05Z"}}).status, 200);
  auto opened = server_.Client().Post(
      "/api/v1/cases",
      {{"customer_id", customer.Json()->at("id")}, {"subject", "s"}, {"body", "b"}},
      Bearer(server_.agent1().token));
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  EXPECT_EQ(opened.Json()->at("opened_at").as_string(), "2026-05-05T05:05:05.000000Z");
}

TEST_F(TestClockTest, OnlyAdminsMoveItAndOnlyForward) {
  auto agent = Move(server_.agent1().token, {{"advance_seconds", 60}});
  EXPECT_EQ(agent.status, 403) << agent.Describe();
  auto anonymous = server_.Client().Post("/api/v1/test-clock", json::object{{"advance_seconds", 1}});
  EXPECT_EQ(anonymous.status, 401) << anonymous.Describe();

  auto back = Move(server_.admin().token, {{"now", "2026-03-01T00:00:00Z"}});
  EXPECT_EQ(back.status, 422) << back.Describe();
  EXPECT_NE(back.Describe().find("only moves forward"), std::string::npos) << back.Describe();
  auto negative = Move(server_.admin().token, {{"advance_seconds", -5}});
  EXPECT_EQ(negative.status, 422) << negative.Describe();
  auto both = Move(server_.admin().token, {{"advance_seconds", 5}, {"now", "2027-01-01T00:00:00Z"}});
  EXPECT_EQ(both.status, 422) << both.Describe();
  auto bad_time = Move(server_.admin().token, {{"now", "tomorrow"}});
  EXPECT_EQ(bad_time.status, 422) << bad_time.Describe();
  auto unknown = Move(server_.admin().token, {{"advance_minutes", 5}});
  EXPECT_EQ(unknown.status, 422) << unknown.Describe();

  auto now = server_.Client().Get("/api/v1/test-clock", Bearer(server_.admin().token));
  EXPECT_EQ(now.Json()->at("now").as_string(), "2026-03-02T09:00:00.000000Z");
}

// The ordinary suite server runs without --test-clock.
class NoTestClockTest : public ServerTest {};

TEST_F(NoTestClockTest, RoutesDoNotExistWithoutTheFlag) {
  auto get = Client().Get("/api/v1/test-clock", Bearer(admin().token));
  EXPECT_EQ(get.status, 404) << get.Describe();
  auto post = Client().Post("/api/v1/test-clock", json::object{{"advance_seconds", 60}},
                            Bearer(admin().token));
  EXPECT_EQ(post.status, 404) << post.Describe();
}

TEST(TestClockCliTest, StartTimeNeedsTheFlagAndAValidTime) {
  TempDir dir;
  const std::string db = (dir.path() / "r.db").string();
  ASSERT_TRUE(RunCli({"migrate", "--db", db}).Ok());
  auto without_flag = RunCli({"serve", "--db", db, "--test-clock-start", "2026-01-01T00:00:00Z"});
  EXPECT_NE(without_flag.exit_code, 0) << without_flag.Describe();
  EXPECT_NE(without_flag.err.find("--test-clock"), std::string::npos) << without_flag.Describe();
  auto bad = RunCli({"serve", "--db", db, "--listen", "127.0.0.1:0", "--test-clock",
                     "--test-clock-start", "yesterday"});
  EXPECT_EQ(bad.exit_code, 2) << bad.Describe();
  EXPECT_NE(bad.err.find("RFC 3339"), std::string::npos) << bad.Describe();
}

}  // namespace
}  // namespace redress::testing
