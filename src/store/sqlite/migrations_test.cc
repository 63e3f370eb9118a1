#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

using testutil::TempDir;

std::unique_ptr<Database> OpenFile(const std::string& path) {
  auto db = Database::Open(path, Database::Mode::kReadWriteCreate, 1000);
  EXPECT_TRUE(db) << db.error().message;
  return db ? std::move(*db) : nullptr;
}

int64_t QueryInt(Database& db, const std::string& sql) {
  auto s = db.Prepare(sql);
  EXPECT_TRUE(s) << s.error().message;
  if (!s) return -1;
  auto row = (*s)->Step();
  EXPECT_TRUE(row && *row);
  return (*s)->ColumnInt64(0);
}

TEST(MigrationsTest, FreshDatabaseReachesLatestVersion) {
  TempDir dir;
  auto db = OpenFile(dir.File("fresh.db"));
  ASSERT_TRUE(db);
  EXPECT_EQ(*SchemaVersion(*db), 0);

  FakeClock clock(testutil::T(42));
  auto version = Migrate(*db, clock);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(*SchemaVersion(*db), LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(AllMigrations().size()));
  EXPECT_EQ(QueryInt(*db, "SELECT applied_at FROM schema_migrations WHERE version = 1"),
            clock.Now().time_since_epoch().count());
  for (const char* table : {"customers", "customer_identities", "users", "api_tokens",
                            "sessions", "idempotency", "counters", "events", "cases",
                            "mail_blobs", "mail_messages", "mail_attachments", "mail_thread_ids",
                            "mail_participants", "mail_outbox", "mail_mailboxes", "sign_in_links"}) {
    EXPECT_EQ(QueryInt(*db, std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") +
                                table + "'"),
              1)
        << table;
  }
  EXPECT_EQ(QueryInt(*db, "SELECT value FROM counters WHERE name = 'case_id'"), 0);
  EXPECT_TRUE(RequireLatestSchema(*db));
}

TEST(MigrationsTest, MigratingTwiceChangesNothing) {
  TempDir dir;
  auto db = OpenFile(dir.File("twice.db"));
  ASSERT_TRUE(db);
  FakeClock clock(testutil::T(1));
  ASSERT_TRUE(Migrate(*db, clock));
  clock.Advance(std::chrono::hours(1));
  auto again = Migrate(*db, clock);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(AllMigrations().size()));
  // The original stamp stays: nothing was re-applied.
  EXPECT_EQ(QueryInt(*db, "SELECT max(applied_at) FROM schema_migrations"),
            testutil::T(1).time_since_epoch().count());
}

TEST(MigrationsTest, Version11TurnsEachCasesPendingDeadlineJobsIntoItsTimer) {
  TempDir dir;
  auto db = OpenFile(dir.File("v10.db"));
  ASSERT_TRUE(db);
  // A database at version 10, as an older binary left it.
  ASSERT_TRUE(
      db->Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
               " applied_at INTEGER NOT NULL) STRICT"));
  for (const Migration& migration : AllMigrations()) {
    if (migration.version > 10) break;
    ASSERT_TRUE(db->Exec(migration.sql)) << migration.version;
    ASSERT_TRUE(db->Exec("INSERT INTO schema_migrations VALUES (" +
                         std::to_string(migration.version) + ", 0)"));
  }
  ASSERT_TRUE(db->Exec("INSERT INTO customers (id, name, created_at) VALUES (1, 'Asha', 0)"));
  for (int id : {1, 2, 3}) {
    ASSERT_TRUE(db->Exec(
        "INSERT INTO cases (id, customer_id, subject, status, priority, level, channel,"
        " opened_at, updated_at, customer_messages, staff_replies, internal_notes, transfers,"
        " last_seq, head_hash) VALUES (" +
        std::to_string(id) + ", 1, 's', 'open', 'normal', 1, 'web', 0, 0, 1, 0, 0, 0, 1, 'h')"));
  }
  // Case 1: a stale job (its deadline moved later) and the current one; the earliest wins.
  // Case 2: its deadline fired already (done). Case 3: nothing. A mail job stays.
  ASSERT_TRUE(
      db->Exec("INSERT INTO jobs (kind, key, due_at, payload, state, created_at) VALUES"
               " ('sla_deadline', 'case:1@500', 500, '{\"case_id\":1}', 'pending', 0),"
               " ('sla_deadline', 'case:1@900', 900, '{\"case_id\":1}', 'pending', 0),"
               " ('sla_deadline', 'case:2@100', 100, '{\"case_id\":2}', 'done', 0),"
               " ('mail_send', 'outbox:7', 100, '{\"outbox_id\":7}', 'pending', 0)"));

  FakeClock clock(testutil::T(1));
  auto version = Migrate(*db, clock);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(QueryInt(*db, "SELECT timer_at FROM cases WHERE id = 1"), 500);
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM cases WHERE timer_at IS NULL"), 2);
  EXPECT_EQ(QueryInt(*db, "SELECT sum(timer_failures) FROM cases"), 0);
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM jobs WHERE kind = 'sla_deadline'"), 0);
  EXPECT_EQ(QueryInt(*db, "SELECT count(*) FROM jobs WHERE kind = 'mail_send'"), 1);
}

TEST(MigrationsTest, NewerDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.File("newer.db");
  {
    auto db = OpenFile(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(Migrate(*db, SystemClock()));
    ASSERT_TRUE(db->Exec("INSERT INTO schema_migrations VALUES (99, 0)"));
    auto refused = Migrate(*db, SystemClock());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kPreconditionFailed);
    EXPECT_NE(refused.error().message.find("schema version 99"), std::string::npos)
        << refused.error().message;
    EXPECT_FALSE(db->InTransaction());
    EXPECT_FALSE(RequireLatestSchema(*db));
  }
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(store.error().message.find("newer than this binary"), std::string::npos)
      << store.error().message;
}

TEST(MigrationsTest, UnmigratedDatabaseNeedsMigrateWhenNotAllowedTo) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  SqliteOptions no_migrate;
  no_migrate.migrate = false;

  auto missing = SqliteStore::Open(path, no_migrate);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("run `redress migrate`"), std::string::npos)
      << missing.error().message;
  EXPECT_FALSE(std::filesystem::exists(path)) << "refusing must not create the file";

  { ASSERT_TRUE(OpenFile(path)); }  // an empty database file
  auto empty = SqliteStore::Open(path, no_migrate);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(empty.error().message.find("run `redress migrate`"), std::string::npos)
      << empty.error().message;

  auto version = MigrateSqlite(path);
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, LatestSchemaVersion());
  auto store = SqliteStore::Open(path, no_migrate);
  EXPECT_TRUE(store) << store.error().message;
}

TEST(MigrationsTest, MissingDirectoryIsAClearError) {
  TempDir dir;
  const std::string path = dir.File("no/such/dir/redress.db");
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(store.error().message.find("does not exist"), std::string::npos)
      << store.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir.File("no")));
  EXPECT_FALSE(MigrateSqlite(path));
}

TEST(MigrationsTest, StoreOpensInWalMode) {
  TempDir dir;
  const std::string path = dir.File("wal.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store) << store.error().message;
  auto db = OpenFile(path);
  ASSERT_TRUE(db);
  auto mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode);
  ASSERT_TRUE(*(*mode)->Step());
  EXPECT_EQ((*mode)->ColumnText(0), "wal");
}

}  // namespace
}  // namespace redress::store::sqlite
