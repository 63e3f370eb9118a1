// Migrations and the libpq layer of the PostgreSQL backend, on a real throwaway database.
#include "store/postgres/migrations.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/postgres/postgres_store.h"
#include "store/postgres/test_database.h"

namespace redress::store::postgres {
namespace {

class PgMigrationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    auto conn = Connection::Open(db_.url());
    ASSERT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
  }

  testing::TestDatabase db_;
  std::unique_ptr<Connection> conn_;
  FakeClock clock_{Timestamp(std::chrono::seconds(1'800'000'000))};
};

TEST_F(PgMigrationsTest, FreshDatabaseReachesLatestVersionAndRecordsIt) {
  EXPECT_EQ(*SchemaVersion(*conn_), 0);
  auto migrated = Migrate(*conn_, clock_);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(*migrated, LatestSchemaVersion());
  auto rows = conn_->Query("SELECT version, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), LatestSchemaVersion());
  EXPECT_EQ(rows->Int64(0, 0), 1);
  EXPECT_EQ(rows->Int64(0, 1), clock_.Now().time_since_epoch().count());
  EXPECT_TRUE(RequireLatestSchema(*conn_));
}

TEST_F(PgMigrationsTest, MigratingTwiceChangesNothing) {
  ASSERT_TRUE(Migrate(*conn_, clock_));
  auto again = Migrate(*conn_, clock_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, LatestSchemaVersion());
  auto rows = conn_->Query("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->Int64(0, 0), LatestSchemaVersion());
}

TEST_F(PgMigrationsTest, NodesMigratingAtOnceApplyEachVersionOnce) {
  std::vector<std::thread> nodes;
  std::vector<Result<int>> results(4);
  for (size_t i = 0; i < results.size(); ++i) {
    nodes.emplace_back([&, i] {
      auto conn = Connection::Open(db_.url());
      if (!conn) {
        results[i] = Fail(conn.error());
        return;
      }
      results[i] = Migrate(**conn, clock_);
    });
  }
  for (std::thread& node : nodes) node.join();
  for (const Result<int>& result : results) {
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(*result, LatestSchemaVersion());
  }
  auto rows = conn_->Query("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->Int64(0, 0), LatestSchemaVersion());
}

TEST_F(PgMigrationsTest, NewerDatabaseIsRefusedAndLeftAlone) {
  ASSERT_TRUE(Migrate(*conn_, clock_));
  ASSERT_TRUE(conn_->Exec("INSERT INTO schema_migrations VALUES (999, 0)"));
  auto refused = Migrate(*conn_, clock_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(refused.error().message.find("newer than this binary"), std::string::npos);
  EXPECT_FALSE(PostgresStore::Open(db_.url()));
}

TEST_F(PgMigrationsTest, UnmigratedDatabaseNeedsMigrateWhenNotAllowedTo) {
  PostgresOptions options;
  options.migrate = false;
  auto opened = PostgresStore::Open(db_.url(), options);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(opened.error().message.find("redress migrate"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(*SchemaVersion(*conn_), 0) << "nothing may be created without migrate";
}

TEST_F(PgMigrationsTest, ConstraintViolationIsConflictWithTheServersText) {
  ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k text PRIMARY KEY)"));
  ASSERT_TRUE(conn_->Query("INSERT INTO t VALUES ($1)", Params().Text("a")));
  auto again = conn_->Query("INSERT INTO t VALUES ($1)", Params().Text("a"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(IsUniqueViolation(conn_->last_sqlstate())) << conn_->last_sqlstate();
  EXPECT_NE(again.error().message.find("duplicate key"), std::string::npos)
      << again.error().message;
  // The prepared statement is reused, NULLs and integers round-trip.
  auto rows = conn_->Query("SELECT $1::bigint, $2::bigint IS NULL",
                           Params().Int64(-9'000'000'000'000LL).Null());
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->Int64(0, 0), -9'000'000'000'000LL);
  EXPECT_TRUE(rows->Bool(0, 1));
}

TEST(PgConnectionTest, UnreachableServerIsUnavailable) {
  auto conn = Connection::Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(conn.error().message.find("cannot connect"), std::string::npos);
}

TEST(PgTestDatabaseTest, UrlGetsTheDatabaseNameReplaced) {
  EXPECT_EQ(testing::WithDatabase("postgresql://u:p@h:5432/postgres", "x"),
            "postgresql://u:p@h:5432/x");
  EXPECT_EQ(testing::WithDatabase("postgres://h", "x"), "postgres://h/x");
  EXPECT_EQ(testing::WithDatabase("postgres://h/db?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable");
}

}  // namespace
}  // namespace redress::store::postgres
