#include "store/copy.h"

#include <array>
#include <string_view>

#include "core/clock.h"
#include "store/postgres/migrations.h"
#include "store/postgres/pg_conn.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace redress::store {
namespace {

struct Table {
  std::string_view name;
  std::string_view columns;  // the same names in both schemas
  int column_count;
  std::string_view order_by;
};

// Parents before children (foreign keys); every table of the schema except the
// bookkeeping ones (schema_migrations, counters).
constexpr std::array<Table, 10> kTables{{
    {"customers", "id, name, password_hash, created_at", 4, "id"},
    {"customer_identities", "id, kind, value, customer_id, verified", 5, "id"},
    {"users", "id, email, display_name, role, level, active, password_hash, created_at", 8, "id"},
    {"api_tokens", "token_hash, owner_role, owner_id, label, created_at, expires_at", 6,
     "token_hash"},
    {"sessions", "session_hash, owner_role, owner_id, csrf_token, created_at, expires_at", 6,
     "session_hash"},
    {"idempotency", "scope, key, fingerprint, status, body, location, created_at", 7, "scope, key"},
    {"cases",
     "id, customer_id, subject, status, priority, category, level, owner_id, owner_name, "
     "channel, opened_at, updated_at, first_response_at, last_customer_message_at, "
     "customer_messages, staff_replies, internal_notes, transfers, last_seq, head_hash, "
     "commitments",
     21, "id"},
    {"events",
     "case_id, seq, type, at, actor_kind, actor_id, actor_name, channel, visibility, data, "
     "prev_hash, hash",
     12, "case_id, seq"},
    {"jobs",
     "id, kind, key, due_at, payload, state, attempts, lease_owner, lease_until, last_error, "
     "created_at, completed_at",
     12, "id"},
    // The search index's texts; PostgreSQL computes their tsvector itself.
    {"case_text", "case_id, text", 2, "rowid"},
}};

// Tables whose id comes from an identity sequence in PostgreSQL.
constexpr std::array<std::string_view, 4> kIdentityTables{"customers", "customer_identities",
                                                          "users", "jobs"};

std::string Placeholders(int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) {
    if (i > 1) out += ", ";
    out += "$" + std::to_string(i);
  }
  return out;
}

Result<void> RequireEmpty(postgres::Connection& target) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < kTables.size(); ++i) {
    if (i > 0) sql += " + ";
    sql += "(SELECT count(*) FROM " + std::string(kTables[i].name) + ")";
  }
  auto rows = target.Query(sql);
  if (!rows) return Fail(rows.error());
  if (rows->Int64(0, 0) != 0) {
    return Fail(ErrorCode::kPreconditionFailed,
                "the target database is not empty (" + std::to_string(rows->Int64(0, 0)) +
                    " rows); copy only into a new database, never into a live one");
  }
  return {};
}

Result<int64_t> CopyTable(sqlite::Database& source, postgres::Connection& target,
                          const Table& table) {
  auto select =
      source.Prepare("SELECT " + std::string(table.columns) + " FROM " + std::string(table.name) +
                     " ORDER BY " + std::string(table.order_by));
  if (!select) return Fail(select.error());
  const std::string insert = "INSERT INTO " + std::string(table.name) + " (" +
                             std::string(table.columns) + ") VALUES (" +
                             Placeholders(table.column_count) + ")";
  int64_t copied = 0;
  for (;;) {
    auto row = (*select)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return copied;
    // Text for every value: integers print exactly, SQLite's 0/1 booleans are valid
    // boolean input, and JSON payloads keep their bytes.
    postgres::Params params;
    for (int c = 0; c < table.column_count; ++c) {
      if ((*select)->ColumnIsNull(c)) {
        params.Null();
      } else {
        params.Text((*select)->ColumnText(c));
      }
    }
    if (auto inserted = target.Query(insert, params); !inserted) {
      Error error = inserted.error();
      error.message = "copying " + std::string(table.name) + " row " + std::to_string(copied + 1) +
                      ": " + error.message;
      return Fail(std::move(error));
    }
    ++copied;
  }
}

// The sequences continue where the source's left off, so no id is ever handed out twice.
Result<void> AlignSequences(sqlite::Database& source, postgres::Connection& target) {
  auto counter = source.Prepare("SELECT value FROM counters WHERE name = 'case_id'");
  if (!counter) return Fail(counter.error());
  auto row = (*counter)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kCorruption, "the source has no case_id counter");
  const int64_t last_case_id = (*counter)->ColumnInt64(0);
  auto set = target.Query(
      "SELECT setval('case_ids', greatest($1::bigint, (SELECT coalesce(max(id), 0) FROM cases),"
      " 1), greatest($1::bigint, (SELECT coalesce(max(id), 0) FROM cases)) > 0)",
      postgres::Params().Int64(last_case_id));
  if (!set) return Fail(set.error());
  for (std::string_view table : kIdentityTables) {
    const std::string name(table);
    auto identity = target.Exec("SELECT setval(pg_get_serial_sequence('" + name +
                                "', 'id'), coalesce(max(id), 0) + 1, false) FROM " + name);
    if (!identity) return Fail(identity.error());
  }
  return {};
}

Result<CopyReport> CopyAll(sqlite::Database& source, postgres::Connection& target) {
  if (auto empty = RequireEmpty(target); !empty) return Fail(empty.error());
  CopyReport report;
  for (const Table& table : kTables) {
    auto copied = CopyTable(source, target, table);
    if (!copied) return Fail(copied.error());
    report.tables.emplace_back(std::string(table.name), *copied);
  }
  if (auto aligned = AlignSequences(source, target); !aligned) return Fail(aligned.error());
  return report;
}

}  // namespace

int64_t CopyReport::Rows(const std::string& table) const {
  for (const auto& [name, rows] : tables) {
    if (name == table) return rows;
  }
  return 0;
}

Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path,
                                        const std::string& postgres_url) {
  // Both backends move through the same schema versions; rows of one version only fit
  // tables of the same version.
  if (sqlite::LatestSchemaVersion() != postgres::LatestSchemaVersion()) {
    return Fail(ErrorCode::kInternal,
                "this build's SQLite and PostgreSQL schemas differ in "
                "version; the copy would not fit");
  }
  auto source = sqlite::Database::Open(sqlite_path, sqlite::Database::Mode::kReadOnly, 5000);
  if (!source) return Fail(source.error());
  if (auto current = sqlite::RequireLatestSchema(**source); !current) {
    return Fail(current.error());
  }
  auto target = postgres::Connection::Open(postgres_url);
  if (!target) return Fail(target.error());
  static const SystemClock clock;
  if (auto migrated = postgres::Migrate(**target, clock); !migrated) {
    return Fail(migrated.error());
  }

  // One read snapshot of the source (WAL: writers may go on, we do not see them) and one
  // transaction on the target.
  if (auto begun = (*source)->Exec("BEGIN"); !begun) return Fail(begun.error());
  if (auto begun = (*target)->Exec("BEGIN"); !begun) return Fail(begun.error());
  auto report = CopyAll(**source, **target);
  (void)(*source)->Exec("COMMIT");  // read-only: ending the snapshot cannot lose anything
  if (!report) {
    if (auto rolled_back = (*target)->Exec("ROLLBACK"); !rolled_back) {
      report.error().message += " (and the rollback failed: " + rolled_back.error().message + ")";
    }
    return report;
  }
  if (auto committed = (*target)->Exec("COMMIT"); !committed) return Fail(committed.error());
  return report;
}

}  // namespace redress::store
