// A thin RAII layer over libpq: a connection that prepares each SQL text once (named
// server-side prepared statements, cached per connection), results that free themselves,
// and failures that come back as Result values carrying PostgreSQL's own message and
// SQLSTATE. Parameters and columns travel in text format; nothing here knows the schema.
//
// Threading: a Connection belongs to one thread at a time; the pool enforces it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

struct pg_conn;
struct pg_result;

namespace redress::store::postgres {

/// Positional parameters ($1, $2, ...) in text format; nullopt is SQL NULL.
class Params {
 public:
  Params& Int64(int64_t value);
  Params& Text(std::string_view value);
  Params& OptionalInt64(const std::optional<int64_t>& value);
  Params& Null();

  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

/// The rows of one statement. Column readers take (row, column), both from 0.
class Rows {
 public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  int size() const;
  bool empty() const { return size() == 0; }
  bool IsNull(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int64(int row, int column) const;  // 0 for NULL; a non-number throws (a bug)
  std::optional<int64_t> OptionalInt64(int row, int column) const;
  bool Bool(int row, int column) const;  // PostgreSQL's 't' / 'f'
  /// Rows changed by an INSERT/UPDATE/DELETE without RETURNING.
  int64_t Affected() const;

 private:
  pg_result* result_;
};

/// SQLSTATE classes the store reacts to.
bool IsUniqueViolation(std::string_view sqlstate);              // 23505
bool IsRetryableTransactionFailure(std::string_view sqlstate);  // 40001, 40P01

class Connection {
 public:
  /// Connects with a libpq connection string or URI (postgres://user@host:port/db). The
  /// session runs in UTC with READ COMMITTED, the defaults the store's SQL assumes.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs one or more statements without parameters (simple query protocol): DDL,
  /// BEGIN/COMMIT, migrations.
  Result<void> Exec(std::string_view sql);
  /// Runs one statement with parameters as a prepared statement, preparing it on first use.
  /// Statements queued by Defer go first, in the same round trip; if one of them fails,
  /// this statement does not run and the call fails with that statement's error.
  Result<Rows> Query(std::string_view sql, const Params& params = {});

  /// Queues a statement whose only answer is success or failure (an upsert or insert that
  /// nothing reads back) to be sent with the next Query, in one round trip (libpq's
  /// pipeline mode). Its failure is not lost, only reported by that Query, which the
  /// server has run all the same unless the failure was an SQL error. So the caller
  /// sends FlushDeferred before what no rollback undoes (COMMIT, RELEASE SAVEPOINT), and
  /// DiscardDeferred before ROLLBACK (a ROLLBACK must not wait behind a statement that
  /// fails).
  /// `context` ("appending events 3..4 of case 7") goes in front of its error message.
  Result<void> Defer(std::string_view sql, const Params& params = {}, std::string context = {});
  /// Queues a compare-and-set: a statement that must change exactly one row. If it changes
  /// none, that is its failure (kConflict, `conflict` as the message), reported as a
  /// deferred statement's failure is.
  Result<void> DeferCompareAndSet(std::string_view sql, const Params& params, std::string conflict);
  Result<void> FlushDeferred();
  /// Drops the queue, and the failure of a deferred statement if one was reported: the
  /// caller is about to send ROLLBACK or ROLLBACK TO SAVEPOINT.
  ///
  /// Until then, once a deferred statement's failure has been reported, every statement
  /// on this connection fails with it again, as the server refuses statements in an
  /// aborted transaction. A compare-and-set that changed nothing does not abort the
  /// server's transaction; this rule keeps a caller that ignored the failure from
  /// committing the rest of the write anyway.
  void DiscardDeferred() {
    deferred_.clear();
    failed_deferred_.reset();
  }

  /// False once the connection to the server is lost (or a pipeline broke off mid-way);
  /// the pool then drops it.
  bool Healthy() const;
  /// SQLSTATE of the last failed statement ("" after a success or a client-side failure).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  /// The socket, for waiting on notifications.
  int Socket() const;
  /// Reads whatever arrived on the socket and returns pending NOTIFY payloads as
  /// (channel, payload) pairs.
  Result<std::vector<std::pair<std::string, std::string>>> TakeNotifications();

 private:
  struct Deferred {
    std::string sql;
    const std::string* name;  // in prepared_, whose nodes do not move
    Params params;
    std::string context;
    std::optional<std::string> conflict;  // a compare-and-set: its message if nothing changed
  };

  explicit Connection(pg_conn* conn) : conn_(conn) {}
  Result<Rows> Check(pg_result* result, std::string_view sql);
  /// The name of `sql`'s prepared statement, preparing it on first use.
  Result<const std::string*> Prepared(std::string_view sql);
  /// Defer and DeferCompareAndSet: prepares `sql` and queues it.
  Result<void> Enqueue(std::string_view sql, const Params& params, std::string context,
                       std::optional<std::string> conflict);
  /// Sends the deferred statements and then `last` (if any) in one pipeline, and returns
  /// the first failure or `last`'s rows.
  Result<Rows> RunPipeline(const Deferred* last);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::vector<Deferred> deferred_;
  std::optional<Error> failed_deferred_;  // reported, and not yet rolled back
  bool broken_ = false;  // a pipeline could not be read to its end
  std::string last_sqlstate_;
};

}  // namespace redress::store::postgres
