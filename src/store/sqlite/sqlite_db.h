// A thin RAII layer over the sqlite3 C API: a connection that prepares each SQL text once
// and keeps the statement for reuse, and statements whose failures come back as Result
// values carrying SQLite's own error text. Nothing here knows the Redress schema.
//
// Threading: a Database and its statements belong to one thread at a time (connections
// are opened with SQLITE_OPEN_NOMUTEX); the store's writer thread and read pool enforce it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace redress::store::sqlite {

/// Maps an SQLite result code to an Error. Transient conditions (SQLITE_BUSY, SQLITE_LOCKED,
/// SQLITE_FULL, SQLITE_IOERR) are kUnavailable so callers may retry; constraint violations
/// (including RAISE(ABORT) in triggers) are kConflict; a damaged file is kCorruption.
/// The message is "<context>: <sqlite error text>".
Error SqliteError(sqlite3* db, int rc, std::string_view context);

/// A prepared statement. Binding never fails on its own: a bind error is remembered and
/// returned by the next Step(), so call sites stay linear.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameter indexes start at 1, as in SQL's ?1, ?2, ...
  void BindInt64(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindBlob(int index, std::span<const uint8_t> value);
  void BindNull(int index);
  /// Binds NULL for nullopt.
  void BindOptionalInt64(int index, const std::optional<int64_t>& value);

  /// Advances: true when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  /// Steps to completion, for statements that return no rows (or whose rows don't matter).
  Result<void> Run();

  // Column indexes start at 0. Reading a column of the wrong type converts as SQLite does.
  int64_t ColumnInt64(int index) const;
  std::string ColumnText(int index) const;
  std::string ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;
  std::optional<int64_t> ColumnOptionalInt64(int index) const;

  /// Makes the statement ready for reuse: resets it, clears bindings and any remembered
  /// bind error. Resetting also ends the statement's hold on its read snapshot.
  void Reset();

  const std::string& sql() const { return sql_; }

 private:
  void NoteBindResult(int rc, int index);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
  int bind_rc_ = 0;  // SQLITE_OK
  int bind_index_ = 0;
};

/// A borrowed statement from a connection's cache. Resets the statement when it goes out
/// of scope, so a finished or abandoned query never pins an old snapshot.
class CachedStatement {
 public:
  explicit CachedStatement(Statement* statement) : statement_(statement) {}
  ~CachedStatement();
  CachedStatement(CachedStatement&& other) noexcept;
  CachedStatement& operator=(CachedStatement&&) = delete;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Database {
 public:
  enum class Mode {
    kReadWriteCreate,  // create the file if missing
    kReadWrite,        // the file must exist
    kReadOnly,
  };

  /// Opens `path` (a plain file name; URIs are not interpreted). busy_timeout_ms is how long
  /// a statement waits for another connection's lock before failing with kUnavailable.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, Mode mode,
                                                int busy_timeout_ms);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one or more ';'-separated statements that return no rows (DDL, BEGIN, PRAGMA
  /// setters). Not cached: for schema changes and transaction control.
  Result<void> Exec(std::string_view sql);

  /// The statement for `sql`, prepared on first use and cached by its text afterwards.
  /// Build SQL from constant fragments only; values always go through Bind*.
  Result<CachedStatement> Prepare(std::string_view sql);

  /// Runs one row-less statement through the statement cache: for the transaction-control
  /// statements that run on every write (SAVEPOINT, RELEASE), where parsing each time
  /// would be wasted work.
  Result<void> Run(std::string_view sql);

  /// The first column of the first row of `sql` as text ("" when there is no row): for
  /// pragmas that answer with one value, such as "PRAGMA journal_mode".
  Result<std::string> QueryText(std::string_view sql);

  /// Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  int64_t Changes() const;
  int64_t LastInsertRowId() const;
  /// True while an explicit transaction is open (false again after COMMIT, ROLLBACK, or a
  /// failure that made SQLite roll the whole transaction back).
  bool InTransaction() const;

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  // Statements must be finalized before the connection closes; ~Database clears this first.
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

}  // namespace redress::store::sqlite
