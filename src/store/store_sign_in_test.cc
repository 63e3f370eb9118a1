// Contract tests on every backend for one-time sign-in links (store.h) and the account mail
// they send: a link is found by its hash and can be used once; account mail has no case,
// is never de-duplicated against other account mail, and ChannelStatus counts the outbox.
#include <gtest/gtest.h>

#include <string>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using testutil::T;

class StoreSignInTest : public testutil::StoreWithCustomerTest {
 protected:
  template <class Fn>
  void InWrite(Fn fn) {
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      fn(tx);
      return {};
    });
    ASSERT_TRUE(written) << written.error().message;
  }
};

TEST_P(StoreSignInTest, ALinkIsFoundByItsHashAndUsedOnce) {
  SignInLink link;
  link.token_hash = std::string(64, 'a');
  link.customer_id = customer_;
  link.email = "asha@example.com";
  link.requested_by = "customer";
  link.created_at = T(100);
  link.expires_at = T(1000);
  InWrite([&](WriteTx& tx) { ASSERT_TRUE(tx.InsertSignInLink(link)); });
  EXPECT_GT(link.id, 0);
  InWrite([&](WriteTx& tx) {
    EXPECT_EQ(tx.CountSignInLinks(customer_, T(100)).value_or(-1), 1);
    EXPECT_EQ(tx.CountSignInLinks(customer_, T(101)).value_or(-1), 0);
    EXPECT_EQ(tx.CountSignInLinks(customer_ + 1, T(0)).value_or(-1), 0);
  });

  InWrite([&](WriteTx& tx) {
    auto found = tx.FindSignInLink(std::string(64, 'a'));
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->customer_id, customer_);
    EXPECT_EQ((*found)->email, "asha@example.com");
    EXPECT_EQ((*found)->expires_at, T(1000));
    EXPECT_FALSE((*found)->used_at);
    auto missing = tx.FindSignInLink(std::string(64, 'b'));
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);

    auto first = tx.UseSignInLink(link.id, T(200));
    ASSERT_TRUE(first);
    EXPECT_TRUE(*first);
    auto second = tx.UseSignInLink(link.id, T(201));
    ASSERT_TRUE(second);
    EXPECT_FALSE(*second);
    auto used = tx.FindSignInLink(std::string(64, 'a'));
    ASSERT_TRUE(used && *used && (*used)->used_at);
    EXPECT_EQ(*(*used)->used_at, T(200));
  });
}

TEST_P(StoreSignInTest, AccountMailHasNoCaseAndIsNeverDeduplicated) {
  int64_t first_id = 0;
  InWrite([&](WriteTx& tx) {
    for (int i = 0; i < 2; ++i) {
      OutboxEntry entry;
      entry.case_id = 0;
      entry.event_seq = 7;  // the same key twice: account mail is still queued twice
      entry.purpose = "sign_in_link";
      entry.sender = "support@acme.example";
      entry.recipients = {"asha@example.com"};
      entry.message_id = "account." + std::to_string(i) + "@acme.example";
      entry.bytes = "Subject: x\r\n\r\nbody\r\n";
      entry.created_at = T(10);
      entry.updated_at = T(10);
      auto queued = tx.mail().EnqueueOutbound(entry);
      ASSERT_TRUE(queued) << queued.error().message;
      EXPECT_TRUE(*queued);
      if (i == 0) first_id = entry.id;
    }
    auto stored = tx.mail().GetOutbound(first_id);
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ((*stored)->case_id, 0);
    EXPECT_EQ((*stored)->purpose, "sign_in_link");

    auto status = tx.mail().ChannelStatus();
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(status->outbox_queued, 2);
    EXPECT_EQ(status->outbox_failed, 0);
    EXPECT_TRUE(status->mailboxes.empty());
    EXPECT_FALSE(status->last_inbound_at);

    ASSERT_TRUE(tx.mail().UpdateOutbound(first_id, OutboxStatus::kFailed, 1, "550 no", T(20)));
    ASSERT_TRUE(tx.mail().SetMailboxCursor("support", MailboxCursor{7, 42}, T(30)));
    auto after = tx.mail().ChannelStatus();
    ASSERT_TRUE(after);
    EXPECT_EQ(after->outbox_queued, 1);
    EXPECT_EQ(after->outbox_failed, 1);
    ASSERT_EQ(after->mailboxes.size(), 1u);
    EXPECT_EQ(after->mailboxes[0].name, "support");
    EXPECT_EQ(after->mailboxes[0].cursor.last_uid, 42);
    EXPECT_EQ(after->mailboxes[0].updated_at, T(30));
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSignInTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
