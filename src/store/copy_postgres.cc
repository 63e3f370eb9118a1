// The PostgreSQL side of `redress copy` (store/copy_endpoint.h). Reads go through a cursor
// so a large installation (mail blobs) never sits in memory whole.
#include <string>

#include "core/clock.h"
#include "core/hex.h"
#include "store/copy_endpoint.h"
#include "store/postgres/migrations.h"
#include "store/postgres/pg_conn.h"

namespace redress::store {
namespace {

constexpr int kFetchRows = 500;
constexpr int kInsertRows = 200;  // 200 rows x 22 columns stays far below 65535 parameters

std::string ColumnList(const CopiedTable& table, bool for_select) {
  std::string out;
  for (const CopyColumn& column : table.columns) {
    if (!out.empty()) out += ", ";
    // bytea travels as hex text; booleans come back as 't' / 'f'.
    if (for_select && column.type == CopyType::kBytes) {
      out += "encode(" + std::string(column.name) + ", 'hex')";
    } else {
      out += column.name;
    }
  }
  return out;
}

class PostgresCopyEndpoint final : public CopyEndpoint {
 public:
  explicit PostgresCopyEndpoint(std::unique_ptr<postgres::Connection> conn)
      : conn_(std::move(conn)) {}

  Result<void> BeginRead() override {
    return conn_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  void EndRead() override { (void)conn_->Exec("COMMIT"); }

  Result<void> ForEachRow(const CopiedTable& table, const RowVisitor& visit) override {
    if (auto declared = conn_->Exec("DECLARE copy_rows NO SCROLL CURSOR FOR SELECT " +
                                    ColumnList(table, true) + " FROM " +
                                    std::string(table.name) + " ORDER BY " +
                                    std::string(table.order_by));
        !declared) {
      return declared;
    }
    CopyRow row(table.columns.size());
    for (;;) {
      auto rows = conn_->Query("FETCH " + std::to_string(kFetchRows) + " FROM copy_rows");
      if (!rows) return Fail(rows.error());
      for (int r = 0; r < rows->size(); ++r) {
        for (size_t c = 0; c < table.columns.size(); ++c) {
          const int column = static_cast<int>(c);
          if (rows->IsNull(r, column)) {
            row[c].reset();
            continue;
          }
          switch (table.columns[c].type) {
            case CopyType::kInteger:
            case CopyType::kText:
              row[c] = rows->Text(r, column);
              break;
            case CopyType::kBoolean:
              row[c] = rows->Bool(r, column) ? "1" : "0";
              break;
            case CopyType::kBytes: {
              auto bytes = DecodeHex(rows->Text(r, column));
              if (!bytes) {
                return Fail(ErrorCode::kCorruption, std::string(table.name) + "." +
                                                        std::string(table.columns[c].name) +
                                                        ": the server sent malformed hex");
              }
              row[c] = std::move(*bytes);
              break;
            }
          }
        }
        if (auto visited = visit(row); !visited) return visited;
      }
      if (rows->size() < kFetchRows) break;
    }
    return conn_->Exec("CLOSE copy_rows");
  }

  Result<int64_t> LastCaseId() override {
    auto rows = conn_->Query("SELECT last_value, is_called FROM case_ids");
    if (!rows) return Fail(rows.error());
    // A sequence that never handed out a value has last_value = its start and !is_called.
    return rows->Bool(0, 1) ? rows->Int64(0, 0) : rows->Int64(0, 0) - 1;
  }

  Result<void> BeginWrite() override { return conn_->Exec("BEGIN"); }

  Result<int64_t> CountRows(const CopiedTable& table) override {
    auto rows = conn_->Query("SELECT count(*) FROM " + std::string(table.name));
    if (!rows) return Fail(rows.error());
    return rows->Int64(0, 0);
  }

  // Rows go out kInsertRows at a time in one multi-row INSERT: a round trip per row
  // would make the copy of a large installation take hours.
  Result<void> Insert(const CopiedTable& table, const CopyRow& row) override {
    if (table.name != table_) {
      table_ = table.name;
      sent_ = 0;
    }
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (!row[c]) {
        batch_.Null();
      } else if (table.columns[c].type == CopyType::kBytes) {
        batch_.Text("\\x" + EncodeHex(*row[c]));
      } else {
        batch_.Text(*row[c]);  // "0" / "1" are valid boolean input
      }
    }
    if (++batched_ == kInsertRows) return EndTable(table);
    return {};
  }

  Result<void> EndTable(const CopiedTable& table) override {
    if (batched_ == 0) return {};
    std::string sql = "INSERT INTO " + std::string(table.name) + " (" +
                      ColumnList(table, false) + ") VALUES ";
    int parameter = 0;
    for (int r = 0; r < batched_; ++r) {
      sql += r > 0 ? ", (" : "(";
      for (size_t c = 0; c < table.columns.size(); ++c) {
        sql += (c > 0 ? ", $" : "$") + std::to_string(++parameter);
      }
      sql += ")";
    }
    auto inserted = conn_->Query(sql, batch_);
    const int64_t first = sent_ + 1;
    sent_ += batched_;
    batched_ = 0;
    batch_ = postgres::Params();
    if (!inserted) {
      Error error = inserted.error();
      error.message = "rows " + std::to_string(first) + " to " + std::to_string(sent_) + ": " +
                      error.message;
      return Fail(std::move(error));
    }
    return {};
  }

  Result<void> ContinueIds(int64_t last_case_id) override {
    auto set = conn_->Query(
        "SELECT setval('case_ids', greatest($1::bigint, (SELECT coalesce(max(id), 0) FROM cases),"
        " 1), greatest($1::bigint, (SELECT coalesce(max(id), 0) FROM cases)) > 0)",
        postgres::Params().Int64(last_case_id));
    if (!set) return Fail(set.error());
    for (const CopiedTable& table : CopiedTables()) {
      if (!table.identity_id) continue;
      const std::string name(table.name);
      auto identity = conn_->Exec("SELECT setval(pg_get_serial_sequence('" + name +
                                  "', 'id'), coalesce(max(id), 0) + 1, false) FROM " + name);
      if (!identity) return Fail(identity.error());
    }
    return {};
  }

  Result<void> Commit() override { return conn_->Exec("COMMIT"); }
  Result<void> Rollback() override { return conn_->Exec("ROLLBACK"); }

 private:
  std::unique_ptr<postgres::Connection> conn_;
  std::string_view table_;   // the table being inserted into
  int64_t sent_ = 0;         // its rows inserted so far
  postgres::Params batch_;   // rows held back, column after column
  int batched_ = 0;
};

}  // namespace

Result<std::unique_ptr<CopyEndpoint>> OpenPostgresCopyEndpoint(const std::string& url,
                                                               EndpointRole role) {
  auto conn = postgres::Connection::Open(url);
  if (!conn) return Fail(conn.error());
  if (role == EndpointRole::kSource) {
    if (auto current = postgres::RequireLatestSchema(**conn); !current) {
      return Fail(current.error());
    }
  } else {
    static const SystemClock clock;
    if (auto migrated = postgres::Migrate(**conn, clock); !migrated) return Fail(migrated.error());
  }
  return std::unique_ptr<CopyEndpoint>(new PostgresCopyEndpoint(std::move(*conn)));
}

}  // namespace redress::store
