// Contract tests for the email channel's tables (store/mail_tx.h) on every backend: blobs
// byte for byte and once per hash, inbound dedupe by raw hash, the thread index, the
// outbox and mailbox cursors.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using testutil::T;

class StoreMailTest : public testutil::StoreWithCustomerTest {
 protected:
  int64_t NewCase(const char* status = "new") {
    int64_t id = 0;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto state = testutil::OpenTestCase(tx, customer_, [&](domain::CaseState& s) {
        s.status = *domain::ParseCaseStatus(status);
      });
      if (!state) return Fail(state.error());
      id = state->id;
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return id;
  }

  // Runs `fn` against the mail tables in one write.
  template <class Fn>
  void Mail(Fn fn) {
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      fn(tx.mail());
      return {};
    });
    ASSERT_TRUE(written) << written.error().message;
  }
};

TEST_P(StoreMailTest, BlobsKeepEveryByteAndAreStoredOnce) {
  std::string bytes("From: a@b\r\n\r\n\x00\xff\x80 body\r\n", 20);
  Mail([&](MailTx& mail) {
    auto first = mail.PutBlob("h1", bytes, T(1));
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_TRUE(*first);
    auto second = mail.PutBlob("h1", "different bytes", T(2));
    ASSERT_TRUE(second);
    EXPECT_FALSE(*second);
  });
  Mail([&](MailTx& mail) {
    auto read = mail.GetBlob("h1");
    ASSERT_TRUE(read && *read);
    EXPECT_EQ(**read, bytes);
    auto missing = mail.GetBlob("nope");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);
  });
}

TEST_P(StoreMailTest, InboundMessagesAreFoundByRawHashAndMessageId) {
  int64_t case_id = NewCase();
  Mail([&](MailTx& mail) {
    ASSERT_TRUE(mail.PutBlob("raw1", "raw one", T(1)));
    MailMessageRecord m;
    m.raw_sha256 = "raw1";
    m.size = 7;
    m.message_id = "abc@example.com";
    m.case_id = case_id;
    m.sender = "asha@example.com";
    m.subject_key = "refund";
    m.kind = "person";
    m.source = "mailgate";
    m.status = "stored";
    m.received_at = T(1);
    ASSERT_TRUE(mail.InsertMailMessage(m));
    EXPECT_GT(m.id, 0);
    ASSERT_TRUE(mail.PutBlob("att", "PDF", T(1)));
    ASSERT_TRUE(mail.InsertMailAttachment(
        MailAttachmentRecord{m.id, 0, "att", "bill.pdf", "application/pdf", "", false, 3}));
  });
  // The same raw bytes again are refused by the table (one inbound row per hash).
  auto again = store_->Write([&](WriteTx& tx) -> Result<void> {
    MailMessageRecord m;
    m.raw_sha256 = "raw1";
    m.status = "stored";
    return tx.mail().InsertMailMessage(m);
  });
  EXPECT_FALSE(again);
  Mail([&](MailTx& mail) {
    auto found = mail.FindInboundByRaw("raw1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->case_id, case_id);
    EXPECT_EQ((*found)->message_id, "abc@example.com");
    EXPECT_EQ((*found)->received_at, T(1));
    auto by_id = mail.CaseByInboundMessageId("abc@example.com");
    ASSERT_TRUE(by_id && *by_id);
    EXPECT_EQ(**by_id, case_id);
    auto attachments = mail.ListAttachments((*found)->id);
    ASSERT_TRUE(attachments);
    ASSERT_EQ(attachments->size(), 1u);
    EXPECT_EQ((*attachments)[0].filename, "bill.pdf");
    auto listed = mail.ListCaseMail(case_id);
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->size(), 1u);
    auto open = mail.OpenCasesBySenderSubject("asha@example.com", "refund");
    ASSERT_TRUE(open);
    EXPECT_EQ(*open, std::vector<int64_t>{case_id});
    auto other = mail.OpenCasesBySenderSubject("asha@example.com", "something else");
    ASSERT_TRUE(other);
    EXPECT_TRUE(other->empty());
  });
}

TEST_P(StoreMailTest, ClosedCasesAreNotOpenForSenderSubjectMatching) {
  int64_t closed = NewCase("closed");
  Mail([&](MailTx& mail) {
    ASSERT_TRUE(mail.PutBlob("r", "x", T(1)));
    MailMessageRecord m;
    m.raw_sha256 = "r";
    m.case_id = closed;
    m.sender = "asha@example.com";
    m.subject_key = "refund";
    m.status = "stored";
    ASSERT_TRUE(mail.InsertMailMessage(m));
    auto open = mail.OpenCasesBySenderSubject("asha@example.com", "refund");
    ASSERT_TRUE(open);
    EXPECT_TRUE(open->empty());
  });
}

TEST_P(StoreMailTest, ThreadIndexPrefersTheCaseThatOwnsTheMessage) {
  int64_t a = NewCase(), b = NewCase();
  Mail([&](MailTx& mail) {
    ASSERT_TRUE(mail.AddThreadId(a, "parent@x", false));  // a reply in a referenced it
    ASSERT_TRUE(mail.AddThreadId(b, "parent@x", true));   // b holds the message itself
    ASSERT_TRUE(mail.AddThreadId(b, "second@x", true));
    ASSERT_TRUE(mail.AddThreadId(b, "second@x", true));  // idempotent
    ASSERT_TRUE(mail.AddParticipant(a, "asha@example.com"));
    ASSERT_TRUE(mail.AddParticipant(a, "asha@example.com"));
  });
  Mail([&](MailTx& mail) {
    auto owner = mail.CaseByMessageId("parent@x");
    ASSERT_TRUE(owner && *owner);
    EXPECT_EQ(**owner, b);
    auto none = mail.CaseByMessageId("unknown@x");
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    auto ids = mail.CaseMessageIds(b);
    ASSERT_TRUE(ids);
    EXPECT_EQ(*ids, (std::vector<std::string>{"parent@x", "second@x"}));
    EXPECT_TRUE(*mail.IsParticipant(a, "asha@example.com"));
    EXPECT_FALSE(*mail.IsParticipant(b, "asha@example.com"));
  });
}

TEST_P(StoreMailTest, OutboxQueuesOncePerEventAndKeepsTheBytes) {
  int64_t case_id = NewCase();
  OutboxEntry entry;
  entry.case_id = case_id;
  entry.event_seq = 2;
  entry.purpose = "reply";
  entry.sender = "support@acme.example";
  entry.recipients = {"asha@example.com", "cc@example.com"};
  entry.message_id = "rd.c1-x.y@acme.example";
  entry.bytes = std::string("Subject: hi\r\n\r\n\xe2\x82\xac\r\n");
  entry.created_at = T(5);
  Mail([&](MailTx& mail) {
    auto queued = mail.EnqueueOutbound(entry);
    ASSERT_TRUE(queued) << queued.error().message;
    EXPECT_TRUE(*queued);
    OutboxEntry twice = entry;
    twice.id = 0;
    auto again = mail.EnqueueOutbound(twice);
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again);
    EXPECT_EQ(twice.id, entry.id);
  });
  Mail([&](MailTx& mail) {
    ASSERT_TRUE(mail.UpdateOutbound(entry.id, OutboxStatus::kSent, 2, "", T(9)));
    auto read = mail.GetOutbound(entry.id);
    ASSERT_TRUE(read && *read);
    EXPECT_EQ((*read)->bytes, entry.bytes);
    EXPECT_EQ((*read)->recipients, entry.recipients);
    EXPECT_EQ((*read)->status, OutboxStatus::kSent);
    EXPECT_EQ((*read)->attempts, 2);
    EXPECT_EQ((*read)->updated_at, T(9));
  });
  auto missing = store_->Write([&](WriteTx& tx) {
    return tx.mail().UpdateOutbound(entry.id + 100, OutboxStatus::kSent, 1, "", T(9));
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreMailTest, LastOutboundToFindsTheLatestMailForOneRecipientAndPurpose) {
  int64_t case_id = NewCase();
  auto queue = [&](int64_t seq, const std::string& purpose, std::vector<std::string> to,
                   Timestamp at) {
    OutboxEntry entry;
    entry.case_id = case_id;
    entry.event_seq = seq;
    entry.purpose = purpose;
    entry.sender = "support@acme.example";
    entry.recipients = std::move(to);
    entry.message_id = "rd.c1-x." + std::to_string(seq) + "@acme.example";
    entry.bytes = "Subject: hi\r\n\r\nhi\r\n";
    entry.created_at = at;
    Mail([&](MailTx& mail) { ASSERT_TRUE(mail.EnqueueOutbound(entry)); });
  };
  queue(1, "acknowledgement", {"asha@example.com"}, T(10));
  queue(2, "acknowledgement", {"asha@example.com"}, T(30));
  queue(3, "reply", {"asha@example.com"}, T(50));
  queue(4, "acknowledgement", {"asha@example.com", "cc@example.com"}, T(70));
  Mail([&](MailTx& mail) {
    auto last = mail.LastOutboundTo("acknowledgement", "asha@example.com");
    ASSERT_TRUE(last) << last.error().message;
    ASSERT_TRUE(*last);
    EXPECT_EQ(**last, T(30));  // not the reply at 50, not the two-recipient mail at 70
    auto reply = mail.LastOutboundTo("reply", "asha@example.com");
    ASSERT_TRUE(reply && *reply);
    EXPECT_EQ(**reply, T(50));
    auto stranger = mail.LastOutboundTo("acknowledgement", "ravi@example.com");
    ASSERT_TRUE(stranger);
    EXPECT_FALSE(*stranger);
  });
}

TEST_P(StoreMailTest, TwoNodesAskingAboutOneRecipientAtOnceAreSerialized) {
  // Node A finds no acknowledgement to Asha and queues one, but has not committed yet when
  // node B (another process on the same database) asks: B must wait and then see A's, or
  // both would acknowledge the same message.
  const int64_t case_id = NewCase();
  auto node_b = backend_->Open();
  ASSERT_TRUE(node_b) << node_b.error().message;
  std::promise<void> a_queued;
  std::optional<std::optional<Timestamp>> seen_by_b;
  std::thread b([&] {
    a_queued.get_future().wait();
    auto written = (*node_b)->Write([&](WriteTx& tx) -> Result<void> {
      auto last = tx.mail().LastOutboundTo("acknowledgement", "asha@example.com");
      if (!last) return Fail(last.error());
      seen_by_b = *last;
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
  });
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto last = tx.mail().LastOutboundTo("acknowledgement", "asha@example.com");
    if (!last) return Fail(last.error());
    EXPECT_FALSE(*last);
    OutboxEntry entry;
    entry.case_id = case_id;
    entry.event_seq = 1;
    entry.purpose = "acknowledgement";
    entry.sender = "support@acme.example";
    entry.recipients = {"asha@example.com"};
    entry.message_id = "rd.c1-x.1@acme.example";
    entry.bytes = "Subject: hi\r\n\r\nhi\r\n";
    entry.created_at = T(10);
    auto queued = tx.mail().EnqueueOutbound(entry);
    if (!queued) return Fail(queued.error());
    a_queued.set_value();
    // Give B time to ask while this transaction is still open.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;
  b.join();
  ASSERT_TRUE(seen_by_b.has_value());
  ASSERT_TRUE(seen_by_b->has_value()) << "node B did not see node A's acknowledgement";
  EXPECT_EQ(**seen_by_b, T(10));
}

TEST_P(StoreMailTest, MailboxCursorsPersistAcrossARestart) {
  Mail([&](MailTx& mail) {
    auto none = mail.GetMailboxCursor("support");
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    ASSERT_TRUE(mail.SetMailboxCursor("support", MailboxCursor{7, 41}, T(1)));
    ASSERT_TRUE(mail.SetMailboxCursor("support", MailboxCursor{7, 42}, T(2)));
  });
  store_.reset();
  auto reopened = backend_->Open();
  ASSERT_TRUE(reopened);
  store_ = std::move(*reopened);
  Mail([&](MailTx& mail) {
    auto cursor = mail.GetMailboxCursor("support");
    ASSERT_TRUE(cursor && *cursor);
    EXPECT_EQ((*cursor)->uidvalidity, 7);
    EXPECT_EQ((*cursor)->last_uid, 42);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreMailTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
