// The server's log (JSON lines on stderr): machine-readable, correlated by request id, and
// free of every secret a request carried (tokens, passwords, session and CSRF values).
#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class LoggingTest : public ServerTest {
 protected:
  // Stops the server so that everything it logged is on disk, returns the log, and starts
  // it again for the next test.
  std::string FlushedLog() {
    EXPECT_TRUE(server().Stop());
    std::string log = server().FullLog();
    EXPECT_TRUE(server().Serve());
    return log;
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
    return lines;
  }
};

TEST_F(LoggingTest, EveryLineIsAJsonObjectWithTimeLevelAndMessage) {
  ASSERT_EQ(Client().Get("/healthz").status, 200);
  ASSERT_EQ(Client().Get("/api/v1/nope").status, 404);
  ASSERT_EQ(Client().PostRaw("/api/v1/cases", "{oops", Bearer(agent1().token)).status, 400);
  std::vector<std::string> lines = Lines(FlushedLog());
  ASSERT_GE(lines.size(), 3u);
  for (const std::string& line : lines) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    ASSERT_TRUE(v.is_object()) << line;
    EXPECT_TRUE(IsTimestamp(Str(v, "/ts").value_or(""))) << line;
    EXPECT_TRUE(Str(v, "/level")) << line;
    EXPECT_FALSE(Str(v, "/msg").value_or("").empty()) << line;
  }
}

TEST_F(LoggingTest, RequestsAreLoggedWithTheirRequestId) {
  std::string id = "log-probe-" + std::to_string(::getpid());
  ASSERT_EQ(Client()
                .Get("/api/v1/cases/987654321", Bearer(agent1().token, {{"X-Request-Id", id}}))
                .status,
            404);
  bool found = false;
  for (const std::string& line : Lines(FlushedLog())) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || Str(v, "/request_id") != id) continue;
    found = true;
    EXPECT_EQ(Str(v, "/method"), "GET") << line;
    EXPECT_EQ(Int(v, "/status"), 404) << line;
    EXPECT_NE(Str(v, "/path").value_or("").find("/api/v1/cases/"), std::string::npos) << line;
  }
  EXPECT_TRUE(found) << "no log line carries request_id " << id;
}

TEST_F(LoggingTest, SecretsNeverReachTheLog) {
  // Log in and out, use the cookie, the CSRF token and bearer tokens, and fail some too.
  HttpResponse login =
      Client().Post("/api/v1/auth/login",
                    json::object{{"email", agent1().email}, {"password", agent1().password}});
  ASSERT_EQ(login.status, 200) << login.Describe();
  std::string set_cookie = login.Header("Set-Cookie").value_or("");
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::string session = cookie.substr(cookie.find('=') + 1);
  std::string csrf = Str(Body(login), "/csrf_token").value_or("");
  ASSERT_FALSE(session.empty());
  ASSERT_FALSE(csrf.empty());
  ASSERT_EQ(Client().Get("/api/v1/me", {{"Cookie", cookie}}).status, 200);
  ASSERT_EQ(Client()
                .Post("/api/v1/customers",
                      json::object{{"name", "Logged"}, {"emails", json::array{UniqueEmail()}}},
                      {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
                .status,
            201);
  ASSERT_EQ(Client().Get("/api/v1/me", Bearer(admin().token)).status, 200);
  std::string wrong_password = "Tr0ub4dor&3-wrong";
  ASSERT_EQ(Client()
                .Post("/api/v1/auth/login",
                      json::object{{"email", agent1().email}, {"password", wrong_password}})
                .status,
            401);
  std::string garbage_token = "rdt_ThisIsNotARealTokenButStillASecret123";
  ASSERT_EQ(Client().Get("/api/v1/me", Bearer(garbage_token)).status, 401);
  // A token in a query string must not end up in the log either.
  Client().Get("/api/v1/cases?access_token=" + agent2().token, Bearer(agent2().token));
  ASSERT_EQ(
      Client()
          .Post("/api/v1/auth/logout", json::object{}, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
          .status,
      200);

  std::string log = FlushedLog();
  ASSERT_FALSE(log.empty());
  for (const std::string& secret : {agent1().password, wrong_password, session, csrf, admin().token,
                                    agent2().token, garbage_token}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log contains a secret: " << secret;
  }
}

}  // namespace
}  // namespace redress::testing
