// The SQLite side of `redress copy` (store/copy_endpoint.h).
#include <charconv>
#include <cstdint>
#include <span>
#include <string>

#include "core/clock.h"
#include "store/copy_endpoint.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::store {
namespace {

std::string ColumnList(const CopiedTable& table) {
  std::string out;
  for (const CopyColumn& column : table.columns) {
    if (!out.empty()) out += ", ";
    out += column.name;
  }
  return out;
}

Result<int64_t> ParseInteger(const std::string& text, const CopiedTable& table,
                             const CopyColumn& column) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Fail(ErrorCode::kCorruption, std::string(table.name) + "." + std::string(column.name) +
                                            ": '" + text + "' is not an integer");
  }
  return value;
}

class SqliteCopyEndpoint final : public CopyEndpoint {
 public:
  SqliteCopyEndpoint(std::unique_ptr<sqlite::Database> db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

  Result<void> BeginRead() override { return db_->Exec("BEGIN"); }
  void EndRead() override { (void)db_->Exec("COMMIT"); }  // read only: nothing to lose

  Result<void> ForEachRow(const CopiedTable& table, const RowVisitor& visit) override {
    auto select = db_->Prepare("SELECT " + ColumnList(table) + " FROM " +
                               std::string(table.name) + " ORDER BY " +
                               std::string(table.order_by));
    if (!select) return Fail(select.error());
    CopyRow row(table.columns.size());
    for (;;) {
      auto more = (*select)->Step();
      if (!more) return Fail(more.error());
      if (!*more) return {};
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const int index = static_cast<int>(c);
        if ((*select)->ColumnIsNull(index)) {
          row[c].reset();
          continue;
        }
        switch (table.columns[c].type) {
          case CopyType::kInteger:
          case CopyType::kBoolean:
            row[c] = std::to_string((*select)->ColumnInt64(index));
            break;
          case CopyType::kText:
            row[c] = (*select)->ColumnText(index);
            break;
          case CopyType::kBytes:
            row[c] = (*select)->ColumnBlob(index);
            break;
        }
      }
      if (auto visited = visit(row); !visited) return visited;
    }
  }

  Result<int64_t> LastCaseId() override {
    auto counter = db_->Prepare("SELECT value FROM counters WHERE name = 'case_id'");
    if (!counter) return Fail(counter.error());
    auto row = (*counter)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return Fail(ErrorCode::kCorruption, "sqlite:" + path_ + " has no case_id counter");
    return (*counter)->ColumnInt64(0);
  }

  Result<void> BeginWrite() override { return db_->Exec("BEGIN IMMEDIATE"); }

  Result<int64_t> CountRows(const CopiedTable& table) override {
    auto count = db_->Prepare("SELECT count(*) FROM " + std::string(table.name));
    if (!count) return Fail(count.error());
    auto row = (*count)->Step();
    if (!row) return Fail(row.error());
    return (*count)->ColumnInt64(0);
  }

  Result<void> Insert(const CopiedTable& table, const CopyRow& row) override {
    if (table.name != table_) {
      table_ = table.name;
      rows_ = 0;
      insert_sql_ = InsertSql(table);
    }
    ++rows_;
    auto inserted = InsertRow(table, row);
    if (!inserted) {
      Error error = inserted.error();
      error.message = "row " + std::to_string(rows_) + ": " + error.message;
      return Fail(std::move(error));
    }
    return {};
  }
  Result<void> EndTable(const CopiedTable&) override { return {}; }

  static std::string InsertSql(const CopiedTable& table) {
    std::string placeholders;
    for (size_t i = 1; i <= table.columns.size(); ++i) {
      placeholders += (i > 1 ? ", ?" : "?") + std::to_string(i);
    }
    return "INSERT INTO " + std::string(table.name) + " (" + ColumnList(table) + ") VALUES (" +
           placeholders + ")";
  }

  Result<void> InsertRow(const CopiedTable& table, const CopyRow& row) {
    auto insert = db_->Prepare(insert_sql_);
    if (!insert) return Fail(insert.error());
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const int index = static_cast<int>(c) + 1;
      if (!row[c]) {
        (*insert)->BindNull(index);
        continue;
      }
      const std::string& value = *row[c];
      switch (table.columns[c].type) {
        case CopyType::kInteger:
        case CopyType::kBoolean: {
          auto number = ParseInteger(value, table, table.columns[c]);
          if (!number) return Fail(number.error());
          (*insert)->BindInt64(index, *number);
          break;
        }
        case CopyType::kText:
          (*insert)->BindText(index, value);
          break;
        case CopyType::kBytes:
          (*insert)->BindBlob(index, std::span(reinterpret_cast<const uint8_t*>(value.data()),
                                               value.size()));
          break;
      }
    }
    return (*insert)->Run();
  }

  Result<void> ContinueIds(int64_t last_case_id) override {
    // Other ids are INTEGER PRIMARY KEYs: SQLite continues after the highest by itself.
    auto set = db_->Prepare(
        "UPDATE counters SET value = max(?1, (SELECT coalesce(max(id), 0) FROM cases))"
        " WHERE name = 'case_id'");
    if (!set) return Fail(set.error());
    (*set)->BindInt64(1, last_case_id);
    return (*set)->Run();
  }

  Result<void> Commit() override { return db_->Exec("COMMIT"); }
  Result<void> Rollback() override {
    if (!db_->InTransaction()) return {};
    return db_->Exec("ROLLBACK");
  }

 private:
  std::unique_ptr<sqlite::Database> db_;
  std::string path_;
  std::string_view table_;  // the table being inserted into, its INSERT and its rows so far
  std::string insert_sql_;
  int64_t rows_ = 0;
};

}  // namespace

Result<std::unique_ptr<CopyEndpoint>> OpenSqliteCopyEndpoint(const std::string& path,
                                                             EndpointRole role) {
  constexpr int kBusyTimeoutMs = 5000;
  if (role == EndpointRole::kSource) {
    auto db = sqlite::Database::Open(path, sqlite::Database::Mode::kReadOnly, kBusyTimeoutMs);
    if (!db) return Fail(db.error());
    if (auto current = sqlite::RequireLatestSchema(**db); !current) return Fail(current.error());
    return std::unique_ptr<CopyEndpoint>(new SqliteCopyEndpoint(std::move(*db), path));
  }
  // As the store opens it: WAL, a durable commit, foreign keys checked.
  auto target = sqlite::OpenWriteConnection(path, /*create=*/true, kBusyTimeoutMs);
  if (!target) return Fail(target.error());
  static const SystemClock clock;
  if (auto migrated = sqlite::Migrate(**target, clock); !migrated) return Fail(migrated.error());
  return std::unique_ptr<CopyEndpoint>(new SqliteCopyEndpoint(std::move(*target), path));
}

}  // namespace redress::store
