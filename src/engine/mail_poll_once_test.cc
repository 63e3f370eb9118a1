// PollMailboxOnce against a real Dovecot and a real SQLite store: a backlog of several
// chunks is filed once, marked with one command per chunk and passed by the cursor; a poll
// cut short by max_messages leaves the rest for the next poll; a poll after a crash that
// came between the store and the cursor files nothing twice.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/mail_intake.h"
#include "channels/email/transport/dovecot_folder_fixture.h"
#include "engine/mail_poll_job.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace redress::engine {
namespace {

using email::transport::MarkMode;

class PollMailboxOnceTest : public email::transport::DovecotFolderTest {
 protected:
  void SetUp() override {
    DovecotFolderTest::SetUp();
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("poll.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    cases_.emplace(*store_);
    auto signer = email::ThreadTokenSigner::Create(std::string(32, 'k'));
    ASSERT_TRUE(signer);
    signer_.emplace(*signer);
    intake_.emplace(*cases_, *signer_, app::MailIntakeOptions{{"support@acme.example"}});
    box_.name = "support";
  }

  static std::string Mail(int n) {
    return "From: Customer " + std::to_string(n) + " <c" + std::to_string(n) +
           "@example.com>\r\nTo: support@acme.example\r\nSubject: Parcel " + std::to_string(n) +
           " is late\r\nMessage-ID: <parcel-" + std::to_string(n) +
           "@example.com>\r\n\r\nWhere is it?\r\n";
  }

  void AppendMails(int from, int to) {
    std::vector<std::string> mails;
    for (int n = from; n <= to; ++n) mails.push_back(Mail(n));
    auto appended = peer().Append(folder_, mails);
    ASSERT_TRUE(appended) << appended.error().message;
  }

  email::transport::ImapMailbox Mailbox(MarkMode mark = MarkMode::kFlagSeen) {
    email::transport::ImapMailboxConfig config = PlainConfig();
    config.mark = mark;
    config.processed_folder = folder_ + "-done";
    auto mailbox = email::transport::ImapMailbox::Open(config);
    EXPECT_TRUE(mailbox) << mailbox.error().message;
    return std::move(*mailbox);
  }

  Result<MailPollReport> Poll(email::transport::ImapMailbox& mailbox, int max_messages) {
    return PollMailboxOnce(
        *store_, *intake_, box_, mailbox, clock_, max_messages, [] { return true; },
        [&](uint32_t uid, const app::IntakeResult& r) { seen_[uid].push_back(r); });
  }

  int64_t Cursor() {
    int64_t last = -1;
    auto read = store_->Write([&](store::WriteTx& tx) -> Result<void> {
      auto got = tx.mail().GetMailboxCursor(box_.name);
      if (!got) return Fail(got.error());
      last = *got ? (*got)->last_uid : 0;
      return {};
    });
    EXPECT_TRUE(read) << read.error().message;
    return last;
  }

  int64_t Cases() {
    auto stats = store_->Stats();
    EXPECT_TRUE(stats) << stats.error().message;
    return stats ? stats->cases : -1;
  }

  store::testutil::TempDir dir_;
  FakeClock clock_{store::testutil::T(1)};
  std::unique_ptr<store::Store> store_;
  std::optional<app::CaseService> cases_;
  std::optional<email::ThreadTokenSigner> signer_;
  std::optional<app::MailIntake> intake_;
  app::MailboxConfig box_;
  std::map<uint32_t, std::vector<app::IntakeResult>> seen_;  // by UID, every outcome heard
};

TEST_F(PollMailboxOnceTest, ABacklogOfSeveralChunksIsFiledOnceMarkedAndPassed) {
  const int backlog = static_cast<int>(2 * kMailPollChunk + 7);  // three chunks
  AppendMails(1, backlog);
  auto mailbox = Mailbox(MarkMode::kMoveToFolder);
  auto polled = Poll(mailbox, 1000);
  ASSERT_TRUE(polled) << polled.error().message;
  EXPECT_EQ(polled->fetched, backlog);
  EXPECT_EQ(polled->filed, backlog);
  EXPECT_EQ(polled->duplicates, 0);
  EXPECT_FALSE(polled->more);
  EXPECT_EQ(Cursor(), backlog);
  EXPECT_EQ(Cases(), backlog);
  ASSERT_EQ(seen_.size(), static_cast<size_t>(backlog));
  for (const auto& [uid, outcomes] : seen_) {
    ASSERT_EQ(outcomes.size(), 1u) << "UID " << uid;
    EXPECT_EQ(outcomes[0].outcome, app::IntakeOutcome::kOpened) << "UID " << uid;
  }
  // Every message was moved out of the folder: the marks of all three chunks happened.
  auto left = peer().Command("", "STATUS " + folder_ + " (MESSAGES)");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_NE(left->find("MESSAGES 0"), std::string::npos) << *left;
  auto moved = peer().Command("", "STATUS " + folder_ + "-done (MESSAGES)");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_NE(moved->find("MESSAGES " + std::to_string(backlog)), std::string::npos) << *moved;
}

TEST_F(PollMailboxOnceTest, APollCutShortLeavesTheRestForTheNextOne) {
  const int backlog = static_cast<int>(kMailPollChunk + 10);
  AppendMails(1, backlog);
  auto mailbox = Mailbox();
  auto first = Poll(mailbox, static_cast<int>(kMailPollChunk) + 3);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->more);
  EXPECT_EQ(first->filed, static_cast<int>(kMailPollChunk) + 3);
  EXPECT_EQ(Cursor(), static_cast<int64_t>(kMailPollChunk) + 3);

  auto second = Poll(mailbox, 1000);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(second->more);
  EXPECT_EQ(second->filed, 7);
  EXPECT_EQ(second->duplicates, 0);
  EXPECT_EQ(Cursor(), backlog);
  EXPECT_EQ(Cases(), backlog);
}

TEST_F(PollMailboxOnceTest, AfterACrashBeforeTheCursorWasSavedNothingIsFiledTwice) {
  AppendMails(1, 5);
  auto mailbox = Mailbox();
  ASSERT_TRUE(Poll(mailbox, 1000));
  ASSERT_EQ(Cases(), 5);
  // The crash: the messages are stored (and marked), but the cursor never moved.
  auto reset = store_->Write([&](store::WriteTx& tx) {
    return tx.mail().SetMailboxCursor(box_.name, store::MailboxCursor{0, 0}, clock_.Now());
  });
  ASSERT_TRUE(reset) << reset.error().message;
  AppendMails(6, 6);

  auto again = Poll(mailbox, 1000);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->fetched, 6);
  EXPECT_EQ(again->duplicates, 5);
  EXPECT_EQ(again->filed, 1);
  EXPECT_EQ(Cases(), 6);
  EXPECT_EQ(Cursor(), 6);
}

}  // namespace
}  // namespace redress::engine
