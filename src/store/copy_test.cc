// `redress copy`'s engine: every table moves from a real SQLite file to a real PostgreSQL
// database row for row, ids and hashes included, and the target continues the id
// sequences. (tests in src/cli check the same with real hash chains and verify.)
#include "store/copy.h"

#include <gtest/gtest.h>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::CaseState;
using testutil::T;

class CopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = sqlite::SqliteStore::Open(source_path_);
    ASSERT_TRUE(store) << store.error().message;
    source_ = std::move(*store);
  }

  // Opens a case with `extra` more events in one write.
  CaseState OpenCase(int64_t customer, int extra) {
    CaseState state;
    auto written = source_->Write([&](WriteTx& tx) -> Result<void> {
      auto opened = testutil::OpenTestCase(tx, customer);
      if (!opened) return Fail(opened.error());
      state = *opened;
      for (int i = 0; i < extra; ++i) {
        auto next = testutil::AppendTestEvents(
            tx, state, {i % 2 ? domain::Visibility::kInternal : domain::Visibility::kPublic});
        if (!next) return Fail(next.error());
        state = *next;
      }
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return state;
  }

  testutil::TempDir dir_;
  std::string source_path_ = dir_.File("source.db");
  std::unique_ptr<sqlite::SqliteStore> source_;
  postgres::testing::TestDatabase target_db_;
};

TEST_F(CopyTest, EveryTableArrivesIdenticalAndSequencesContinue) {
  const int64_t asha = testutil::AddCustomer(*source_, "Asha", "asha@example.com");
  domain::Customer ravi = testutil::MakeCustomer("Ravi", "ravi@example.com");
  ravi.identities.push_back({domain::IdentityKind::kPhone, "+4915112345678", false});
  ASSERT_TRUE(source_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto r = tx.InsertCustomer(ravi); !r) return r;
    return tx.SetCustomerPassword(ravi.id, "argon2id$ravi");
  }));
  domain::User agent{0,    "meera@shop.example", "Meera", domain::Role::kAgent, 2,
                     true, "argon2id$meera",     T(3)};
  domain::User retired{0, "old@shop.example", "Old", domain::Role::kSupervisor, 3, false, "", T(4)};
  domain::ApiToken token{std::string(64, 'a'), {domain::Role::kAdmin, 1}, "ci", T(1), T(99)};
  domain::ApiToken forever{
      std::string(64, 'b'), {domain::Role::kCustomer, 1}, "", T(2), std::nullopt};
  domain::Session session{std::string(64, 'c'), {domain::Role::kAgent, 1}, "csrf", T(3), T(9)};
  IdempotencyRecord record{"user:1",          "k-1", std::string(64, 'f'), 201, "{\"ok\":true}",
                           "/api/v1/cases/1", T(5)};
  ASSERT_TRUE(source_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto r = tx.InsertUser(agent); !r) return r;
    if (auto r = tx.InsertUser(retired); !r) return r;
    if (auto r = tx.InsertApiToken(token); !r) return r;
    if (auto r = tx.InsertApiToken(forever); !r) return r;
    if (auto r = tx.InsertSession(session); !r) return r;
    if (auto r = tx.ScheduleJob(JobSpec{"sla_deadline", "case-1", T(50), "{\"case\":1}"}); !r) {
      return Fail(r.error());
    }
    return tx.InsertIdempotency(record);
  }));
  CaseState first = OpenCase(asha, 4);
  CaseState second = OpenCase(ravi.id, 0);
  CaseState third = OpenCase(asha, 2);
  // A case id handed out but never used (its write failed after NextCaseId): the target
  // must not hand it out again either.
  ASSERT_TRUE(source_->Write(
      [&](WriteTx& tx) -> Result<void> { return tx.NextCaseId().map([](int64_t) {}); }));

  auto report = CopySqliteToPostgres(source_path_, target_db_.url());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->Rows("customers"), 2);
  EXPECT_EQ(report->Rows("customer_identities"), 3);
  EXPECT_EQ(report->Rows("users"), 2);
  EXPECT_EQ(report->Rows("api_tokens"), 2);
  EXPECT_EQ(report->Rows("sessions"), 1);
  EXPECT_EQ(report->Rows("idempotency"), 1);
  EXPECT_EQ(report->Rows("cases"), 3);
  EXPECT_EQ(report->Rows("events"), 5 + 1 + 3);
  EXPECT_EQ(report->Rows("jobs"), 1);

  auto opened = postgres::PostgresStore::Open(target_db_.url());
  ASSERT_TRUE(opened) << opened.error().message;
  Store& target = **opened;
  for (const CaseState& c : {first, second, third}) {
    EXPECT_EQ(*target.GetCase(c.id), c);
    EXPECT_EQ(*target.LoadEvents(c.id), *source_->LoadEvents(c.id));
  }
  for (int64_t id : {asha, ravi.id}) {
    auto copied = target.GetCustomer(id);
    auto original = source_->GetCustomer(id);
    ASSERT_TRUE(copied && original);
    EXPECT_EQ(copied->name, original->name);
    EXPECT_EQ(copied->created_at, original->created_at);
    EXPECT_EQ(copied->identities, original->identities);
  }
  auto login = target.FindCustomerLogin("ravi@example.com");
  ASSERT_TRUE(login && *login);
  EXPECT_EQ((*login)->second, "argon2id$ravi");
  auto users = target.ListUsers();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  for (const domain::User* want : {&agent, &retired}) {
    auto got = target.GetUser(want->id);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->email, want->email);
    EXPECT_EQ(got->role, want->role);
    EXPECT_EQ(got->level, want->level);
    EXPECT_EQ(got->active, want->active);
    EXPECT_EQ(got->password_hash, want->password_hash);
    EXPECT_EQ(got->created_at, want->created_at);
  }
  EXPECT_EQ((*target.FindApiToken(token.token_hash))->expires_at, T(99));
  EXPECT_FALSE((*target.FindApiToken(forever.token_hash))->expires_at);
  EXPECT_EQ((*target.FindSession(session.session_hash))->csrf_token, "csrf");

  // New rows continue after the copied ones instead of colliding with them.
  ASSERT_TRUE(target.Write([&](WriteTx& tx) -> Result<void> {
    auto stored = tx.FindIdempotency("user:1", "k-1");
    if (!stored) return Fail(stored.error());
    EXPECT_TRUE(*stored && (*stored)->body == record.body);
    auto id = tx.NextCaseId();
    if (!id) return Fail(id.error());
    EXPECT_EQ(*id, third.id + 2);
    // The pending job came along, still due, with its key still taken.
    auto again = tx.ScheduleJob(JobSpec{"sla_deadline", "case-1", T(60), "{}"});
    if (!again) return Fail(again.error());
    EXPECT_FALSE(*again);
    auto jobs = tx.ClaimJobs(JobClaim{"sla_deadline", "n", T(100), std::chrono::seconds(5), 5});
    if (!jobs) return Fail(jobs.error());
    EXPECT_EQ(jobs->size(), 1u);
    if (jobs->size() == 1) {
      EXPECT_EQ(jobs->front().payload, "{\"case\":1}");
    }
    auto fresh = tx.ScheduleJob(JobSpec{"sla_deadline", "case-2", T(60), "{}"});
    if (!fresh) return Fail(fresh.error());
    EXPECT_TRUE(*fresh) << "the jobs id sequence must continue after the copied ids";
    return {};
  }));
  const int64_t next_customer = testutil::AddCustomer(target, "New", "new@example.com");
  EXPECT_EQ(next_customer, ravi.id + 1);
  domain::User newcomer{0, "new@shop.example", "New", domain::Role::kAgent, 1, true, "", T(6)};
  ASSERT_TRUE(target.Write([&](WriteTx& tx) { return tx.InsertUser(newcomer); }));
  EXPECT_EQ(newcomer.id, retired.id + 1);
}

TEST_F(CopyTest, NonEmptyTargetIsRefusedAndKeepsItsData) {
  testutil::AddCustomer(*source_, "Asha", "asha@example.com");
  {
    auto target = postgres::PostgresStore::Open(target_db_.url());
    ASSERT_TRUE(target) << target.error().message;
    testutil::AddCustomer(**target, "Already", "here@example.com");
  }
  auto report = CopySqliteToPostgres(source_path_, target_db_.url());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(report.error().message.find("not empty"), std::string::npos);
  auto target = postgres::PostgresStore::Open(target_db_.url());
  ASSERT_TRUE(target);
  EXPECT_EQ(target->get()->Stats()->customers, 1);
  EXPECT_EQ(target->get()->GetCustomer(1)->name, "Already");
}

TEST_F(CopyTest, SourceMustExistAndBeMigrated) {
  auto missing = CopySqliteToPostgres(dir_.File("nope.db"), target_db_.url());
  ASSERT_FALSE(missing);
  auto report = CopySqliteToPostgres(source_path_, "postgresql://nobody@127.0.0.1:1/x");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace redress::store
