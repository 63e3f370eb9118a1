// OutboundMailReactor against a real SQLite store, with mail coming in through MailIntake
// and agents acting through CaseService: what is queued (and what never is), with which
// threading headers, and the acknowledgement window on a clock the test controls.
#include "app/outbound_mail_reactor.h"

#include <gtest/gtest.h>

#include "app/mail_intake.h"
#include "domain/case_commands.h"
#include "domain/escalation_commands.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace redress::app {
namespace {

using store::testutil::T;

class OutboundMailReactorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("mail.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    cases_.emplace(*store_);
    auto signer = email::ThreadTokenSigner::Create(std::string(32, 'k'));
    ASSERT_TRUE(signer);
    signer_.emplace(*signer);
    OutboundMailOptions options;
    options.from = email::Mailbox{"Acme Support", "support@acme.example"};
    options.own_addresses = {"support@acme.example"};
    options.acknowledge_window = std::chrono::hours(1);
    reactor_.emplace(*signer_, nullptr, options);
    cases_->AddReactor(*reactor_);
    MailIntakeOptions intake;
    intake.own_addresses = {"support@acme.example"};
    intake_.emplace(*cases_, *signer_, intake);
  }

  int64_t Ingest(const std::string& raw, int64_t at) {
    auto result = intake_->IngestNow(*store_, raw, MailSource{}, T(at));
    EXPECT_TRUE(result) << result.error().message;
    return result && result->case_id ? *result->case_id : 0;
  }

  /// Every outbox entry, in order.
  std::vector<store::OutboxEntry> Outbox() {
    std::vector<store::OutboxEntry> entries;
    auto read = store_->Write([&](store::WriteTx& tx) -> Result<void> {
      for (int64_t id = 1;; ++id) {
        auto entry = tx.mail().GetOutbound(id);
        if (!entry) return Fail(entry.error());
        if (!*entry) return {};
        entries.push_back(std::move(**entry));
      }
    });
    EXPECT_TRUE(read) << read.error().message;
    return entries;
  }

  /// The keys of the mail_send jobs due by `at` (claimed, so each is seen once).
  std::vector<std::string> DueSendJobs(int64_t at) {
    std::vector<std::string> keys;
    auto claimed = store_->Write([&](store::WriteTx& tx) -> Result<void> {
      auto jobs = tx.ClaimJobs(store::JobClaim{kMailSendJobKind, "test", T(at),
                                               std::chrono::seconds(60), 100});
      if (!jobs) return Fail(jobs.error());
      for (const auto& job : *jobs) keys.push_back(job.key);
      return {};
    });
    EXPECT_TRUE(claimed) << claimed.error().message;
    return keys;
  }

  void Apply(int64_t case_id, const Decision& decide, int64_t at) {
    auto applied = cases_->ApplyNow(*store_, agent_, case_id, decide, T(at));
    ASSERT_TRUE(applied) << applied.error().message;
  }

  store::testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::optional<CaseService> cases_;
  std::optional<email::ThreadTokenSigner> signer_;
  std::optional<OutboundMailReactor> reactor_;
  std::optional<MailIntake> intake_;
  domain::Principal agent_{domain::Role::kAgent, 1, "Priya", 1};
};

std::string Mail(const std::string& from, const std::string& headers) {
  return "From: Asha Rao <" + from + ">\r\nTo: support@acme.example\r\n" + headers +
         "\r\nMy refund is late.\r\n";
}

TEST_F(OutboundMailReactorTest, APersonIsAcknowledgedOncePerWindow) {
  const int64_t first =
      Ingest(Mail("asha@example.com", "Subject: Refund late\r\nMessage-ID: <m1@x>\r\n"), 10);
  ASSERT_GT(first, 0);
  std::vector<store::OutboxEntry> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);
  const store::OutboxEntry& ack = outbox[0];
  EXPECT_EQ(ack.purpose, "acknowledgement");
  EXPECT_EQ(ack.case_id, first);
  EXPECT_EQ(ack.recipients, std::vector<std::string>{"asha@example.com"});
  EXPECT_EQ(ack.sender, "support@acme.example");
  EXPECT_EQ(ack.message_id.rfind("rd.c" + std::to_string(first) + "-", 0), 0u);
  EXPECT_NE(ack.bytes.find("Auto-Submitted: auto-replied"), std::string::npos);
  EXPECT_NE(ack.bytes.find("In-Reply-To: <m1@x>"), std::string::npos) << ack.bytes;
  EXPECT_EQ(DueSendJobs(10), std::vector<std::string>{"outbox:" + std::to_string(ack.id)});

  // A second new problem 30 minutes later: a case of its own, no second acknowledgement.
  const int64_t second =
      Ingest(Mail("Asha@Example.com", "Subject: Another thing\r\nMessage-ID: <m2@x>\r\n"), 1810);
  EXPECT_NE(second, first);
  EXPECT_EQ(Outbox().size(), 1u);
  // After the hour, acknowledged again.
  const int64_t third =
      Ingest(Mail("asha@example.com", "Subject: A third thing\r\nMessage-ID: <m3@x>\r\n"), 3611);
  outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].case_id, third);
}

TEST_F(OutboundMailReactorTest, MachineMailIsNeverAcknowledged) {
  Ingest(Mail("vacation@example.com",
              "Subject: Out of office\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <a1@x>\r\n"),
         10);
  Ingest(Mail("news@example.com", "Subject: Weekly deals\r\nList-Id: <deals.example.com>\r\n"
                                  "Message-ID: <a2@x>\r\n"),
         20);
  Ingest(Mail("support@acme.example", "Subject: Loop\r\nMessage-ID: <a3@x>\r\n"), 30);
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(OutboundMailReactorTest, PublicRepliesAreQueuedInTheThreadAndNotesNever) {
  const int64_t case_id =
      Ingest(Mail("asha@example.com", "Subject: Refund late\r\nMessage-ID: <m1@x>\r\n"), 10);
  ASSERT_GT(case_id, 0);
  Apply(case_id,
        [&](const domain::CaseState& s) {
          return domain::AddNote(s, agent_, "She was rude on the phone (internal)", T(20));
        },
        20);
  std::vector<store::OutboxEntry> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 1u);  // the acknowledgement only
  Apply(case_id,
        [&](const domain::CaseState& s) {
          return domain::AddMessage(s, agent_, "Your refund left today.", domain::Channel::kWeb,
                                    T(30));
        },
        30);
  outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  const store::OutboxEntry& reply = outbox[1];
  EXPECT_EQ(reply.purpose, "reply");
  EXPECT_EQ(reply.recipients, std::vector<std::string>{"asha@example.com"});
  EXPECT_NE(reply.bytes.find("Your refund left today."), std::string::npos);
  EXPECT_EQ(reply.bytes.find("internal"), std::string::npos);
  EXPECT_EQ(reply.bytes.find("Auto-Submitted"), std::string::npos);
  EXPECT_NE(reply.bytes.find("In-Reply-To: <m1@x>"), std::string::npos) << reply.bytes;
  // References: the customer's message and our acknowledgement before this reply.
  EXPECT_NE(reply.bytes.find("<" + outbox[0].message_id + ">"), std::string::npos);
  EXPECT_NE(reply.bytes.find("[Redress #" + std::to_string(case_id) + "]"), std::string::npos);
  EXPECT_EQ(DueSendJobs(30).size(), 2u);
}

TEST_F(OutboundMailReactorTest, RepliesCopyEveryoneTheCustomerWroteToOrCopied) {
  // Asha writes to us and to her bank, copying her husband and (by mistake) our other
  // address; a second message of the thread adds her lawyer.
  const int64_t case_id = Ingest(
      "From: Asha Rao <asha@example.com>\r\nTo: support@acme.example, disputes@bank.example\r\n"
      "Cc: Ravi <RAVI@example.com>, support@acme.example\r\nSubject: Refund late\r\n"
      "Message-ID: <m1@x>\r\n\r\nMy refund is late.\r\n",
      10);
  ASSERT_GT(case_id, 0);
  EXPECT_EQ(Ingest("From: Asha Rao <asha@example.com>\r\nTo: support@acme.example\r\n"
                   "Cc: lawyer@law.example\r\nSubject: Re: Refund late\r\n"
                   "In-Reply-To: <m1@x>\r\nMessage-ID: <m2@x>\r\n\r\nStill nothing.\r\n",
                   15),
            case_id);
  Apply(
      case_id,
      [&](const domain::CaseState& s) {
        return domain::AddMessage(s, agent_, "Your refund left today.", domain::Channel::kWeb,
                                  T(30));
      },
      30);
  const std::vector<store::OutboxEntry> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);  // the acknowledgement, then the reply
  EXPECT_EQ(outbox[0].recipients, std::vector<std::string>{"asha@example.com"});
  const store::OutboxEntry& reply = outbox[1];
  EXPECT_EQ(reply.purpose, "reply");
  EXPECT_EQ(reply.recipients, (std::vector<std::string>{"asha@example.com", "disputes@bank.example",
                                                        "lawyer@law.example", "ravi@example.com"}));
  // The Cc header with its continuation lines, if folded.
  const size_t start = reply.bytes.find("\r\nCc: ");
  ASSERT_NE(start, std::string::npos) << reply.bytes;
  size_t end = start + 2;
  do {
    end = reply.bytes.find("\r\n", end) + 2;
  } while (reply.bytes[end] == ' ' || reply.bytes[end] == '\t');
  const std::string cc = reply.bytes.substr(start + 2, end - start - 2);
  for (const char* copied : {"disputes@bank.example", "lawyer@law.example", "ravi@example.com"}) {
    EXPECT_NE(cc.find(copied), std::string::npos) << copied << " missing from " << cc;
  }
  EXPECT_EQ(cc.find("support@acme.example"), std::string::npos)
      << "our own address is never copied: " << cc;
}

TEST_F(OutboundMailReactorTest, EscalationNoticeSaysLevelAndOwner) {
  const int64_t case_id =
      Ingest(Mail("asha@example.com", "Subject: Refund late\r\nMessage-ID: <m1@x>\r\n"), 10);
  ASSERT_GT(case_id, 0);
  domain::EscalateInput input;
  input.trigger = domain::EscalationTrigger::kManual;
  input.to_level = 2;
  input.to_level_name = "L2 Escalations";
  input.owner_id = 3;
  input.owner_name = "Mei";
  input.reason = "Refund overdue";
  Apply(case_id,
        [&](const domain::CaseState& s) { return domain::Escalate(s, agent_, input, T(40)); }, 40);
  std::vector<store::OutboxEntry> outbox = Outbox();
  ASSERT_EQ(outbox.size(), 2u);
  EXPECT_EQ(outbox[1].purpose, "escalation_notice");
  EXPECT_NE(outbox[1].bytes.find("L2 Escalations"), std::string::npos) << outbox[1].bytes;
  EXPECT_NE(outbox[1].bytes.find("Mei"), std::string::npos);
  EXPECT_NE(outbox[1].bytes.find("Auto-Submitted: auto-replied"), std::string::npos);
}

}  // namespace
}  // namespace redress::app
