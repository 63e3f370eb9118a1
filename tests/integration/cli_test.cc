// The operator's commands, run as a script would: results alone on stdout, clear messages
// on stderr, exit 0 on success, non-zero (2 for bad input) otherwise.
#include <fstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace redress::testing {
namespace {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    db_ = (dir_.path() / "cli.db").string();
    ProcessResult migrate = RunCli({"migrate", "--db", db_});
    ASSERT_TRUE(migrate.Ok()) << migrate.Describe();
  }

  ProcessResult AddUser(const std::string& email, const std::string& role,
                        std::vector<std::string> extra = {}, const std::string& stdin_data = {}) {
    std::vector<std::string> args{"user", "add", "--db", db_, "--email", email, "--role", role};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCli(args, stdin_data);
  }

  static bool IsId(const std::string& out) {
    if (out.size() < 2 || out.back() != '\n') return false;
    return out.find_first_not_of("0123456789") == out.size() - 1;
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(CliTest, MigrateIsIdempotent) {
  ProcessResult again = RunCli({"migrate", "--db", db_});
  EXPECT_TRUE(again.Ok()) << again.Describe();
  EXPECT_TRUE(std::filesystem::exists(db_));
}

TEST_F(CliTest, UserAddPrintsOnlyTheNewId) {
  ProcessResult first = AddUser("one@redress.test", "agent", {"--name", "One"});
  ProcessResult second = AddUser("two@redress.test", "admin", {"--level", "3"});
  ASSERT_TRUE(first.Ok()) << first.Describe();
  ASSERT_TRUE(second.Ok()) << second.Describe();
  EXPECT_TRUE(IsId(first.out)) << "[" << first.out << "]";
  EXPECT_TRUE(IsId(second.out)) << "[" << second.out << "]";
  EXPECT_NE(first.out, second.out);
}

TEST_F(CliTest, UserAddWithABadRoleFailsClearly) {
  for (std::string role : {"overlord", "customer", "system", ""}) {
    ProcessResult r = AddUser("role@redress.test", role);
    EXPECT_NE(r.exit_code, 0) << role << ": " << r.Describe();
    EXPECT_TRUE(r.out.empty()) << r.Describe();
    EXPECT_NE(r.err.find("role"), std::string::npos) << r.Describe();
  }
  // Nothing was created: the email is still free.
  EXPECT_TRUE(AddUser("role@redress.test", "agent").Ok());
}

TEST_F(CliTest, UserAddRejectsBadEmailLevelAndDuplicates) {
  ProcessResult bad_email = AddUser("not-an-email", "agent");
  EXPECT_EQ(bad_email.exit_code, 2) << bad_email.Describe();
  EXPECT_NE(bad_email.err.find("email"), std::string::npos) << bad_email.Describe();

  ProcessResult bad_level = AddUser("level@redress.test", "agent", {"--level", "0"});
  EXPECT_EQ(bad_level.exit_code, 2) << bad_level.Describe();
  EXPECT_NE(bad_level.err.find("level"), std::string::npos) << bad_level.Describe();

  ASSERT_TRUE(AddUser("dup@redress.test", "agent").Ok());
  ProcessResult dup = AddUser("DUP@redress.test", "supervisor");
  EXPECT_NE(dup.exit_code, 0) << dup.Describe();
  EXPECT_FALSE(dup.err.empty()) << dup.Describe();
  EXPECT_TRUE(dup.out.empty()) << dup.Describe();
}

TEST_F(CliTest, PasswordStdinNeedsAPassword) {
  ProcessResult r = AddUser("nopass@redress.test", "agent", {"--password-stdin"}, "");
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("password"), std::string::npos) << r.Describe();
}

TEST_F(CliTest, TokenCreatePrintsAFreshTokenEachTime) {
  ASSERT_TRUE(AddUser("tok@redress.test", "agent").Ok());
  ProcessResult a = RunCli({"token", "create", "--db", db_, "--email", "tok@redress.test"});
  ProcessResult b = RunCli({"token", "create", "--db", db_, "--email", "tok@redress.test"});
  ASSERT_TRUE(a.Ok()) << a.Describe();
  ASSERT_TRUE(b.Ok()) << b.Describe();
  EXPECT_EQ(a.out.rfind("rdt_", 0), 0u) << a.out;
  EXPECT_EQ(a.out.find('\n'), a.out.size() - 1) << "one line: [" << a.out << "]";
  EXPECT_GE(a.out.size(), 30u) << "too short to be unguessable: " << a.out;
  EXPECT_NE(a.out, b.out);
}

TEST_F(CliTest, TokenCreateForAnUnknownEmailFailsNamingIt) {
  ProcessResult r = RunCli({"token", "create", "--db", db_, "--email", "ghost@redress.test"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(r.out.empty()) << r.Describe();
  EXPECT_NE(r.err.find("ghost@redress.test"), std::string::npos) << r.Describe();
}

TEST_F(CliTest, TokenCreateForAnUnknownCustomerFails) {
  ProcessResult r = RunCli({"token", "create", "--db", db_, "--customer", "4242"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(r.out.empty()) << r.Describe();
  EXPECT_FALSE(r.err.empty()) << r.Describe();
}

TEST_F(CliTest, TokenCreateNeedsExactlyOneOwner) {
  ASSERT_TRUE(AddUser("both@redress.test", "agent").Ok());
  ProcessResult neither = RunCli({"token", "create", "--db", db_});
  EXPECT_NE(neither.exit_code, 0) << neither.Describe();
  EXPECT_FALSE(neither.err.empty()) << neither.Describe();
  ProcessResult both =
      RunCli({"token", "create", "--db", db_, "--email", "both@redress.test", "--customer", "1"});
  EXPECT_NE(both.exit_code, 0) << both.Describe();
  EXPECT_TRUE(both.out.empty()) << both.Describe();
}

TEST_F(CliTest, VerifyOnAFreshDatabaseSucceeds) {
  ProcessResult r = RunCli({"verify", "--db", db_});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
}

TEST_F(CliTest, VerifyOnAMissingDatabaseFails) {
  std::string missing = (dir_.path() / "missing.db").string();
  ProcessResult r = RunCli({"verify", "--db", missing});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_FALSE(r.err.empty()) << r.Describe();
}

TEST_F(CliTest, DemoDataVerifies) {
  ProcessResult demo = RunCli({"demo", "--db", db_});
  ASSERT_TRUE(demo.Ok()) << demo.Describe();
  ProcessResult verify = RunCli({"verify", "--db", db_});
  EXPECT_EQ(verify.exit_code, 0) << verify.Describe();
  EXPECT_NE(verify.out.find("intact"), std::string::npos) << verify.Describe();
}

TEST_F(CliTest, MailgateWithABrokenConfigurationAsksTheMtaToRetry) {
  // A bad thread key is the installation's fault, not the sender's: 75 keeps the message
  // queued at the MTA; 65 would bounce it and the customer's mail would be lost to us.
  const std::string key = (dir_.path() / "thread.key").string();
  const std::string config = (dir_.path() / "mail.toml").string();
  std::ofstream(key) << "too short\n";
  std::ofstream(config) << "[mail]\naddresses = [\"support@acme.example\"]\n"
                        << "thread_key_file = \"" << key << "\"\n";
  const std::string message =
      "From: asha@example.com\r\nTo: support@acme.example\r\nSubject: Refund\r\n\r\nHello\r\n";
  ProcessResult r = RunCli({"--config", config, "mailgate", "--db", db_}, message);
  EXPECT_EQ(r.exit_code, 75) << r.Describe();
  EXPECT_NE(r.err.find("thread_key_file"), std::string::npos) << r.Describe();
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunCli({}).exit_code, 2);
  EXPECT_EQ(RunCli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCli({"user", "add", "--db", db_}).exit_code, 2) << "--email and --role required";
  EXPECT_EQ(
      RunCli({"--config", (dir_.path() / "absent.toml").string(), "verify", "--db", db_}).exit_code,
      2);
}

TEST_F(CliTest, ServeRefusesABadListenAddress) {
  ProcessResult r = RunCli({"serve", "--db", db_, "--listen", "no-port-here"});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("listen"), std::string::npos) << r.Describe();
}

TEST_F(CliTest, ServeFailsWhenThePortIsTaken) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor taken(
      ioc, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  std::string listen = "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
  ProcessResult r = RunCli(
      {"serve", "--db", db_, "--listen", listen, "--port-file", (dir_.path() / "port").string()});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_FALSE(r.err.empty()) << r.Describe();
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "port")) << "port file of a failed start";
}

}  // namespace
}  // namespace redress::testing
