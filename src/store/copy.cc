#include "store/copy.h"

#include <sodium.h>

#include <array>
#include <cstring>
#include <memory>

#include "core/hex.h"
#include "store/copy_endpoint.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/migrations.h"

namespace redress::store {
namespace {

// An order-independent digest: the sum, lane by lane, of every row's SHA-256. Each value
// is length-prefixed and NULL is distinct from "", so no two different rows hash alike.
class TableDigest {
 public:
  void Add(const CopyRow& row) {
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    for (const auto& value : row) {
      const unsigned char present = value ? 1 : 0;
      crypto_hash_sha256_update(&state, &present, 1);
      if (!value) continue;
      const uint64_t size = value->size();
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(&size),
                                sizeof size);
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(value->data()),
                                value->size());
    }
    std::array<unsigned char, crypto_hash_sha256_BYTES> hash;
    crypto_hash_sha256_final(&state, hash.data());
    for (size_t lane = 0; lane < lanes_.size(); ++lane) {
      uint64_t part = 0;
      std::memcpy(&part, hash.data() + lane * sizeof part, sizeof part);
      lanes_[lane] += part;
    }
    ++rows_;
  }

  TableSummary Summary(std::string_view table) const {
    return TableSummary{std::string(table), rows_,
                        EncodeHex(std::string_view(reinterpret_cast<const char*>(lanes_.data()),
                                                   sizeof lanes_))};
  }

 private:
  std::array<uint64_t, 4> lanes_{};
  int64_t rows_ = 0;
};

// Reads every row of `table` into a digest, handing each row to `also` as well.
Result<TableSummary> ReadTable(CopyEndpoint& source, const CopiedTable& table,
                               const RowVisitor& also) {
  TableDigest digest;
  auto read = source.ForEachRow(table, [&](const CopyRow& row) -> Result<void> {
    digest.Add(row);
    return also(row);
  });
  if (!read) return Fail(read.error());
  return digest.Summary(table.name);
}

Result<void> RequireEmpty(CopyEndpoint& target) {
  int64_t total = 0;
  for (const CopiedTable& table : CopiedTables()) {
    auto rows = target.CountRows(table);
    if (!rows) return Fail(rows.error());
    total += *rows;
  }
  if (total != 0) {
    return Fail(ErrorCode::kPreconditionFailed,
                "the target database is not empty (" + std::to_string(total) +
                    " rows); copy only into a new database, never into a live one");
  }
  return {};
}

Result<CopyReport> CopyAll(CopyEndpoint& source, CopyEndpoint& target) {
  if (auto empty = RequireEmpty(target); !empty) return Fail(empty.error());
  CopyReport report;
  for (const CopiedTable& table : CopiedTables()) {
    auto summary =
        ReadTable(source, table, [&](const CopyRow& row) { return target.Insert(table, row); });
    Result<void> copied = summary ? target.EndTable(table) : Result<void>(Fail(summary.error()));
    if (!copied) {
      Error error = copied.error();
      error.message = "copying " + std::string(table.name) + ": " + error.message;
      return Fail(std::move(error));
    }
    report.tables.push_back(std::move(*summary));
  }
  auto last_case_id = source.LastCaseId();
  if (!last_case_id) return Fail(last_case_id.error());
  report.last_case_id = *last_case_id;
  if (auto continued = target.ContinueIds(*last_case_id); !continued) {
    return Fail(continued.error());
  }
  return report;
}

}  // namespace

Result<std::unique_ptr<CopyEndpoint>> OpenCopyEndpoint(const std::string& url, EndpointRole role) {
  if (postgres::IsPostgresUrl(url)) return OpenPostgresCopyEndpoint(url, role);
  std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
  if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "the SQLite path is empty");
  return OpenSqliteCopyEndpoint(path, role);
}

int64_t CopyReport::Rows(const std::string& table) const {
  for (const TableSummary& summary : tables) {
    if (summary.table == table) return summary.rows;
  }
  return 0;
}

Result<CopyReport> CopyDatabase(const std::string& from_url, const std::string& to_url) {
  // Both backends move through the same schema versions; rows of one version only fit
  // tables of the same version.
  if (sqlite::LatestSchemaVersion() != postgres::LatestSchemaVersion()) {
    return Fail(ErrorCode::kInternal,
                "this build's SQLite and PostgreSQL schemas differ in version; the copy "
                "would not fit");
  }
  auto source = OpenCopyEndpoint(from_url, EndpointRole::kSource);
  if (!source) return Fail(source.error());
  auto target = OpenCopyEndpoint(to_url, EndpointRole::kTarget);
  if (!target) return Fail(target.error());

  if (auto begun = (*source)->BeginRead(); !begun) return Fail(begun.error());
  if (auto begun = (*target)->BeginWrite(); !begun) {
    (*source)->EndRead();
    return Fail(begun.error());
  }
  auto report = CopyAll(**source, **target);
  (*source)->EndRead();
  if (!report) {
    if (auto rolled_back = (*target)->Rollback(); !rolled_back) {
      report.error().message += " (and the rollback failed: " + rolled_back.error().message + ")";
    }
    return report;
  }
  if (auto committed = (*target)->Commit(); !committed) return Fail(committed.error());
  return report;
}

Result<std::vector<TableSummary>> SummarizeTables(const std::string& url) {
  auto database = OpenCopyEndpoint(url, EndpointRole::kSource);
  if (!database) return Fail(database.error());
  if (auto begun = (*database)->BeginRead(); !begun) return Fail(begun.error());
  std::vector<TableSummary> summaries;
  for (const CopiedTable& table : CopiedTables()) {
    auto summary = ReadTable(**database, table, [](const CopyRow&) -> Result<void> { return {}; });
    if (!summary) {
      (*database)->EndRead();
      return Fail(summary.error());
    }
    summaries.push_back(std::move(*summary));
  }
  (*database)->EndRead();
  return summaries;
}

}  // namespace redress::store
