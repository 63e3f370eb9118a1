// The LMTP listener of the running server ([mail.lmtp]): swaks as the MTA, and a plain
// socket client for what swaks cannot show (many messages on one connection, the answers
// coming only once a message is stored, a crash right after them, refusals that keep the
// session in step).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "integration/server_fixture.h"
#include "mail_integration/configured_server.h"
#include "mail_integration/mail_samples.h"
#include "peers/child_process.h"
#include "peers/lmtp_client.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

// Our small message with a line that starts with a dot, which the MTA dot-stuffs.
std::string DottedMail(const std::string& message_id, const std::string& from,
                       const std::string& subject, const std::string& in_reply_to = "") {
  return Mail(message_id, from, subject, in_reply_to) + ".A line that starts with a dot.\r\n";
}

constexpr int kMaxMessageBytes = 65536;

using test_peers::LmtpClient;

// The case id in "250 2.0.0 <rcpt> stored: case 12 opened" and the like; 0 if none.
int64_t CaseIn(const std::string& reply) {
  std::smatch match;
  if (!std::regex_search(reply, match, std::regex("case ([0-9]+)"))) return 0;
  return std::stoll(match[1]);
}

std::string ConfigText(const std::filesystem::path& dir, const std::string& listen) {
  return "[mail]\naddresses = [\"support@acme.test\", \"orders@acme.test\"]\n"
         "thread_key_file = \"" +
         (dir / "thread.key").string() +
         "\"\nmax_message_bytes = " + std::to_string(kMaxMessageBytes) +
         "\n\n[mail.lmtp]\nlisten = \"" + listen +
         "\"\n[mail.lmtp.queues]\n\"orders@acme.test\" = \"orders\"\n";
}

class LmtpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<TestServer>();
    const auto dir = server_->dir();
    WriteTestFile(dir / "thread.key", std::string(64, 'b') + "\n");
    WriteTestFile(dir / "redress.toml", ConfigText(dir, "unix:" + SocketPath()));
    UseConfigFile(dir, dir / "redress.toml");
    if (auto started = server_->Start(); !started) start_error_ = started.message();
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override { ASSERT_TRUE(start_error_.empty()) << start_error_; }

  static std::string SocketPath() { return (server_->dir() / "lmtp.sock").string(); }

  // A connected client that has said LHLO.
  static std::unique_ptr<LmtpClient> Connect() {
    auto client = LmtpClient::OverUnix(SocketPath());
    if (!client) {
      ADD_FAILURE() << "cannot connect to " << SocketPath();
      return nullptr;
    }
    const std::string last = client->Greet("mx1.acme.test");
    EXPECT_TRUE(last.starts_with("250 SIZE ")) << last;
    return client;
  }
  static boost::json::value AdminCase(int64_t id) {
    HttpResponse r = server_->Client().Get("/api/v1/cases/" + std::to_string(id),
                                           Bearer(server_->admin().token));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return Body(r);
  }

  static inline std::unique_ptr<TestServer> server_;
  static inline std::string start_error_;
};

TEST_F(LmtpTest, SwaksDeliversToTwoMailboxesAsOneCaseInTheRecipientsQueue) {
  ProcessResult swaks = RunProcess(
      {"swaks", "--protocol", "LMTP", "--socket", SocketPath(), "--to",
       "orders@acme.test,support+tampered.token@acme.test", "--from", "meera.lmtp@example.in",
       "--header", "Subject: Refund for order 5512", "--body", "Two mailboxes, one problem."});
  ASSERT_TRUE(swaks.Ok()) << swaks.Describe();
  std::smatch first;
  std::smatch second;
  const std::string& out = swaks.out;
  ASSERT_TRUE(std::regex_search(
      out, first, std::regex("250 2\\.0\\.0 <orders@acme\\.test> stored: case ([0-9]+) opened")))
      << out;
  ASSERT_TRUE(std::regex_search(
      out, second,
      std::regex("250 2\\.0\\.0 <support\\+tampered\\.token@acme\\.test> stored: case ([0-9]+) "
                 "opened")))
      << out;
  EXPECT_EQ(first[1], second[1]) << "one message, one case, one answer per recipient";
  auto kase = AdminCase(std::stoll(first[1]));
  EXPECT_EQ(Str(kase, "/category"), "orders") << kase;
  EXPECT_EQ(Str(kase, "/channel"), "email") << kase;
  EXPECT_EQ(Str(kase, "/subject"), "Refund for order 5512") << kase;
}

TEST_F(LmtpTest, RecipientsThatAreNotOursAreRefusedAtRcpt) {
  ProcessResult swaks = RunProcess({"swaks", "--protocol", "LMTP", "--socket", SocketPath(), "--to",
                                    "sales@elsewhere.test", "--from", "x@example.in"});
  EXPECT_FALSE(swaks.Ok());
  EXPECT_NE(swaks.out.find("550 5.1.1 <sales@elsewhere.test> is not a mailbox of this help desk"),
            std::string::npos)
      << swaks.Describe();
}

TEST_F(LmtpTest, ManyMessagesOnOneConnectionAreStoredBeforeTheirAnswersAndSurviveACrash) {
  auto client = Connect();
  ASSERT_TRUE(client);
  const std::string opener = "lmtp-open-1@example.in";
  auto opened = client->Deliver("asha.lmtp@example.in", {"support@acme.test"},
                                DottedMail(opener, "asha.lmtp@example.in", "Parcel 881 late"));
  ASSERT_EQ(opened.size(), 4u);
  ASSERT_TRUE(opened[3].starts_with("250 2.0.0 <support@acme.test> stored: case ")) << opened[3];
  const int64_t first_case = CaseIn(opened[3]);
  auto reply = client->Deliver(
      "asha.lmtp@example.in", {"support@acme.test"},
      DottedMail("lmtp-reply-1@example.in", "asha.lmtp@example.in", "Re: Parcel 881 late", opener));
  ASSERT_EQ(reply.size(), 4u);
  EXPECT_EQ(reply[3], "250 2.0.0 <support@acme.test> stored in case " + std::to_string(first_case))
      << "a reply on the same connection threads into its case";

  std::vector<int64_t> cases;
  for (int i = 0; i < 20; ++i) {
    const std::string from = "lmtp.crash" + std::to_string(i) + "@example.in";
    auto delivered = client->Deliver(from, {"support@acme.test"},
                                     DottedMail("lmtp-crash-" + std::to_string(i) + "@example.in",
                                                from, "Order " + std::to_string(i)));
    ASSERT_EQ(delivered.size(), 4u);
    ASSERT_TRUE(delivered[3].starts_with("250 ")) << delivered[3];
    cases.push_back(CaseIn(delivered[3]));
  }
  // A crash right after the last answer: every answered message must be there after it.
  ASSERT_TRUE(server_->Kill9());
  client.reset();
  ASSERT_TRUE(server_->Serve()) << "the Unix socket file left by the killed server is replaced";
  for (int64_t id : cases) EXPECT_EQ(Str(AdminCase(id), "/channel"), "email") << id;

  auto again = Connect();
  ASSERT_TRUE(again);
  auto duplicate = again->Deliver("asha.lmtp@example.in", {"support@acme.test"},
                                  DottedMail(opener, "asha.lmtp@example.in", "Parcel 881 late"));
  ASSERT_EQ(duplicate.size(), 4u);
  EXPECT_EQ(duplicate[3], "250 2.0.0 <support@acme.test> already stored (case " +
                              std::to_string(first_case) + ")")
      << "an MTA that delivers again after a lost answer makes no second case";
}

TEST_F(LmtpTest, RefusalsAreAnsweredAndTheSessionStaysInStep) {
  auto client = Connect();
  ASSERT_TRUE(client);
  auto prose = client->Deliver("x@example.in", {"support@acme.test"},
                               "just a line of prose, no header at all\r\n");
  ASSERT_EQ(prose.size(), 4u);
  EXPECT_TRUE(prose[3].starts_with("550 5.6.0 <support@acme.test> not an RFC 5322 message"))
      << prose[3];
  EXPECT_NE(prose[3].find("stored raw as received"), std::string::npos) << prose[3];

  const std::string big = DottedMail("lmtp-big@example.in", "big@example.in", "Photos") +
                          std::string(kMaxMessageBytes, 'x') + "\r\n";
  auto too_big = client->Deliver("big@example.in", {"support@acme.test", "orders@acme.test"}, big);
  ASSERT_EQ(too_big.size(), 6u);
  EXPECT_EQ(too_big[4], "552 5.3.4 <support@acme.test> message is over the limit of 65536 bytes");
  EXPECT_EQ(too_big[5], "552 5.3.4 <orders@acme.test> message is over the limit of 65536 bytes");

  client->Send("MAIL FROM:<big@example.in> SIZE=999999\r\n");
  EXPECT_EQ(client->Reply(), "552 5.3.4 message of 999999 bytes is over the limit of 65536");

  auto mixed = client->Deliver("ok@example.in", {"nobody@elsewhere.test", "support@acme.test"},
                               DottedMail("lmtp-mixed@example.in", "ok@example.in", "Mixed"));
  ASSERT_EQ(mixed.size(), 5u);
  EXPECT_TRUE(mixed[1].starts_with("550 5.1.1 <nobody@elsewhere.test>")) << mixed[1];
  EXPECT_TRUE(mixed[4].starts_with("250 2.0.0 <support@acme.test> stored: case ")) << mixed[4];

  client->Send("NOOP\r\nQUIT\r\n");
  const auto last = client->Replies(2);
  EXPECT_EQ(last[0], "250 2.0.0 ok");
  EXPECT_TRUE(last[1].starts_with("221 2.0.0 ")) << last[1];
}

TEST_F(LmtpTest, ACorpusMessageDeliveredOverLmtpOpensACase) {
  auto client = Connect();
  ASSERT_TRUE(client);
  auto delivered =
      client->Deliver("sender@example.org", {"support@acme.test"}, Corpus("cpython/msg_07.txt"));
  ASSERT_EQ(delivered.size(), 4u);
  const int64_t id = CaseIn(delivered[3]);
  ASSERT_GT(id, 0) << delivered[3];
  EXPECT_EQ(Str(AdminCase(id), "/channel"), "email");
}

// Postfix's usual form, lmtp:inet:127.0.0.1:port, on a server of its own.
TEST(LmtpTcpTest, AServerListeningOnLoopbackTcpTakesMail) {
  auto server = std::make_unique<TestServer>();
  const auto dir = server->dir();
  auto port = test_peers::PickFreeLoopbackPort();
  ASSERT_TRUE(port) << port.error().message;
  WriteTestFile(dir / "thread.key", std::string(64, 'c') + "\n");
  WriteTestFile(dir / "redress.toml", ConfigText(dir, "127.0.0.1:" + std::to_string(*port)));
  UseConfigFile(dir, dir / "redress.toml");
  ASSERT_TRUE(server->Start());
  ProcessResult swaks = RunProcess({"swaks", "--protocol", "LMTP", "--server", "127.0.0.1",
                                    "--port", std::to_string(*port), "--to", "support@acme.test",
                                    "--from", "tcp.sender@example.in"});
  ASSERT_TRUE(swaks.Ok()) << swaks.Describe();
  EXPECT_TRUE(std::regex_search(
      swaks.out, std::regex("250 2\\.0\\.0 <support@acme\\.test> stored: case [0-9]+ opened")))
      << swaks.out;
}

}  // namespace
}  // namespace redress::testing
