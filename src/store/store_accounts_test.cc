// Contract tests, run on every backend: customers, users, credentials and idempotency
// records through the Store interface.

#include <gtest/gtest.h>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::Identity;
using domain::IdentityKind;
using testutil::T;

class AccountsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto store = backend_->Open();
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  std::unique_ptr<testutil::TestBackend> backend_ = testutil::MakeBackend(GetParam());
  std::unique_ptr<Store> store_;
};

TEST_P(AccountsTest, CustomerRoundTripKeepsIdentitiesInOrder) {
  domain::Customer asha;
  asha.name = "Asha Rao";
  asha.created_at = T(10);
  asha.identities = {
      Identity{IdentityKind::kPhone, "+919812345678", false},
      Identity{IdentityKind::kEmail, "asha@example.com", true},
      Identity{IdentityKind::kSocial, "x:ashar", false},
  };
  auto written = store_->Write([&](WriteTx& tx) { return tx.InsertCustomer(asha); });
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_GT(asha.id, 0);

  auto read = store_->GetCustomer(asha.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->id, asha.id);
  EXPECT_EQ(read->name, "Asha Rao");
  EXPECT_EQ(read->created_at, T(10));
  EXPECT_EQ(read->identities, asha.identities);

  auto by_phone = store_->FindCustomerByIdentity(IdentityKind::kPhone, "+919812345678");
  ASSERT_TRUE(by_phone);
  ASSERT_TRUE(*by_phone);
  EXPECT_EQ((*by_phone)->id, asha.id);
  // Kind matters: the same text under another kind is a different identity.
  auto wrong_kind = store_->FindCustomerByIdentity(IdentityKind::kEmail, "+919812345678");
  ASSERT_TRUE(wrong_kind);
  EXPECT_FALSE(*wrong_kind);

  auto missing = store_->GetCustomer(asha.id + 1);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(AccountsTest, IdentityHeldByAnotherCustomerIsConflictNamingThem) {
  const int64_t first = testutil::AddCustomer(*store_, "Asha", "asha@example.com");
  domain::Customer second = testutil::MakeCustomer("Someone", "other@example.com");
  second.identities.push_back(Identity{IdentityKind::kEmail, "asha@example.com", false});
  auto written = store_->Write([&](WriteTx& tx) { return tx.InsertCustomer(second); });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kConflict);
  EXPECT_EQ(written.error().message,
            "email asha@example.com already belongs to customer " + std::to_string(first));
  EXPECT_EQ(store_->Stats()->customers, 1);
  auto other = store_->FindCustomerByIdentity(IdentityKind::kEmail, "other@example.com");
  ASSERT_TRUE(other);
  EXPECT_FALSE(*other);

  domain::Customer twice = testutil::MakeCustomer("Twice", "t@example.com");
  twice.identities.push_back(twice.identities.front());
  written = store_->Write([&](WriteTx& tx) { return tx.InsertCustomer(twice); });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(AccountsTest, CustomerTierIsStoredReadInTheWriteAndCleared) {
  domain::Customer asha = testutil::MakeCustomer("Asha", "asha@example.com");
  asha.tier = "gold";
  ASSERT_TRUE(store_->Write([&](WriteTx& tx) { return tx.InsertCustomer(asha); }));
  auto read = store_->GetCustomer(asha.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->tier, "gold");

  std::string seen;
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto set = tx.SetCustomerTier(asha.id, "vip"); !set) return set;
    auto tier = tx.LoadCustomerTier(asha.id);  // the write sees its own change
    if (!tier) return Fail(tier.error());
    seen = *tier;
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(seen, "vip");
  EXPECT_EQ(store_->GetCustomer(asha.id)->tier, "vip");

  ASSERT_TRUE(store_->Write([&](WriteTx& tx) { return tx.SetCustomerTier(asha.id, ""); }));
  EXPECT_EQ(store_->GetCustomer(asha.id)->tier, "");

  auto missing = store_->Write([&](WriteTx& tx) { return tx.SetCustomerTier(asha.id + 99, "vip"); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto unknown = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto tier = tx.LoadCustomerTier(asha.id + 99);
    if (!tier) return Fail(tier.error());
    return {};
  });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(AccountsTest, CustomerLoginByEmail) {
  const int64_t id = testutil::AddCustomer(*store_, "Asha", "asha@example.com");
  auto login = store_->FindCustomerLogin("asha@example.com");
  ASSERT_TRUE(login) << login.error().message;
  ASSERT_TRUE(*login);
  EXPECT_EQ((*login)->first.id, id);
  EXPECT_EQ((*login)->second, "");  // no password set yet

  auto set =
      store_->Write([&](WriteTx& tx) { return tx.SetCustomerPassword(id, "$argon2id$v=19$hash"); });
  ASSERT_TRUE(set) << set.error().message;
  login = store_->FindCustomerLogin("asha@example.com");
  ASSERT_TRUE(login && *login);
  EXPECT_EQ((*login)->second, "$argon2id$v=19$hash");
  EXPECT_EQ((*login)->first.Emails(), std::vector<std::string>{"asha@example.com"});

  auto nobody = store_->FindCustomerLogin("nobody@example.com");
  ASSERT_TRUE(nobody);
  EXPECT_FALSE(*nobody);
  auto no_customer = store_->Write([&](WriteTx& tx) { return tx.SetCustomerPassword(99, "h"); });
  ASSERT_FALSE(no_customer);
  EXPECT_EQ(no_customer.error().code, ErrorCode::kNotFound);
}

TEST_P(AccountsTest, UsersRoundTripAndEmailIsUnique) {
  domain::User meera{0,    "meera@shop.example", "Meera", domain::Role::kSupervisor, 2,
                     true, "$argon2id$x",        T(3)};
  domain::User ravi{0, "ravi@shop.example", "Ravi", domain::Role::kAgent, 1, false, "", T(4)};
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto r = tx.InsertUser(meera); !r) return r;
    return tx.InsertUser(ravi);
  });
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_NE(meera.id, ravi.id);

  auto read = store_->GetUser(meera.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->email, meera.email);
  EXPECT_EQ(read->display_name, "Meera");
  EXPECT_EQ(read->role, domain::Role::kSupervisor);
  EXPECT_EQ(read->level, 2);
  EXPECT_TRUE(read->active);
  EXPECT_EQ(read->password_hash, "$argon2id$x");
  EXPECT_EQ(read->created_at, T(3));

  auto by_email = store_->FindUserByEmail("ravi@shop.example");
  ASSERT_TRUE(by_email && *by_email);
  EXPECT_EQ((*by_email)->id, ravi.id);
  EXPECT_FALSE((*by_email)->active);
  EXPECT_FALSE(*store_->FindUserByEmail("nobody@shop.example"));

  auto users = store_->ListUsers();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].id, meera.id);
  EXPECT_EQ((*users)[1].id, ravi.id);

  domain::User copy = ravi;
  auto duplicate = store_->Write([&](WriteTx& tx) { return tx.InsertUser(copy); });
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_NE(duplicate.error().message.find("ravi@shop.example"), std::string::npos);

  domain::User customer_role{0, "c@shop.example", "C", domain::Role::kCustomer, 1, true, "", T(1)};
  auto bad_role = store_->Write([&](WriteTx& tx) { return tx.InsertUser(customer_role); });
  ASSERT_FALSE(bad_role);
  EXPECT_EQ(bad_role.error().code, ErrorCode::kInvalidArgument);

  EXPECT_EQ(store_->GetUser(999).error().code, ErrorCode::kNotFound);
}

TEST_P(AccountsTest, ApiTokensAndSessionsRoundTrip) {
  domain::ApiToken forever{
      std::string(64, 'a'), {domain::Role::kAdmin, 1}, "ci", T(1), std::nullopt};
  domain::ApiToken expiring{std::string(64, 'b'), {domain::Role::kCustomer, 5}, "", T(2), T(100)};
  domain::Session session{std::string(64, 'c'),
                          {domain::Role::kAgent, 2},
                          "csrf-123",
                          T(3),
                          T(-10)};  // already expired: returned anyway, the caller decides
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto r = tx.InsertApiToken(forever); !r) return r;
    if (auto r = tx.InsertApiToken(expiring); !r) return r;
    return tx.InsertSession(session);
  });
  ASSERT_TRUE(written) << written.error().message;

  auto t1 = store_->FindApiToken(forever.token_hash);
  ASSERT_TRUE(t1 && *t1);
  EXPECT_EQ((*t1)->owner.role, domain::Role::kAdmin);
  EXPECT_EQ((*t1)->owner.id, 1);
  EXPECT_EQ((*t1)->label, "ci");
  EXPECT_EQ((*t1)->created_at, T(1));
  EXPECT_FALSE((*t1)->expires_at);
  auto t2 = store_->FindApiToken(expiring.token_hash);
  ASSERT_TRUE(t2 && *t2);
  EXPECT_EQ((*t2)->owner.role, domain::Role::kCustomer);
  EXPECT_EQ((*t2)->expires_at, T(100));
  EXPECT_FALSE(*store_->FindApiToken(std::string(64, 'z')));

  auto s = store_->FindSession(session.session_hash);
  ASSERT_TRUE(s && *s);
  EXPECT_EQ((*s)->owner.role, domain::Role::kAgent);
  EXPECT_EQ((*s)->owner.id, 2);
  EXPECT_EQ((*s)->csrf_token, "csrf-123");
  EXPECT_EQ((*s)->created_at, T(3));
  EXPECT_EQ((*s)->expires_at, T(-10));

  auto duplicate = store_->Write([&](WriteTx& tx) { return tx.InsertApiToken(forever); });
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);

  for (int i = 0; i < 2; ++i) {  // deleting twice is fine
    auto deleted =
        store_->Write([&](WriteTx& tx) { return tx.DeleteSession(session.session_hash); });
    ASSERT_TRUE(deleted) << deleted.error().message;
  }
  EXPECT_FALSE(*store_->FindSession(session.session_hash));
}

TEST_P(AccountsTest, IdempotencyRecordRoundTrip) {
  IdempotencyRecord record{
      "user:7",          "key-1", std::string(64, 'f'), 201, "{\"case\":{\"id\":1}}",
      "/api/v1/cases/1", T(9)};
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto found = tx.FindIdempotency(record.scope, record.key);
    if (!found) return Fail(found.error());
    EXPECT_FALSE(*found);
    if (auto r = tx.InsertIdempotency(record); !r) return r;
    // Visible to the same transaction at once.
    found = tx.FindIdempotency(record.scope, record.key);
    if (!found) return Fail(found.error());
    EXPECT_TRUE(*found);
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;

  auto read = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto found = tx.FindIdempotency("user:7", "key-1");
    if (!found) return Fail(found.error());
    EXPECT_TRUE(*found);
    if (!*found) return {};
    const IdempotencyRecord& r = **found;
    EXPECT_EQ(r.scope, record.scope);
    EXPECT_EQ(r.key, record.key);
    EXPECT_EQ(r.fingerprint, record.fingerprint);
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.body, record.body);
    EXPECT_EQ(r.location, record.location);
    EXPECT_EQ(r.created_at, T(9));
    // Same key, other principal: a different record.
    auto other = tx.FindIdempotency("customer:7", "key-1");
    if (!other) return Fail(other.error());
    EXPECT_FALSE(*other);
    return {};
  });
  ASSERT_TRUE(read) << read.error().message;

  auto again = store_->Write([&](WriteTx& tx) { return tx.InsertIdempotency(record); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
