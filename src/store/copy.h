// Moves a whole installation between the backends, the work behind
// `redress copy --from sqlite:PATH --to postgres://...` (and back, --from postgres://...
// --to sqlite:PATH).
//
// The two schemas are the same tables and columns by design (timestamps are integer
// microseconds in both), so the copy is row for row, ids, hashes, stored JSON and mail
// bytes included: a hash chain that verified before verifies after. store/copy_tables.h
// lists what is copied and what is not (and why). Everything is read from one snapshot of
// the source and written in one transaction on the target, so a failed copy leaves the
// target as empty as it was. The target must be empty (new, or freshly migrated); a copy
// never merges into a live database. Afterwards the target's ids continue after the
// highest copied ones, and the case id counter after the source's last handed-out id.
//
// Background work moves with the data: pending jobs (SLA deadlines, outbound mail) are
// copied as they are, and so are done ones, whose keys stay taken. A deadline that fired
// before the copy is on record (its event, its done job) and never fires again; one that
// had not fired is still pending and fires once on the target. A lease an old node held
// simply runs out, as if that node had died.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace redress::store {

/// One copied table: its rows and a digest of their values that does not depend on row
/// order (so both backends compute the same one), to compare source and target.
struct TableSummary {
  std::string table;
  int64_t rows = 0;
  std::string digest;  // hex
};

struct CopyReport {
  std::vector<TableSummary> tables;  // in copy order
  int64_t last_case_id = 0;
  int64_t Rows(const std::string& table) const;
};

/// Copies every row of the database at `from_url` (at the latest schema) into the empty
/// database at `to_url` (created and migrated if needed). URLs as `--db` takes them.
/// kPreconditionFailed if the target already holds data.
Result<CopyReport> CopyDatabase(const std::string& from_url, const std::string& to_url);

/// Rows and digest of every copied table at `url`, from one snapshot: after a copy, equal
/// to the CopyReport's tables table for table.
Result<std::vector<TableSummary>> SummarizeTables(const std::string& url);

}  // namespace redress::store
