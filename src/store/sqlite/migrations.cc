#include "store/sqlite/migrations.h"

#include <array>
#include <string>

#include "store/sqlite/schema_v1.h"
#include "store/sqlite/schema_v10.h"
#include "store/sqlite/schema_v11.h"
#include "store/sqlite/schema_v2.h"
#include "store/sqlite/schema_v3.h"
#include "store/sqlite/schema_v4.h"
#include "store/sqlite/schema_v5.h"
#include "store/sqlite/schema_v6.h"
#include "store/sqlite/schema_v7.h"
#include "store/sqlite/schema_v8.h"
#include "store/sqlite/schema_v9.h"

namespace redress::store::sqlite {
namespace {

constexpr auto kMigrations = std::to_array<Migration>({
    {1, "initial schema", kSchemaV1},
    {2, "work queue", kSchemaV2},
    {3, "full-text search", kSchemaV3},
    {4, "case commitments", kSchemaV4},
    {5, "escalation settings, routing cursors, next due times", kSchemaV5},
    {6, "mail channel", kSchemaV6},
    {7, "outbox index by recipient", kSchemaV7},
    {8, "customer value tier", kSchemaV8},
    {9, "sign-in links; account mail in the outbox", kSchemaV9},
    {10, "uploaded attachments", kSchemaV10},
    {11, "deadline timers in the case rows", kSchemaV11},
});

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT";

Error TooNew(const Database& db, int version) {
  return Error{ErrorCode::kPreconditionFailed,
               "database " + db.path() + " has schema version " + std::to_string(version) +
                   ", newer than this binary supports (" +
                   std::to_string(LatestSchemaVersion()) +
                   "); upgrade redress instead of opening it with an older version",
               {}};
}

// Ends the open transaction and passes `error` on, noting a failed rollback too.
tl::unexpected<Error> Rollback(Database& db, Error error) {
  if (db.InTransaction()) {
    if (auto rolled_back = db.Exec("ROLLBACK"); !rolled_back) {
      error.message += " (and the rollback failed: " + rolled_back.error().message + ")";
    }
  }
  return Fail(std::move(error));
}

// Applies the migration after `current` inside the caller's transaction.
Result<void> ApplyNext(Database& db, int current, const Clock& clock) {
  const Migration& migration = kMigrations[static_cast<size_t>(current)];
  if (auto applied = db.Exec(migration.sql); !applied) {
    Error error = applied.error();
    error.message = "migration " + std::to_string(migration.version) + " (" +
                    std::string(migration.description) + ") failed: " + error.message;
    return Fail(std::move(error));
  }
  auto insert =
      db.Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)");
  if (!insert) return Fail(insert.error());
  (*insert)->BindInt64(1, migration.version);
  (*insert)->BindInt64(2, clock.Now().time_since_epoch().count());
  return (*insert)->Run();
}

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

Result<int> SchemaVersion(Database& db) {
  auto exists = db.Prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) return Fail(exists.error());
  auto row = (*exists)->Step();
  if (!row) return Fail(row.error());
  if (!*row || (*exists)->ColumnInt64(0) == 0) return 0;

  auto max = db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max) return Fail(max.error());
  row = (*max)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return 0;
  return static_cast<int>((*max)->ColumnInt64(0));
}

Result<int> Migrate(Database& db, const Clock& clock) {
  // Refuse a newer database before writing anything to it, not even the bootstrap table.
  auto before = SchemaVersion(db);
  if (!before) return Fail(before.error());
  if (*before > LatestSchemaVersion()) return Fail(TooNew(db, *before));

  if (auto created = db.Exec(kCreateMigrationsTable); !created) return Fail(created.error());
  for (;;) {
    // IMMEDIATE takes the write lock first, so a concurrent migrator waits here and then
    // sees the version this one left behind.
    if (auto begun = db.Exec("BEGIN IMMEDIATE"); !begun) return Fail(begun.error());
    auto current = SchemaVersion(db);
    if (!current) {
      return Rollback(db, current.error());
    }
    if (*current > LatestSchemaVersion()) {
      return Rollback(db, TooNew(db, *current));
    }
    if (*current == LatestSchemaVersion()) {
      if (auto committed = db.Exec("COMMIT"); !committed) return Fail(committed.error());
      return *current;
    }
    if (auto applied = ApplyNext(db, *current, clock); !applied) {
      return Rollback(db, applied.error());
    }
    if (auto committed = db.Exec("COMMIT"); !committed) {
      return Rollback(db, committed.error());
    }
  }
}

Result<void> RequireLatestSchema(Database& db) {
  auto version = SchemaVersion(db);
  if (!version) return Fail(version.error());
  if (*version > LatestSchemaVersion()) return Fail(TooNew(db, *version));
  if (*version < LatestSchemaVersion()) {
    return Fail(ErrorCode::kPreconditionFailed,
                "database " + db.path() + " has schema version " + std::to_string(*version) +
                    " but this binary needs version " + std::to_string(LatestSchemaVersion()) +
                    ": run `redress migrate`");
  }
  return {};
}

}  // namespace redress::store::sqlite
