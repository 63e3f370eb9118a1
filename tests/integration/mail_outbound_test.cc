// Outbound mail end to end, as a deployment runs it: `redress serve` with [mail.smtp]
// pointing at a real SMTP server (aiosmtpd, tests/peers), customers writing in through
// `redress mailgate`, agents answering over HTTP. Checks what the SMTP server actually
// received (recipients, subject tag, thread headers), the `delivery` events on the case
// (sent, deferred then sent, failed), the acknowledgement loop guard, and that the
// customer's answer to our mail, with the token edited as in seed story 001, comes back
// into the same case.
//
// The server runs with a test clock: moving it runs every due `mail_send` job before the
// reply, which gives the tests a point where all mail that is due has been attempted,
// without sleeping. The mailgate is another process on the real clock, so after filing a
// message the tests move the server's clock up to the real time (Flush) first.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "integration/server_fixture.h"
#include "peers/smtp_peer.h"
#include "support/mail_gate.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;
using test_peers::ReceivedMail;
using test_peers::SmtpPeer;

constexpr const char* kSupport = "support@acme.test";

std::string Crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// One header's value from a raw message (unfolded), or "".
std::string HeaderOf(const std::string& raw, const std::string& name) {
  std::string unfolded = std::regex_replace(raw, std::regex("\r\n[ \t]+"), " ");
  std::smatch m;
  if (std::regex_search(unfolded, m, std::regex("(^|\r\n)" + name + ": ([^\r\n]*)",
                                                std::regex::icase))) {
    return m[2];
  }
  return "";
}

class OutboundMailTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto peer = SmtpPeer::Start();
    if (!peer) {
      start_error_ = "SMTP peer: " + peer.error().message;
      return;
    }
    peer_ = std::move(*peer);
    server_ = std::make_unique<TestServer>();
    const auto dir = server_->dir();
    {
      std::ofstream key(dir / "thread.key");
      key << std::string(64, 'a') << "\n";
      std::ofstream config(dir / "redress.toml");
      config << "[mail]\n"
             << "addresses = [\"" << kSupport << "\"]\n"
             << "from_name = \"Acme Support\"\n"
             << "thread_key_file = \"" << (dir / "thread.key").string() << "\"\n"
             << "acknowledge_window_seconds = 3600\n"
             << "[mail.smtp]\n"
             << "url = \"smtp://127.0.0.1:" << peer_->plain_port() << "\"\n"
             << "tls = \"none\"\n";
    }
    config_path_ = (dir / "redress.toml").string();
    server_->set_config_file(config_path_);
    server_->set_extra_serve_args({"--test-clock"});
    ::testing::AssertionResult started = server_->Start();
    if (!started) start_error_ = started.message();
  }
  static void TearDownTestSuite() {
    server_.reset();
    peer_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(server_ && server_->Running()) << start_error_;
    peer_->Forget();
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "server log:\n" << server_->LogTail(6000) << "\n";
  }

  static std::string UniqueAddress(const std::string& prefix) {
    static int n = 0;
    return prefix + "-" + std::to_string(++n) + "@example.com";
  }

  /// Files `raw` through `redress mailgate` as an MTA would; the case it reports, or 0.
  static int64_t Mailgate(const std::string& raw, std::string* outcome = nullptr) {
    Gate gate = testing::Mailgate(config_path_, server_->db_path(), raw);
    EXPECT_EQ(gate.exit_code, 0) << gate.log;
    if (gate.case_id == 0) {
      ADD_FAILURE() << "mailgate named no case: " << gate.log;
      return 0;
    }
    if (outcome) *outcome = gate.outcome;
    Flush();
    return gate.case_id;
  }

  /// Moves the server's test clock to at least the real time (the mailgate's clock), so
  /// that what the mailgate queued is due; the reply comes after it was attempted.
  static void Flush() {
    HttpResponse now = server_->Client().Get("/api/v1/test-clock", Bearer(server_->admin().token));
    std::optional<json::value> body = now.Json();
    ASSERT_TRUE(now.status == 200 && body && Str(*body, "/now")) << now.Describe();
    const std::string real = RealNow();
    if (real > *Str(*body, "/now")) {
      HttpResponse set = server_->Client().Post("/api/v1/test-clock", json::object{{"now", real}},
                                                Bearer(server_->admin().token));
      ASSERT_EQ(set.status, 200) << set.Describe();
    } else {
      AdvanceClock(0);
    }
  }

  /// The real time as the API writes it (2026-12-01T09:00:00.000000Z), a second ahead.
  static std::string RealNow() {
    using namespace std::chrono;
    const auto now = system_clock::now() + seconds(1);
    const std::time_t t = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06lldZ", static_cast<long long>(micros));
    return std::string(text) + fraction;
  }

  static std::string CustomerMail(const std::string& from, const std::string& subject,
                                  const std::string& message_id, const std::string& extra = "",
                                  const std::string& to = kSupport) {
    return Crlf("From: Asha Rao <" + from + ">\nTo: " + to + "\nSubject: " + subject +
                "\nDate: Tue, 01 Dec 2026 08:55:00 +0000\nMessage-ID: <" + message_id +
                ">\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n" + extra +
                "\nMy refund for order 4411 has not arrived after three weeks.\n");
  }

  /// Moves the test clock; the reply comes after every mail due by then was attempted.
  static void AdvanceClock(int64_t seconds) {
    HttpResponse r = server_->Client().Post("/api/v1/test-clock",
                                            json::object{{"advance_seconds", seconds}},
                                            Bearer(server_->admin().token));
    ASSERT_EQ(r.status, 200) << r.Describe();
  }

  static std::vector<ReceivedMail> ReceivedBy(const std::string& address) {
    auto all = peer_->Received();
    EXPECT_TRUE(all.has_value()) << (all ? "" : all.error().message);
    std::vector<ReceivedMail> out;
    if (!all) return out;
    for (ReceivedMail& mail : *all) {
      if (std::find(mail.rcpt_tos.begin(), mail.rcpt_tos.end(), address) != mail.rcpt_tos.end()) {
        out.push_back(std::move(mail));
      }
    }
    return out;
  }

  /// Every event of the case as the admin sees it (internal ones included).
  static std::vector<json::value> Events(int64_t case_id) {
    std::vector<json::value> events;
    HttpResponse r = server_->Client().Get(
        "/api/v1/cases/" + std::to_string(case_id) + "/events?limit=200",
        Bearer(server_->admin().token));
    std::optional<json::value> got = r.Json();
    if (r.status != 200 || !got) {
      ADD_FAILURE() << r.Describe();
      return events;
    }
    for (const json::value& e : Array(*got, "/items")) events.push_back(e);
    return events;
  }

  /// The `status` of each delivery event of the case for `purpose`, in order.
  static std::vector<std::string> Deliveries(int64_t case_id, const std::string& purpose) {
    std::vector<std::string> out;
    for (const json::value& e : Events(case_id)) {
      if (Str(e, "/type") == "delivery" && Str(e, "/data/purpose") == purpose) {
        out.push_back(Str(e, "/data/status").value_or("?"));
      }
    }
    return out;
  }

  static HttpResponse Act(int64_t case_id, const std::string& action, const std::string& body) {
    return server_->Client().Post("/api/v1/cases/" + std::to_string(case_id) + "/" + action,
                                  json::object{{"body", body}},
                                  Bearer(server_->agent1().token));
  }

  static inline std::unique_ptr<SmtpPeer> peer_;
  static inline std::unique_ptr<TestServer> server_;
  static inline std::string config_path_;
  static inline std::string start_error_;
};

TEST_F(OutboundMailTest, AgentReplyIsMailedOnceInTheCustomersThread) {
  const std::string customer = UniqueAddress("asha");
  const int64_t case_id = Mailgate(CustomerMail(customer, "Refund not received", "c1@example.com"));
  ASSERT_GT(case_id, 0);
  ASSERT_EQ(Act(case_id, "messages", "We have asked the warehouse; you will hear by Friday.").status,
            201);
  Flush();

  std::vector<ReceivedMail> mails = ReceivedBy(customer);
  std::vector<ReceivedMail> replies;
  for (ReceivedMail& m : mails) {
    if (HeaderOf(m.raw, "Auto-Submitted").empty()) replies.push_back(m);
  }
  ASSERT_EQ(replies.size(), 1u) << "every message received: " << mails.size();
  const std::string& raw = replies[0].raw;
  EXPECT_EQ(replies[0].mail_from, kSupport);
  EXPECT_EQ(replies[0].rcpt_tos, std::vector<std::string>{customer});
  EXPECT_NE(HeaderOf(raw, "To").find(customer), std::string::npos) << raw;
  const std::string tag = "[Redress #" + std::to_string(case_id) + "]";
  EXPECT_NE(HeaderOf(raw, "Subject").find("Refund not received"), std::string::npos) << raw;
  EXPECT_NE(HeaderOf(raw, "Subject").find(tag), std::string::npos) << raw;
  const std::string token_prefix = "c" + std::to_string(case_id) + "-";
  EXPECT_EQ(HeaderOf(raw, "Message-ID").rfind("<rd." + token_prefix, 0), 0u) << raw;
  EXPECT_NE(HeaderOf(raw, "Reply-To").find("support+" + token_prefix), std::string::npos) << raw;
  EXPECT_EQ(HeaderOf(raw, "In-Reply-To"), "<c1@example.com>") << raw;
  EXPECT_NE(HeaderOf(raw, "References").find("<c1@example.com>"), std::string::npos) << raw;
  EXPECT_NE(raw.find("you will hear by Friday"), std::string::npos) << raw;

  EXPECT_EQ(Deliveries(case_id, "reply"), std::vector<std::string>{"sent"});
  AdvanceClock(600);  // nothing is sent again later
  EXPECT_EQ(ReceivedBy(customer).size(), mails.size());
}

TEST_F(OutboundMailTest, InternalNoteIsNeverMailed) {
  const std::string customer = UniqueAddress("note");
  const int64_t case_id = Mailgate(CustomerMail(customer, "Damaged parcel", "n1@example.com"));
  ASSERT_GT(case_id, 0);
  AdvanceClock(0);
  const size_t before = ReceivedBy(customer).size();  // the acknowledgement
  EXPECT_EQ(before, 1u);
  ASSERT_EQ(Act(case_id, "notes", "Customer sounds angry; courier lost it (INTERNAL)").status, 201);
  AdvanceClock(600);
  std::vector<ReceivedMail> after = ReceivedBy(customer);
  EXPECT_EQ(after.size(), before);
  for (const ReceivedMail& m : after) EXPECT_EQ(m.raw.find("INTERNAL"), std::string::npos);
  EXPECT_TRUE(Deliveries(case_id, "reply").empty());
}

TEST_F(OutboundMailTest, TemporaryRefusalIsRetriedAndDeliveredOnce) {
  // The peer greylists this address: 451 the first time, 250 after.
  const std::string customer = UniqueAddress("greylist");
  const int64_t case_id = Mailgate(CustomerMail(customer, "Where is my order", "g1@example.com"));
  ASSERT_GT(case_id, 0);
  AdvanceClock(0);
  EXPECT_TRUE(ReceivedBy(customer).empty());
  EXPECT_EQ(Deliveries(case_id, "acknowledgement"), std::vector<std::string>{"deferred"});
  bool has_retry_at = false;
  for (const json::value& e : Events(case_id)) {
    if (Str(e, "/type") == "delivery") {
      has_retry_at = Str(e, "/data/retry_at").has_value();
      EXPECT_NE(Str(e, "/data/detail").value_or("").find("451"), std::string::npos)
          << json::serialize(e);
    }
  }
  EXPECT_TRUE(has_retry_at);

  AdvanceClock(30 * 60);  // past the first retry (1 min ± 20 % by default)
  std::vector<ReceivedMail> mails = ReceivedBy(customer);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(HeaderOf(mails[0].raw, "Auto-Submitted"), "auto-replied");
  EXPECT_EQ(Deliveries(case_id, "acknowledgement"),
            (std::vector<std::string>{"deferred", "sent"}));
  AdvanceClock(6 * 3600);
  EXPECT_EQ(ReceivedBy(customer).size(), 1u);
}

TEST_F(OutboundMailTest, PermanentRefusalIsRecordedAsFailed) {
  const std::string customer = UniqueAddress("reject5");
  const int64_t case_id = Mailgate(CustomerMail(customer, "Wrong size", "r1@example.com"));
  ASSERT_GT(case_id, 0);
  AdvanceClock(0);
  EXPECT_EQ(Deliveries(case_id, "acknowledgement"), std::vector<std::string>{"failed"});
  for (const json::value& e : Events(case_id)) {
    if (Str(e, "/type") == "delivery") {
      EXPECT_EQ(Str(e, "/data/failure"), "permanent");
      EXPECT_EQ(Str(e, "/visibility"), "public");
      EXPECT_NE(Str(e, "/data/detail").value_or("").find("550"), std::string::npos)
          << json::serialize(e);
    }
  }
  AdvanceClock(24 * 3600);  // never retried
  EXPECT_EQ(Deliveries(case_id, "acknowledgement"), std::vector<std::string>{"failed"});
  EXPECT_TRUE(ReceivedBy(customer).empty());
}

TEST_F(OutboundMailTest, AcknowledgementsDoNotLoopWithAnAutoResponder) {
  const std::string customer = UniqueAddress("loop");
  const int64_t first = Mailgate(CustomerMail(customer, "Cancelled order", "l1@example.com"));
  ASSERT_GT(first, 0);
  AdvanceClock(0);
  std::vector<ReceivedMail> acks = ReceivedBy(customer);
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(HeaderOf(acks[0].raw, "Auto-Submitted"), "auto-replied");
  EXPECT_NE(HeaderOf(acks[0].raw, "Subject").find("[Redress #" + std::to_string(first) + "]"),
            std::string::npos);

  // The customer's vacation responder answers our acknowledgement without any thread header
  // (so it opens a case of its own) and marks itself as automatic: no acknowledgement.
  std::string outcome;
  const int64_t vacation =
      Mailgate(CustomerMail(customer, "Out of office", "l2@example.com",
                            "Auto-Submitted: auto-replied\r\n"),
               &outcome);
  ASSERT_GT(vacation, 0);
  EXPECT_EQ(outcome, "opened");
  // A responder that does not mark itself looks like a person; the per-sender window stops
  // it from getting an acknowledgement of its own, which would answer it again.
  const int64_t unmarked =
      Mailgate(CustomerMail(customer, "Following up on my order", "l3@example.com"));
  ASSERT_GT(unmarked, 0);
  EXPECT_NE(unmarked, first);
  AdvanceClock(60);
  EXPECT_EQ(ReceivedBy(customer).size(), 1u);
  EXPECT_TRUE(Deliveries(vacation, "acknowledgement").empty());
  EXPECT_TRUE(Deliveries(unmarked, "acknowledgement").empty());
  // (That the window ends is checked in outbound_mail_reactor_test.cc with a fake clock:
  // the mailgate runs on the real one.)
}

TEST_F(OutboundMailTest, ReplyWithEditedTokenComesBackToTheSameCase) {
  const std::string customer = UniqueAddress("story001");
  const int64_t case_id = Mailgate(CustomerMail(customer, "Return rejected", "s1@example.com"));
  ASSERT_GT(case_id, 0);
  ASSERT_EQ(Act(case_id, "messages", "Please send a photo of the label.").status, 201);
  AdvanceClock(0);
  std::vector<ReceivedMail> mails = ReceivedBy(customer);
  const ReceivedMail* reply = nullptr;
  for (const ReceivedMail& m : mails) {
    if (HeaderOf(m.raw, "Auto-Submitted").empty()) reply = &m;
  }
  ASSERT_NE(reply, nullptr);

  // The customer answers our reply, but (seed story 001) someone edited the string after
  // the '+' of the reply-to address: the last character of the token is changed.
  std::string reply_to = HeaderOf(reply->raw, "Reply-To");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(reply_to, m, std::regex("support\\+[^@>]+@acme\\.test")))
      << reply_to;
  std::string edited = m[0];
  const size_t at = edited.find('@');
  edited[at - 1] = edited[at - 1] == 'a' ? 'b' : 'a';
  const std::string our_id = HeaderOf(reply->raw, "Message-ID");
  const std::string answer =
      Crlf("From: Asha Rao <" + customer + ">\nTo: " + edited + "\nSubject: Re: " +
           HeaderOf(reply->raw, "Subject") + "\nMessage-ID: <s2@example.com>\nIn-Reply-To: " +
           our_id + "\nReferences: <s1@example.com> " + our_id +
           "\nDate: Tue, 01 Dec 2026 10:00:00 +0000\nContent-Type: text/plain\n\nHere is the "
           "photo.\n");
  std::string outcome;
  EXPECT_EQ(Mailgate(answer, &outcome), case_id);
  EXPECT_EQ(outcome, "appended");

  bool mismatch = false;
  bool message = false;
  for (const json::value& e : Events(case_id)) {
    if (Str(e, "/type") == "thread_token_mismatch") {
      mismatch = true;
      EXPECT_NE(Str(e, "/data/found").value_or("").find(edited.substr(8, at - 8)),
                std::string::npos)
          << json::serialize(e);
    }
    if (Str(e, "/type") == "message_received" &&
        Str(e, "/data/message_id") == std::string("s2@example.com")) {
      message = true;
    }
  }
  EXPECT_TRUE(mismatch);
  EXPECT_TRUE(message);
}

}  // namespace
}  // namespace redress::testing
