// Migrations and the libpq layer of the PostgreSQL backend, on a real throwaway database.
#include "store/postgres/migrations.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/postgres/postgres_store.h"
#include "store/postgres/test_database.h"

namespace redress::store::postgres {
namespace {

class PgMigrationsTest : public testing::ConnectedTest {
 protected:
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

TEST_F(PgMigrationsTest, Version11TurnsEachCasesPendingDeadlineJobsIntoItsTimer) {
  // A database at version 10, as an older binary left it.
  ASSERT_TRUE(
      conn_->Exec("CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
                  " applied_at bigint NOT NULL)"));
  for (const Migration& migration : AllMigrations()) {
    if (migration.version > 10) break;
    ASSERT_TRUE(conn_->Exec(migration.sql)) << migration.version;
    ASSERT_TRUE(conn_->Exec("INSERT INTO schema_migrations VALUES (" +
                            std::to_string(migration.version) + ", 0)"));
  }
  ASSERT_TRUE(conn_->Exec("INSERT INTO customers (id, name, created_at) VALUES (1, 'Asha', 0)"));
  for (int id : {1, 2, 3}) {
    ASSERT_TRUE(conn_->Exec(
        "INSERT INTO cases (id, customer_id, subject, status, priority, level, channel,"
        " opened_at, updated_at, customer_messages, staff_replies, internal_notes, transfers,"
        " last_seq, head_hash) VALUES (" +
        std::to_string(id) + ", 1, 's', 'open', 'normal', 1, 'web', 0, 0, 1, 0, 0, 0, 1, 'h')"));
  }
  // Case 1: a stale job (its deadline moved later) and the current one; the earliest wins.
  // Case 2: its deadline fired already (done). Case 3: nothing. A mail job stays.
  ASSERT_TRUE(
      conn_->Exec("INSERT INTO jobs (kind, key, due_at, payload, state, created_at) VALUES"
                  " ('sla_deadline', 'case:1@500', 500, '{\"case_id\":1}', 'pending', 0),"
                  " ('sla_deadline', 'case:1@900', 900, '{\"case_id\":1}', 'pending', 0),"
                  " ('sla_deadline', 'case:2@100', 100, '{\"case_id\":2}', 'done', 0),"
                  " ('mail_send', 'outbox:7', 100, '{\"outbox_id\":7}', 'pending', 0)"));

  auto migrated = Migrate(*conn_, clock_);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_EQ(*migrated, LatestSchemaVersion());
  auto count = [&](const std::string& sql) {
    auto rows = conn_->Query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->Int64(0, 0) : -1;
  };
  EXPECT_EQ(count("SELECT timer_at FROM cases WHERE id = 1"), 500);
  EXPECT_EQ(count("SELECT count(*) FROM cases WHERE timer_at IS NULL"), 2);
  EXPECT_EQ(count("SELECT sum(timer_failures) FROM cases"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'sla_deadline'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'mail_send'"), 1);
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
