// One side of `redress copy`, either backend: read from one snapshot, or written in one
// transaction. Rows travel in one neutral form so that neither side knows the other's
// dialect: integers in decimal, booleans as "0"/"1", text and bytes as they are, NULL as
// nullopt (store/copy_tables.h has each column's type).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/copy_tables.h"

namespace redress::store {

using CopyRow = std::vector<std::optional<std::string>>;
using RowVisitor = std::function<Result<void>(const CopyRow&)>;

class CopyEndpoint {
 public:
  virtual ~CopyEndpoint() = default;

  // ---- reading, between BeginRead and EndRead: one consistent snapshot
  virtual Result<void> BeginRead() = 0;
  virtual Result<void> ForEachRow(const CopiedTable& table, const RowVisitor& visit) = 0;
  /// The last case id handed out (counter or sequence), used or not: 0 if none.
  virtual Result<int64_t> LastCaseId() = 0;
  virtual void EndRead() = 0;

  // ---- writing, between BeginWrite and Commit/Rollback: one transaction
  virtual Result<void> BeginWrite() = 0;
  virtual Result<int64_t> CountRows(const CopiedTable& table) = 0;
  /// May hold rows back to send them together; EndTable sends the rest. Errors name the
  /// row (or the rows of a batch) of this table that failed.
  virtual Result<void> Insert(const CopiedTable& table, const CopyRow& row) = 0;
  virtual Result<void> EndTable(const CopiedTable& table) = 0;
  /// Makes new case ids start after `last_case_id` and new identity ids after the highest
  /// copied one.
  virtual Result<void> ContinueIds(int64_t last_case_id) = 0;
  virtual Result<void> Commit() = 0;
  virtual Result<void> Rollback() = 0;
};

enum class EndpointRole {
  kSource,  // must exist at the latest schema; never written
  kTarget,  // created if missing and migrated to the latest schema
};

/// `url` as `--db` takes it: postgres:// or postgresql:// for PostgreSQL, else a SQLite
/// path (optionally "sqlite:PATH").
Result<std::unique_ptr<CopyEndpoint>> OpenCopyEndpoint(const std::string& url, EndpointRole role);

// The two implementations (copy_sqlite.cc, copy_postgres.cc).
Result<std::unique_ptr<CopyEndpoint>> OpenSqliteCopyEndpoint(const std::string& path,
                                                             EndpointRole role);
Result<std::unique_ptr<CopyEndpoint>> OpenPostgresCopyEndpoint(const std::string& url,
                                                               EndpointRole role);

}  // namespace redress::store
