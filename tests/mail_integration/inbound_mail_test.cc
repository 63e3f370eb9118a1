// Inbound mail into the running server: POST /api/v1/inbound/email with real messages of
// ../shared/corpus/email and one written by swaks, and `redress mailgate --url` piping them
// as an MTA would, with the exit codes the MTA acts on.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "integration/server_fixture.h"
#include "mail_integration/configured_server.h"
#include "mail_integration/mail_samples.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

constexpr const char* kRoute = "/api/v1/inbound/email";
constexpr int kMaxMessageBytes = 65536;

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  WriteTestFile(path, content);
}

// A port where nothing listens: bound, then closed.
uint16_t DeadPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class InboundMailTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<TestServer>();
    const auto dir = server_->dir();
    WriteFile(dir / "thread.key", std::string(64, 'a') + "\n");
    // The mailbox's IMAP server does not exist: this suite only uses its name and queue;
    // its poll fails (logged) once a day, and it is not watched with IDLE.
    WriteFile(
        dir / "redress.toml",
        "[mail]\naddresses = [\"support@acme.test\"]\nthread_key_file = \"" +
            (dir / "thread.key").string() +
            "\"\nmax_message_bytes = " + std::to_string(kMaxMessageBytes) +
            "\n\n[[mail.mailboxes]]\nname = \"orders\"\nurl = \"imap://127.0.0.1:" +
            std::to_string(DeadPort()) +
            "\"\ntls = \"none\"\ncategory = \"orders\"\npoll_seconds = 86400\nidle = false\n");
    UseConfigFile(dir, dir / "redress.toml");
    auto started = server_->Start();
    if (!started) {
      start_error_ = started.message();
      return;
    }
    mailgate_.email = "mx1@acme.test";
    mailgate_.name = "Postfix on mx1";
    mailgate_.role = "mailgate";
    auto added = server_->AddStaff(mailgate_);
    if (!added) start_error_ = added.message();
    WriteFile(dir / "mailgate.token", mailgate_.token + "\n");
  }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override { ASSERT_TRUE(start_error_.empty()) << start_error_; }

  static HttpResponse Deliver(const std::string& raw, const std::string& token,
                              const std::string& query = "",
                              const std::string& type = "message/rfc822") {
    return server_->Client().Send("POST", std::string(kRoute) + query, raw,
                                  Bearer(token, {{"Content-Type", type}}));
  }
  // The two programs an MTA can pipe into: `redress mailgate --url` and the lean
  // `redress-mailgate`, which must behave the same.
  enum class Program { kFull, kLean };
  static ProcessResult Gate(Program program, std::vector<std::string> args,
                            const std::string& raw) {
    if (program == Program::kFull) {
      args.insert(args.begin(), "mailgate");
      return RunCli(args, raw);
    }
    args.insert(args.begin(), REDRESS_MAILGATE_BINARY);
    return RunProcess(args, raw);
  }
  static ProcessResult Mailgate(const std::string& raw, std::vector<std::string> extra = {},
                                const std::string& url = "", Program program = Program::kFull) {
    std::vector<std::string> args{
        "--url", url.empty() ? "http://127.0.0.1:" + std::to_string(server_->port()) : url,
        "--token-file", (server_->dir() / "mailgate.token").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Gate(program, args, raw);
  }
  static boost::json::value AdminCase(int64_t id) {
    HttpResponse r = server_->Client().Get("/api/v1/cases/" + std::to_string(id),
                                           Bearer(server_->admin().token));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return Body(r);
  }
  static std::vector<std::string> EventTypes(int64_t id) {
    HttpResponse r = server_->Client().Get(
        "/api/v1/cases/" + std::to_string(id) + "/events?limit=100", Bearer(server_->admin().token));
    std::vector<std::string> types;
    for (const auto& e : Array(Body(r), "/items")) types.push_back(Str(e, "/type").value_or("?"));
    return types;
  }

  static inline std::unique_ptr<TestServer> server_;
  static inline std::string start_error_;
  static inline StaffAccount mailgate_;
};

TEST_F(InboundMailTest, ACorpusMessageOpensACaseOnlyOnceStored) {
  HttpResponse r = Deliver(Corpus("cpython/msg_07.txt"), mailgate_.token);
  ASSERT_EQ(r.status, 201) << r.Describe();
  auto body = Body(r);
  EXPECT_EQ(Str(body, "/status"), "opened");
  ASSERT_TRUE(Int(body, "/case_id"));
  const int64_t id = *Int(body, "/case_id");
  EXPECT_EQ(r.Header("Location"), "/api/v1/cases/" + std::to_string(id));
  EXPECT_TRUE(IsSha256Hex(Str(body, "/raw_sha256").value_or("")));
  auto kase = AdminCase(id);
  EXPECT_EQ(Str(kase, "/channel"), "email") << kase;
  auto types = EventTypes(id);
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front(), "case_opened");
}

TEST_F(InboundMailTest, OneMessageIdTwiceAndTheSameBytesTwiceAreOneCase) {
  // Two corpus files carrying one Message-ID (threads.tsv T001: one mail delivered twice).
  HttpResponse first = Deliver(Corpus("cpython/msg_01.txt"), mailgate_.token);
  ASSERT_EQ(first.status, 201) << first.Describe();
  const auto id = Int(Body(first), "/case_id");
  EXPECT_EQ(Str(Body(first), "/message_id"), "15090.61304.110929.45684@aaa.zzz.org");
  HttpResponse second = Deliver(Corpus("cpython/msg_29.txt"), mailgate_.token);
  ASSERT_EQ(second.status, 200) << second.Describe();
  EXPECT_EQ(Str(Body(second), "/status"), "duplicate");
  EXPECT_EQ(Int(Body(second), "/case_id"), id);
  HttpResponse again = Deliver(Corpus("cpython/msg_01.txt"), mailgate_.token);
  ASSERT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(Str(Body(again), "/status"), "duplicate");
  EXPECT_EQ(Int(Body(again), "/case_id"), id);
  EXPECT_EQ(EventTypes(*id).size(), 1u) << "a duplicate must add no event";
}

TEST_F(InboundMailTest, AReplyIsThreadedIntoItsCaseWith200) {
  HttpResponse opened = Deliver(Mail("q1@shop.test", "asha.reply@example.com", "Parcel late"),
                                mailgate_.token);
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  HttpResponse reply = Deliver(
      Mail("q2@shop.test", "asha.reply@example.com", "Re: Parcel late", "q1@shop.test"),
      mailgate_.token);
  ASSERT_EQ(reply.status, 200) << reply.Describe();
  EXPECT_EQ(Str(Body(reply), "/status"), "appended");
  EXPECT_EQ(Int(Body(reply), "/case_id"), Int(Body(opened), "/case_id"));
  EXPECT_EQ(Str(Body(reply), "/message_id"), "q2@shop.test");
}

TEST_F(InboundMailTest, BytesThatAreNoMessageAre400AndStillStored) {
  HttpResponse r = Deliver("just a line of prose, no header at all\n", mailgate_.token, "",
                           "application/octet-stream");
  EXPECT_TRUE(IsProblem(r, 400, "bad-request")) << r.Describe();
  EXPECT_EQ(Str(Body(r), "/outcome"), "not_a_message");
  EXPECT_TRUE(IsSha256Hex(Str(Body(r), "/raw_sha256").value_or("")));
}

TEST_F(InboundMailTest, AMessageOverTheLimitIs413AndNothingIsRead) {
  std::string big = Mail("big@shop.test", "big@example.com", "Photos") +
                    std::string(kMaxMessageBytes, 'x');
  HttpResponse r = Deliver(big, mailgate_.token);
  EXPECT_TRUE(IsProblem(r, 413, "payload-too-large")) << r.Describe();
  EXPECT_NE(Str(Body(r), "/detail").value_or("").find(std::to_string(kMaxMessageBytes)),
            std::string::npos)
      << r.Describe();
  // The mail route takes raw mail only: a JSON body is refused with 415.
  HttpResponse json = Deliver(Mail("j@shop.test", "j@example.com", "x"), mailgate_.token, "",
                              "application/json");
  EXPECT_TRUE(IsProblem(json, 415, "unsupported-media-type")) << json.Describe();
}

TEST_F(InboundMailTest, OnlyMailgateAccountsAndAdminsDeliverAndMailgateDoesNothingElse) {
  const std::string raw = Mail("perm@shop.test", "perm@example.com", "Who may deliver");
  EXPECT_TRUE(IsProblem(server_->Client().Send("POST", kRoute, raw, {{"Content-Type", "message/rfc822"}}),
                        401, "unauthenticated"));
  EXPECT_TRUE(IsProblem(Deliver(raw, server_->agent1().token), 403, "permission-denied"));
  EXPECT_TRUE(IsProblem(Deliver(raw, server_->supervisor().token), 403, "permission-denied"));
  HttpResponse by_admin = Deliver(raw, server_->admin().token);
  EXPECT_EQ(by_admin.status, 201) << by_admin.Describe();
  // The mailgate token reads nothing: not the case it just filed, not the case list.
  const auto id = Int(Body(by_admin), "/case_id").value_or(0);
  for (const std::string& path :
       {std::string("/api/v1/cases"), "/api/v1/cases/" + std::to_string(id), std::string("/api/v1/me")}) {
    EXPECT_TRUE(IsProblem(server_->Client().Get(path, Bearer(mailgate_.token)), 403,
                          "permission-denied"))
        << path;
  }
}

TEST_F(InboundMailTest, MailboxParameterFilesIntoItsQueue) {
  HttpResponse r = Deliver(Mail("box@shop.test", "box@example.com", "Order 77 broken"),
                           mailgate_.token, "?mailbox=orders");
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(Str(AdminCase(*Int(Body(r), "/case_id")), "/category"), "orders");
  HttpResponse unknown = Deliver(Mail("box2@shop.test", "box@example.com", "x"), mailgate_.token,
                                 "?mailbox=nope");
  EXPECT_TRUE(IsProblem(unknown, 422, "invalid-argument")) << unknown.Describe();
}

TEST_F(InboundMailTest, MailgateUrlPipesACorpusMessageIntoACase) {
  ProcessResult piped = Mailgate(Corpus("cpython/msg_10.txt"));
  ASSERT_EQ(piped.exit_code, 0) << piped.Describe();
  EXPECT_EQ(piped.err.find(mailgate_.token), std::string::npos) << "the token leaked";
  // Piped again (an MTA retry after a lost exit status): stored once, still exit 0.
  ProcessResult again = Mailgate(Corpus("cpython/msg_10.txt"));
  EXPECT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_NE(again.err.find("duplicate"), std::string::npos) << again.Describe();
}

TEST_F(InboundMailTest, MailgateUrlExitCodesTellTheMtaWhatToDo) {
  for (Program program : {Program::kFull, Program::kLean}) {
    const std::string name = program == Program::kFull ? "full" : "lean";
    SCOPED_TRACE(name);
    // Each program gets bytes of its own: the server stores the same bytes only once.
    const std::string server = "http://127.0.0.1:" + std::to_string(server_->port());
    // Not a message: 65, the MTA bounces.
    ProcessResult garbage = Mailgate("\x01\x02\x03 binary junk " + name, {}, "", program);
    EXPECT_EQ(garbage.exit_code, 65) << garbage.Describe();
    // Too large: 65 with a sentence the sender can act on.
    ProcessResult big = Mailgate(Mail("huge-" + name + "@shop.test", "huge@example.com", "Scans") +
                                     std::string(kMaxMessageBytes + 10, 'y'),
                                 {}, "", program);
    EXPECT_EQ(big.exit_code, 65) << big.Describe();
    EXPECT_NE(big.err.find("larger than this help desk accepts"), std::string::npos)
        << big.Describe();
    const std::string raw = Mail("retry-" + name + "@shop.test", "retry@example.com", "Retry me");
    // No server listening: 75, the MTA keeps the message and retries.
    ProcessResult down =
        Mailgate(raw, {}, "http://127.0.0.1:" + std::to_string(DeadPort()), program);
    EXPECT_EQ(down.exit_code, 75) << down.Describe();
    // A wrong token is the operator's to fix: 75, never a bounce.
    WriteFile(server_->dir() / "wrong.token", "rdt_wrong\n");
    ProcessResult wrong = Gate(
        program, {"--url", server, "--token-file", (server_->dir() / "wrong.token").string()}, raw);
    EXPECT_EQ(wrong.exit_code, 75) << wrong.Describe();
    EXPECT_EQ(wrong.err.find("rdt_wrong"), std::string::npos) << wrong.Describe();
    // No token at all: 75.
    ProcessResult none = Gate(program, {"--url", server}, raw);
    EXPECT_EQ(none.exit_code, 75) << none.Describe();
    // Unknown mailbox (a configuration mistake): 75.
    ProcessResult box = Mailgate(raw, {"--mailbox", "nope"}, "", program);
    EXPECT_EQ(box.exit_code, 75) << box.Describe();
    // And the same message, once things are right: stored.
    ProcessResult ok = Mailgate(raw, {"--mailbox", "orders"}, "", program);
    EXPECT_EQ(ok.exit_code, 0) << ok.Describe();
  }
}

TEST_F(InboundMailTest, TheLeanMailgatePipesACorpusMessageIntoACase) {
  ProcessResult piped = Mailgate(Corpus("cpython/msg_11.txt"), {}, "", Program::kLean);
  ASSERT_EQ(piped.exit_code, 0) << piped.Describe();
  EXPECT_NE(piped.err.find("\"case_id\""), std::string::npos) << piped.Describe();
  EXPECT_EQ(piped.err.find(mailgate_.token), std::string::npos) << "the token leaked";
}

TEST_F(InboundMailTest, AMessageWrittenBySwaksLandsInACase) {
  ProcessResult swaks = RunProcess({"swaks", "--dump-mail", "--server", "127.0.0.1", "--to",
                                    "support@acme.test", "--from", "meera.swaks@example.in",
                                    "--header", "Subject: Refund for order 4411 not received",
                                    "--body", "I returned the shoes on 3 November."});
  ASSERT_TRUE(swaks.Ok()) << swaks.Describe();
  ASSERT_NE(swaks.out.find("Subject: Refund for order 4411"), std::string::npos) << swaks.out;
  ProcessResult piped = Mailgate(swaks.out);
  ASSERT_EQ(piped.exit_code, 0) << piped.Describe();
  // Find the new case by its order number through staff search.
  HttpResponse cases = server_->Client().Get("/api/v1/cases/search?q=4411",
                                             Bearer(server_->admin().token));
  ASSERT_EQ(cases.status, 200) << cases.Describe();
  bool found = false;
  for (const auto& item : Array(Body(cases), "/items")) {
    if (Str(item, "/subject") == "Refund for order 4411 not received") found = true;
  }
  EXPECT_TRUE(found) << cases.Describe();
}

}  // namespace
}  // namespace redress::testing
