// One-time sign-in links against a real SQLite store: a link is queued as account mail only
// for an address a customer holds, its secret (read back from the queued mail, as a person
// would from their inbox) signs that customer in once, and a used, expired or unknown
// link is refused with a sentence saying which.
#include "app/sign_in_links.h"

#include <gtest/gtest.h>

#include "domain/customer.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace redress::app {
namespace {

using store::testutil::T;

SignInLinkRequest ByEmail(const std::string& email) {
  SignInLinkRequest request;
  request.email = email;
  return request;
}

SignInLinkRequest ByStaff(int64_t customer_id) {
  SignInLinkRequest request;
  request.customer_id = customer_id;
  request.requested_by = "user:3";
  return request;
}

class SignInLinksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("links.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    mail_.addresses = {"support@acme.example"};
    mail_.from_name = "Acme Support";
    domain::NewCustomer input{"Asha Rao", {"asha@example.com"}, {}, {}};
    auto identities = domain::ValidateNewCustomer(input);
    ASSERT_TRUE(identities);
    asha_.name = "Asha Rao";
    asha_.identities = *identities;
    asha_.created_at = T(0);
    ASSERT_TRUE(store_->Write([&](store::WriteTx& tx) { return tx.InsertCustomer(asha_); }));
    domain::Customer phone_only;
    phone_only.name = "Phone Only";
    phone_only.identities = *domain::ValidateNewCustomer({"Phone Only", {}, {"+14155550100"}, {}});
    phone_only.created_at = T(0);
    ASSERT_TRUE(store_->Write([&](store::WriteTx& tx) { return tx.InsertCustomer(phone_only); }));
    phone_only_id_ = phone_only.id;
  }

  Result<SignInLinkQueued> Request(SignInLinkRequest request, Timestamp at) {
    request.public_url = "https://help.acme.example/";
    std::optional<Result<SignInLinkQueued>> result;
    auto written = store_->Write([&](store::WriteTx& tx) -> Result<void> {
      result = RequestSignInLink(tx, mail_, request, at);
      if (!*result) return Fail(result->error());
      return {};
    });
    if (!written) return Fail(written.error());
    return *result;
  }

  Result<int64_t> Redeem(const std::string& secret, Timestamp at) {
    std::optional<Result<int64_t>> result;
    auto written = store_->Write([&](store::WriteTx& tx) -> Result<void> {
      result = RedeemSignInLink(tx, secret, at);
      if (!*result) return Fail(result->error());
      return {};
    });
    if (!written) return Fail(written.error());
    return *result;
  }

  std::optional<store::OutboxEntry> Outbox(int64_t id) {
    std::optional<store::OutboxEntry> entry;
    EXPECT_TRUE(store_->Write([&](store::WriteTx& tx) -> Result<void> {
      auto got = tx.mail().GetOutbound(id);
      if (!got) return Fail(got.error());
      entry = *got;
      return {};
    }));
    return entry;
  }

  // The secret as the customer's mail client shows it: soft line breaks undone.
  static std::string SecretIn(std::string bytes) {
    for (size_t at; (at = bytes.find("=\r\n")) != std::string::npos;) bytes.erase(at, 3);
    const size_t at = bytes.find("/login/link#rdl_");
    if (at == std::string::npos) return {};
    return bytes.substr(at + 12, 4 + 43);
  }

  store::testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  MailConfig mail_;
  domain::Customer asha_;
  int64_t phone_only_id_ = 0;
};

TEST_F(SignInLinksTest, UnknownAddressQueuesNothing) {
  auto queued = Request(ByEmail("nobody@example.com"), T(10));
  ASSERT_TRUE(queued) << queued.error().message;
  EXPECT_TRUE(queued->sent_to.empty());
  EXPECT_EQ(queued->outbox_id, 0);
}

TEST_F(SignInLinksTest, KnownAddressQueuesAccountMailWhoseLinkSignsInOnce) {
  auto queued = Request(ByEmail("asha@example.com"), T(10));
  ASSERT_TRUE(queued) << queued.error().message;
  EXPECT_EQ(queued->sent_to, "asha@example.com");
  auto entry = Outbox(queued->outbox_id);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->case_id, 0);  // account mail: no case
  EXPECT_EQ(entry->purpose, "sign_in_link");
  EXPECT_EQ(entry->sender, "support@acme.example");
  EXPECT_EQ(entry->recipients, std::vector<std::string>{"asha@example.com"});
  EXPECT_NE(entry->bytes.find("Auto-Submitted: auto-generated"), std::string::npos);
  EXPECT_NE(entry->bytes.find("Subject: Your sign-in link"), std::string::npos);
  const std::string secret = SecretIn(entry->bytes);
  ASSERT_EQ(secret.size(), 47u) << entry->bytes;
  EXPECT_NE(entry->bytes.find("https://help.acme.example/login/link#"), std::string::npos);

  auto who = Redeem(secret, T(60));
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(*who, asha_.id);

  auto again = Redeem(secret, T(61));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(again.error().message.find("already used"), std::string::npos);
}

TEST_F(SignInLinksTest, TwoRequestsAreTwoMailsAndTwoLinks) {
  auto first = Request(ByEmail("asha@example.com"), T(10));
  auto second = Request(ByEmail("asha@example.com"), T(11));
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->outbox_id, second->outbox_id);
  EXPECT_NE(SecretIn(Outbox(first->outbox_id)->bytes), SecretIn(Outbox(second->outbox_id)->bytes));
}

TEST_F(SignInLinksTest, ACustomerGetsAFewLinksPerWindowAndNoMore) {
  for (int i = 0; i < kSignInLinksPerWindow; ++i) {
    auto sent = Request(ByEmail("asha@example.com"), T(10 + i));
    ASSERT_TRUE(sent) << sent.error().message;
    EXPECT_FALSE(sent->limited);
    EXPECT_NE(sent->outbox_id, 0);
  }
  // Someone typing Asha's address again and again floods nobody's inbox.
  auto flooded = Request(ByEmail("asha@example.com"), T(20));
  ASSERT_TRUE(flooded) << flooded.error().message;
  EXPECT_TRUE(flooded->limited);
  EXPECT_TRUE(flooded->sent_to.empty());
  EXPECT_EQ(flooded->outbox_id, 0);
  // Staff sending one from the customer's page are not limited.
  auto by_staff = Request(ByStaff(asha_.id), T(21));
  ASSERT_TRUE(by_staff) << by_staff.error().message;
  EXPECT_NE(by_staff->outbox_id, 0);
  // Once the window has moved past the first requests, the customer may ask again.
  auto later = Request(ByEmail("asha@example.com"), T(12) + kSignInLinkLifetime + std::chrono::seconds(1));
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_FALSE(later->limited);
  EXPECT_NE(later->outbox_id, 0);
}

TEST_F(SignInLinksTest, ExpiredAndUnknownLinksAreRefusedWithTheReason) {
  auto queued = Request(ByEmail("asha@example.com"), T(10));
  ASSERT_TRUE(queued);
  const std::string secret = SecretIn(Outbox(queued->outbox_id)->bytes);
  auto late = Redeem(secret, T(10) + kSignInLinkLifetime);
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("expired"), std::string::npos);

  auto forged = Redeem("rdl_" + std::string(43, 'A'), T(20));
  ASSERT_FALSE(forged);
  EXPECT_NE(forged.error().message.find("not valid"), std::string::npos);
  EXPECT_FALSE(Redeem("rds_not_a_link", T(20)));
}

TEST_F(SignInLinksTest, StaffSendToTheCustomersAddressAndNeedOne) {
  auto sent = Request(ByStaff(asha_.id), T(10));
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(sent->sent_to, "asha@example.com");
  auto none = Request(ByStaff(phone_only_id_), T(10));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kConflict);
}

TEST_F(SignInLinksTest, WithoutMailConfiguredNothingIsQueued) {
  mail_.addresses.clear();
  auto refused = Request(ByEmail("asha@example.com"), T(10));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace redress::app
