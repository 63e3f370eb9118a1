// Versioned schema changes for the PostgreSQL backend, the same mechanism as the SQLite
// one: each migration runs in its own transaction together with the schema_migrations row
// that records it (PostgreSQL DDL is transactional), so a database is always at exactly
// one version. Several nodes may start at once: each step first takes a transaction-level
// advisory lock, then re-reads the version, so only one of them applies it.
//
// Adding version 2: write schema_v2.h (e.g. `ALTER TABLE cases ADD COLUMN ...`) and append
// {2, "...", kSchemaV2} to kMigrations in migrations.cc; nothing else changes.
#pragma once

#include <span>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "store/postgres/pg_conn.h"

namespace redress::store::postgres {

struct Migration {
  int version = 0;  // 1, 2, 3, ... without gaps
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> AllMigrations();
int LatestSchemaVersion();

/// The version recorded in the database; 0 for one that was never migrated.
Result<int> SchemaVersion(Connection& conn);

/// Brings the database up to LatestSchemaVersion() and returns that version. A database
/// newer than this binary is refused (kPreconditionFailed) and left untouched.
Result<int> Migrate(Connection& conn, const Clock& clock);

/// Checks the database is exactly at LatestSchemaVersion() without changing it.
Result<void> RequireLatestSchema(Connection& conn);

}  // namespace redress::store::postgres
