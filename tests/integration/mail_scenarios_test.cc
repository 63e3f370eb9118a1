// Issue 5's email scenarios through the product: mail goes in as an MTA would deliver it,
// `redress mailgate --db` on the serve process's own SQLite file (one process per
// message), and the result is read back over the HTTP API as an agent and as the
// customer. Threading rules are those of docs/email.md ("Matching order").
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "channels/email/thread_token.h"
#include "server_fixture.h"
#include "support/mail_gate.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

constexpr const char* kOurs = kMailAddress;

class MailScenarioTest : public ServerTest {
 protected:
  static void SetUpTestSuite() {
    ServerTest::SetUpTestSuite();
    dir_ = new TempDir();
    config_ = WriteMailConfig(dir_->path());
    signer_ = new email::ThreadTokenSigner(*email::ThreadTokenSigner::Create(MailTestKey()));
  }
  static void TearDownTestSuite() {
    delete signer_;
    delete dir_;
    ServerTest::TearDownTestSuite();
  }

  static Gate Deliver(const std::string& raw) { return Mailgate(config_, server().db_path(), raw); }

  static std::string Mail(const std::string& from, const std::string& headers,
                          const std::string& body) {
    return "From: " + from + "\r\nTo: " + kOurs + "\r\n" + headers + "\r\n" + body + "\r\n";
  }

  static std::vector<std::string> Types(const std::vector<json::value>& events) {
    std::vector<std::string> types;
    for (const json::value& e : events) types.push_back(Str(e, "/type").value_or("?"));
    return types;
  }
  static int64_t CustomerOf(int64_t case_id) {
    return Int(GetCase(agent1().token, case_id), "/customer_id").value_or(0);
  }

  static TempDir* dir_;
  static std::string config_;
  static email::ThreadTokenSigner* signer_;
};

TempDir* MailScenarioTest::dir_ = nullptr;
std::string MailScenarioTest::config_;
email::ThreadTokenSigner* MailScenarioTest::signer_ = nullptr;

// Seed story 001: an agent "fixed" the token after the + of our reply-to address. The
// reply still lands in its case; the alteration is an internal event the customer never
// sees.
TEST_F(MailScenarioTest, SeedStory001EditedTokenStillLandsAndOnlyStaffSeeTheMismatch) {
  const std::string sender = UniqueEmail("story001");
  Gate first = Deliver(Mail("Meera <" + sender + ">",
                            "Subject: Refund for order 5512\r\nMessage-ID: <s001-a@example.com>\r\n",
                            "The refund was approved on the 3rd and never arrived."));
  ASSERT_EQ(first.exit_code, 0) << first.log;
  ASSERT_EQ(first.outcome, "opened") << first.log;
  std::string token = signer_->Token(first.case_id);
  token.back() = token.back() == 'a' ? 'b' : 'a';
  const std::string edited = "support+" + token + "@acme.example";
  Gate reply = Deliver("From: " + sender + "\r\nTo: " + edited +
                       "\r\nSubject: Re: Refund for order 5512\r\nMessage-ID: <s001-b@example.com>"
                       "\r\n\r\nIt is now three weeks. Please check again.\r\n");
  ASSERT_EQ(reply.exit_code, 0) << reply.log;
  EXPECT_EQ(reply.outcome, "appended") << reply.log;
  EXPECT_EQ(reply.case_id, first.case_id);

  auto staff = AllEvents(agent1().token, first.case_id);
  auto types = Types(staff);
  ASSERT_NE(std::find(types.begin(), types.end(), "thread_token_mismatch"), types.end())
      << json::serialize(json::value_from(staff));
  for (const json::value& e : staff) {
    if (Str(e, "/type") != "thread_token_mismatch") continue;
    EXPECT_EQ(Str(e, "/visibility"), "internal");
    EXPECT_EQ(Str(e, "/data/kind"), "signature_mismatch");
    EXPECT_EQ(Int(e, "/data/claimed_case"), first.case_id);
  }
  const std::string customer_token = server().CustomerToken(CustomerOf(first.case_id));
  auto seen = AllEvents(customer_token, first.case_id);
  auto seen_types = Types(seen);
  EXPECT_EQ(std::count(seen_types.begin(), seen_types.end(), "thread_token_mismatch"), 0);
  ASSERT_EQ(seen.size(), 2u) << json::serialize(json::value_from(seen));
  EXPECT_EQ(Str(seen[1], "/data/body"), "It is now three weeks. Please check again.\n");
  EXPECT_EQ(Str(seen[1], "/channel"), "email");
}

// A token with a made-up signature claims someone else's case: the stranger gets a case of
// their own, the victim's case is untouched and stays invisible to the stranger.
TEST_F(MailScenarioTest, ForgedTokenNeverAttachesAStrangersMail) {
  Gate victim = Deliver(Mail(UniqueEmail("victim"), "Subject: Damaged sofa\r\n", "Torn on arrival."));
  ASSERT_EQ(victim.outcome, "opened") << victim.log;
  const size_t before = AllEvents(agent1().token, victim.case_id).size();
  const std::string forged = "support+c" + std::to_string(victim.case_id) + "-aaaaaaaaaaaaaaaa@acme.example";
  Gate stranger = Deliver("From: " + UniqueEmail("mallory") + "\r\nTo: " + forged +
                          "\r\nSubject: Re: Damaged sofa\r\n\r\nPlease refund me instead.\r\n");
  ASSERT_EQ(stranger.exit_code, 0) << stranger.log;
  EXPECT_EQ(stranger.outcome, "opened") << stranger.log;
  EXPECT_NE(stranger.case_id, victim.case_id);
  EXPECT_EQ(AllEvents(agent1().token, victim.case_id).size(), before);
  const std::string mallory = server().CustomerToken(CustomerOf(stranger.case_id));
  EXPECT_EQ(Client().Get("/api/v1/cases/" + std::to_string(victim.case_id), Bearer(mallory)).status,
            404);
}

// A reply whose client dropped every thread header (no token, no In-Reply-To, no
// References): rule 5, the sender's open case with the same subject. The same subject from
// someone else is a new case.
TEST_F(MailScenarioTest, ReplyWithEveryThreadHeaderStrippedLandsBySenderAndSubject) {
  const std::string sender = UniqueEmail("stripped");
  Gate first = Deliver(Mail(sender, "Subject: Pickup missed twice\r\nMessage-ID: <strip-1@example.com>\r\n",
                            "The courier came while I was at work."));
  ASSERT_EQ(first.outcome, "opened") << first.log;
  Gate reply = Deliver(Mail(sender, "Subject: RE: Pickup missed twice\r\n", "Any update?"));
  EXPECT_EQ(reply.outcome, "appended") << reply.log;
  EXPECT_EQ(reply.case_id, first.case_id);
  int replies = 0;
  for (const json::value& e : AllEvents(agent1().token, first.case_id)) {
    if (Str(e, "/type") != "message_received") continue;
    ++replies;
    EXPECT_EQ(Str(e, "/data/match_rule"), "sender_subject");
    EXPECT_EQ(Str(e, "/data/body"), "Any update?\n");
  }
  EXPECT_EQ(replies, 1);
  Gate other = Deliver(Mail(UniqueEmail("someone-else"), "Subject: Re: Pickup missed twice\r\n", "Me too."));
  EXPECT_EQ(other.outcome, "opened") << other.log;
  EXPECT_NE(other.case_id, first.case_id);
}

// An out-of-office loop: the customer's autoresponder answers again and again. Each reply
// is on the record but is no contact, so the repeat-contact rule (3rd contact at a level)
// does not fire. (A control showing that three mails from the person herself escalate
// under the built-in policy is still missing: with `mailgate --db` and the built-in policy
// they did not escalate, which needs looking into.)
TEST_F(MailScenarioTest, AutoReplyLoopCountsNoContactAndEscalatesNothing) {
  const std::string sender = UniqueEmail("vacation");
  Gate first = Deliver(Mail(sender, "Subject: Wrong size delivered\r\nMessage-ID: <ooo-0@example.com>\r\n",
                            "I ordered a 42 and got a 38."));
  ASSERT_EQ(first.outcome, "opened") << first.log;
  for (int i = 1; i <= 4; ++i) {
    Gate loop = Deliver(Mail(sender,
                             "Subject: Auto: Re: Wrong size delivered\r\nAuto-Submitted: auto-replied\r\n"
                             "In-Reply-To: <ooo-0@example.com>\r\nMessage-ID: <ooo-" + std::to_string(i) +
                                 "@example.com>\r\n",
                             "I am out of the office until Monday."));
    ASSERT_EQ(loop.exit_code, 0) << loop.log;
    EXPECT_EQ(loop.case_id, first.case_id) << loop.log;
  }
  auto events = AllEvents(agent1().token, first.case_id);
  ASSERT_EQ(events.size(), 5u) << json::serialize(json::value_from(events));
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(Str(events[i], "/type"), "message_received");
    EXPECT_EQ(Str(events[i], "/data/mail_kind"), "auto_reply");
    EXPECT_EQ(At(events[i], "/data/counts_as_contact")->as_bool(), false);
  }
  EXPECT_EQ(Int(GetCase(agent1().token, first.case_id), "/level"), 1);

}

// A delivery status notification for a message of the case: a `delivery` event (bounced,
// with the recipient and the diagnostic), not a message from the customer.
TEST_F(MailScenarioTest, BounceBecomesADeliveryEventOnItsCase) {
  const std::string sender = UniqueEmail("bounced");
  Gate first = Deliver(Mail(sender, "Subject: Invoice copy\r\nMessage-ID: <bounce-orig@example.com>\r\n",
                            "Please send the invoice again."));
  ASSERT_EQ(first.outcome, "opened") << first.log;
  const std::string dsn =
      "From: MAILER-DAEMON@mx.example.net\r\nTo: " + std::string(kOurs) +
      "\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.example.net>\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; "
      "boundary=\"r\"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be "
      "delivered.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; "
      "mx.example.net\r\n\r\nFinal-Recipient: rfc822; " + sender +
      "\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\r\n"
      "\r\n--r\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: " + sender +
      "\r\nSubject: Invoice copy\r\nMessage-ID: <bounce-orig@example.com>\r\n\r\n--r--\r\n";
  Gate bounce = Deliver(dsn);
  ASSERT_EQ(bounce.exit_code, 0) << bounce.log;
  EXPECT_EQ(bounce.outcome, "delivery_report") << bounce.log;
  EXPECT_EQ(bounce.case_id, first.case_id);
  auto events = AllEvents(agent1().token, first.case_id);
  ASSERT_EQ(events.size(), 2u) << json::serialize(json::value_from(events));
  EXPECT_EQ(Str(events[1], "/type"), "delivery");
  EXPECT_EQ(Str(events[1], "/data/status"), "bounced");
  EXPECT_EQ(Str(events[1], "/data/recipients/0/status"), "5.2.2");
  EXPECT_NE(Str(events[1], "/data/detail").value_or("").find("mailbox full"), std::string::npos);
}

// A 20 MB video (27 MB as base64: over the default 25 MiB [mail] max_message_bytes). The
// MTA gets exit 0 (the original is stored whole, as evidence); the customer's text reaches
// the case; the attachment is listed with its name and "stored": false and the event says
// what was not read. The customer sees the same message in their case.
TEST_F(MailScenarioTest, TwentyMegabyteAttachmentOverTheLimitLosesNothing) {
  const std::string sender = UniqueEmail("video");
  std::string base64;
  base64.reserve(28'000'000);
  const std::string line(76, 'Q');
  while (base64.size() < 20'000'000 / 3 * 4) base64 += line + "\r\n";
  const std::string raw = Mail(
      sender,
      "Subject: Cracked screen video\r\nMessage-ID: <video-1@example.com>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"v\"\r\n",
      "--v\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe TV arrived with a cracked "
      "screen, video attached.\r\n--v\r\nContent-Type: video/mp4\r\nContent-Disposition: "
      "attachment; filename=\"unboxing.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
          base64 + "--v--");
  ASSERT_GT(raw.size(), size_t{25} << 20);
  Gate gate = Deliver(raw);
  ASSERT_EQ(gate.exit_code, 0) << gate.log;
  EXPECT_EQ(gate.outcome, "opened") << gate.log;
  EXPECT_NE(gate.log.find("max_message_bytes"), std::string::npos) << gate.log;

  auto events = AllEvents(agent1().token, gate.case_id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(Str(events[0], "/data/body").value_or("").find("cracked screen, video attached"),
            std::string::npos);
  EXPECT_EQ(Int(events[0], "/data/truncated/size"), static_cast<int64_t>(raw.size()));
  EXPECT_EQ(Str(events[0], "/data/attachments/0/filename"), "unboxing.mp4");
  EXPECT_EQ(At(events[0], "/data/attachments/0/stored")->as_bool(), false);
  const std::string customer = server().CustomerToken(CustomerOf(gate.case_id));
  auto seen = AllEvents(customer, gate.case_id);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(Str(seen[0], "/data/body").value_or("").find("cracked screen"), std::string::npos);
}

// threads.tsv through the product: every conversation, and every set of copies of one
// message, ends up in exactly one case, and two different ones never share a case. The
// messages go in per source in Date order, as a mailbox would have received them.
TEST_F(MailScenarioTest, EveryThreadOfTheCorpusLandsInOneCase) {
  ThreadTally tally;
  for (const ThreadMessage& m : CorpusThreadMessages()) {
    Gate gate = Deliver(m.bytes);
    ASSERT_EQ(gate.exit_code, 0) << m.name << ": " << gate.log;
    // A bounce for mail we never sent belongs to no case (docs/email.md, filing step 3).
    if (gate.outcome == "unattached") continue;
    ASSERT_NE(gate.case_id, 0) << m.name << ": " << gate.log;
    tally.Add(m, gate);
  }
  tally.ExpectOneCasePerThread();
  // What an agent reads over the API agrees: each case has one email event per message
  // filed into it.
  for (const auto& [case_id, filed] : tally.filed_in_case) {
    int emails = 0;
    for (const json::value& e : AllEvents(agent1().token, case_id)) {
      emails += Str(e, "/channel") == "email" &&
                (Str(e, "/type") == "message_received" || Str(e, "/type") == "case_opened");
    }
    EXPECT_EQ(emails, filed) << "case " << case_id;
  }
}

}  // namespace
}  // namespace redress::testing
