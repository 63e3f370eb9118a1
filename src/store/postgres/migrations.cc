#include "store/postgres/migrations.h"

#include <array>
#include <string>

#include "store/postgres/schema_v1.h"
#include "store/postgres/schema_v10.h"
#include "store/postgres/schema_v11.h"
#include "store/postgres/schema_v2.h"
#include "store/postgres/schema_v3.h"
#include "store/postgres/schema_v4.h"
#include "store/postgres/schema_v5.h"
#include "store/postgres/schema_v6.h"
#include "store/postgres/schema_v7.h"
#include "store/postgres/schema_v8.h"
#include "store/postgres/schema_v9.h"

namespace redress::store::postgres {
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

// Any fixed number: it names the one lock every migrating node queues on.
constexpr std::string_view kLockMigrations = "SELECT pg_advisory_xact_lock(7245501)";

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, applied_at bigint NOT NULL)";

Error TooNew(int version) {
  return Error{ErrorCode::kPreconditionFailed,
               "the database has schema version " + std::to_string(version) +
                   ", newer than this binary supports (" + std::to_string(LatestSchemaVersion()) +
                   "); upgrade redress instead of opening it with an older version",
               {}};
}

tl::unexpected<Error> Rollback(Connection& conn, Error error) {
  if (auto rolled_back = conn.Exec("ROLLBACK"); !rolled_back) {
    error.message += " (and the rollback failed: " + rolled_back.error().message + ")";
  }
  return Fail(std::move(error));
}

Result<void> ApplyNext(Connection& conn, int current, const Clock& clock) {
  const Migration& migration = kMigrations[static_cast<size_t>(current)];
  if (auto applied = conn.Exec(migration.sql); !applied) {
    Error error = applied.error();
    error.message = "migration " + std::to_string(migration.version) + " (" +
                    std::string(migration.description) + ") failed: " + error.message;
    return Fail(std::move(error));
  }
  auto recorded =
      conn.Query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                 Params().Int64(migration.version).Int64(clock.Now().time_since_epoch().count()));
  if (!recorded) return Fail(recorded.error());
  return {};
}

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

Result<int> SchemaVersion(Connection& conn) {
  auto exists = conn.Query("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists) return Fail(exists.error());
  if (!exists->Bool(0, 0)) return 0;
  auto max = conn.Query("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max) return Fail(max.error());
  return static_cast<int>(max->Int64(0, 0));
}

Result<int> Migrate(Connection& conn, const Clock& clock) {
  auto before = SchemaVersion(conn);
  if (!before) return Fail(before.error());
  if (*before > LatestSchemaVersion()) return Fail(TooNew(*before));

  for (;;) {
    if (auto begun = conn.Exec("BEGIN"); !begun) return Fail(begun.error());
    // The lock comes before creating the bookkeeping table: two nodes racing on a fresh
    // database would otherwise both try to create it.
    if (auto locked = conn.Exec(kLockMigrations); !locked) return Rollback(conn, locked.error());
    if (auto created = conn.Exec(kCreateMigrationsTable); !created) {
      return Rollback(conn, created.error());
    }
    auto current = SchemaVersion(conn);
    if (!current) return Rollback(conn, current.error());
    if (*current > LatestSchemaVersion()) return Rollback(conn, TooNew(*current));
    if (*current == LatestSchemaVersion()) {
      if (auto committed = conn.Exec("COMMIT"); !committed) return Fail(committed.error());
      return *current;
    }
    if (auto applied = ApplyNext(conn, *current, clock); !applied) {
      return Rollback(conn, applied.error());
    }
    if (auto committed = conn.Exec("COMMIT"); !committed) return Fail(committed.error());
  }
}

Result<void> RequireLatestSchema(Connection& conn) {
  auto version = SchemaVersion(conn);
  if (!version) return Fail(version.error());
  if (*version > LatestSchemaVersion()) return Fail(TooNew(*version));
  if (*version < LatestSchemaVersion()) {
    return Fail(ErrorCode::kPreconditionFailed,
                "the database has schema version " + std::to_string(*version) +
                    " but this binary needs version " + std::to_string(LatestSchemaVersion()) +
                    ": run `redress migrate`");
  }
  return {};
}

}  // namespace redress::store::postgres
