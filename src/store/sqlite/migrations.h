// Versioned schema changes for the SQLite backend. Each migration runs in its own
// transaction together with the schema_migrations row that records it, so a database is
// always exactly at one version. Running Migrate twice (or from two processes at once) is
// safe: the version is re-read under the write lock before each step.
#pragma once

#include <span>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "store/sqlite/sqlite_db.h"

namespace redress::store::sqlite {

struct Migration {
  int version = 0;  // 1, 2, 3, ... without gaps
  std::string_view description;
  std::string_view sql;
};

/// Every migration this binary knows, in version order.
std::span<const Migration> AllMigrations();

/// The schema version this binary was written for (the last migration's version).
int LatestSchemaVersion();

/// The version recorded in `db`; 0 for a database that was never migrated (including an
/// empty file).
Result<int> SchemaVersion(Database& db);

/// Brings `db` up to LatestSchemaVersion() and returns that version. A database whose
/// version is newer than this binary is refused (kPreconditionFailed) and left untouched:
/// an old binary must not write to a schema it does not understand. `clock` stamps
/// schema_migrations.applied_at.
Result<int> Migrate(Database& db, const Clock& clock);

/// Checks that `db` is exactly at LatestSchemaVersion() without changing it; the error for
/// an older database tells the operator to run `redress migrate`.
Result<void> RequireLatestSchema(Database& db);

}  // namespace redress::store::sqlite
