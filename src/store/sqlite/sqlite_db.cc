#include "store/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <algorithm>

namespace redress::store::sqlite {
namespace {

ErrorCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return ErrorCode::kUnavailable;
    case SQLITE_CONSTRAINT:
      return ErrorCode::kConflict;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kCorruption;
    case SQLITE_TOOBIG:
      return ErrorCode::kPayloadTooLarge;
    default:
      return ErrorCode::kInternal;
  }
}

// Statement text in error messages, shortened so a long query does not drown the cause.
std::string Abbreviate(std::string_view sql) {
  constexpr size_t kMax = 120;
  std::string out;
  out.reserve(std::min(sql.size(), kMax + 3));
  bool space = false;
  for (char c : sql) {
    if (c == '\n' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
  }
  return out;
}

}  // namespace

Error SqliteError(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  // The connection's message is more specific ("UNIQUE constraint failed: users.email"),
  // but only if it describes this failure; a bind error, for one, never reaches it.
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) {
    message += sqlite3_errmsg(db);
  } else {
    message += sqlite3_errstr(rc);
  }
  return Error{CodeFor(rc), std::move(message), {}};
}

// ---- Statement

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql)
    : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::NoteBindResult(int rc, int index) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) {
    bind_rc_ = rc;
    bind_index_ = index;
  }
}

void Statement::BindInt64(int index, int64_t value) {
  NoteBindResult(sqlite3_bind_int64(stmt_, index, value), index);
}

void Statement::BindText(int index, std::string_view value) {
  NoteBindResult(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8),
                 index);
}

void Statement::BindBlob(int index, std::span<const uint8_t> value) {
  NoteBindResult(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT),
                 index);
}

void Statement::BindNull(int index) { NoteBindResult(sqlite3_bind_null(stmt_, index), index); }

void Statement::BindOptionalInt64(int index, const std::optional<int64_t>& value) {
  if (value) {
    BindInt64(index, *value);
  } else {
    BindNull(index);
  }
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return Fail(SqliteError(nullptr, bind_rc_,
                            "binding parameter " + std::to_string(bind_index_) + " of \"" +
                                Abbreviate(sql_) + "\""));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = SqliteError(db_, rc, "\"" + Abbreviate(sql_) + "\"");
  // A failed step must be reset before the statement can run again.
  sqlite3_reset(stmt_);
  return Fail(std::move(error));
}

Result<void> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return Fail(row.error());
    if (!*row) return {};
  }
}

int64_t Statement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, index);
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

std::string Statement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  if (blob == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, index);
  return std::string(static_cast<const char*>(blob), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int index) const {
  if (ColumnIsNull(index)) return std::nullopt;
  return ColumnInt64(index);
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
  bind_index_ = 0;
}

// ---- CachedStatement

CachedStatement::~CachedStatement() {
  if (statement_ != nullptr) statement_->Reset();
}

CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : statement_(other.statement_) {
  other.statement_ = nullptr;
}

// ---- Database

namespace {

// Process-wide settings, made before SQLite initialises itself at the first open. Memory
// statistics off: with them on, every allocation SQLite makes takes a global mutex, and
// nothing here reads the statistics. If SQLite was initialised already (by another user of
// the library in this process), the call is refused and the default stays: only speed.
void ConfigureSqliteOnce() {
  [[maybe_unused]] static const int refused_or_ok = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, Mode mode,
                                                 int busy_timeout_ms) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::kReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(db, rc, "cannot open database " + path);
    sqlite3_close(db);  // sqlite3_open_v2 may return a handle even on failure
    return Fail(std::move(error));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Database>(new Database(db, path));
}

Database::~Database() {
  statements_.clear();
  sqlite3_close(db_);
}

Result<std::string> Database::QueryText(std::string_view sql) {
  auto statement = Prepare(sql);
  if (!statement) return Fail(statement.error());
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  return *row ? (*statement)->ColumnText(0) : std::string();
}

Result<void> Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Fail(CodeFor(rc), "\"" + Abbreviate(sql) + "\": " + detail);
}

Result<void> Database::Run(std::string_view sql) {
  auto statement = Prepare(sql);
  if (!statement) return Fail(statement.error());
  return (*statement)->Run();
}

Result<CachedStatement> Database::Prepare(std::string_view sql) {
  std::string key(sql);
  auto it = statements_.find(key);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return Fail(SqliteError(db_, rc, "preparing \"" + Abbreviate(sql) + "\""));
    }
    if (stmt == nullptr) {
      return Fail(ErrorCode::kInternal, "preparing \"" + Abbreviate(sql) + "\": no statement");
    }
    auto statement = std::make_unique<Statement>(db_, stmt, key);
    it = statements_.emplace(std::move(key), std::move(statement)).first;
  }
  return CachedStatement(it->second.get());
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

bool Database::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace redress::store::sqlite
