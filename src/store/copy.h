// Moves an installation from the embedded SQLite backend to PostgreSQL, the work behind
// `redress copy --from sqlite:PATH --to postgres://...`.
//
// The two schemas are the same tables and columns by design (timestamps are integer
// microseconds in both), so the copy is row for row, ids, hashes and stored JSON included:
// a hash chain that verified before verifies after. Everything is read from one SQLite
// snapshot and written in one PostgreSQL transaction, so a failed copy leaves the target
// as empty as it was. The target must be empty (freshly migrated or brand new); a copy
// never merges into a live database. Afterwards the id sequences continue after the
// highest copied id.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace redress::store {

struct CopyReport {
  /// Rows copied per table, in copy order.
  std::vector<std::pair<std::string, int64_t>> tables;
  int64_t Rows(const std::string& table) const;
};

/// Copies every row of the SQLite database at `sqlite_path` (which must be at the latest
/// schema) into the PostgreSQL database at `postgres_url` (migrated here if needed).
/// kPreconditionFailed if the target already holds data.
Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path,
                                        const std::string& postgres_url);

}  // namespace redress::store
