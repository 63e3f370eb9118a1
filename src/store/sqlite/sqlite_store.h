// The embedded SQLite backend: one database file in WAL mode, one writer thread doing
// group commit, and a small pool of read-only connections.
//
// Durability: synchronous=FULL, so a COMMIT returns only after the WAL is fsync'd. The
// writer takes every queued write (up to max_batch) into one transaction, giving each its
// own SAVEPOINT so a failing write rolls back alone, and commits once: N concurrent writes
// cost one fsync. Writes queued while a batch runs join it before its COMMIT (up to
// max_batch), so a busy writer commits fuller batches and an idle one adds no delay. Only then are
// their WriteDone callbacks called. Copying the WAL back into the database file is left to a thread
// of its own (wal_checkpointer.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/change_hub.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/wal_checkpointer.h"
#include "store/store.h"

namespace redress::store::sqlite {

struct SqliteOptions {
  /// Bring the schema up to date on open. With false, a database that is missing or not
  /// at the latest schema version is refused with a message to run `redress migrate`.
  bool migrate = true;
  /// How long a statement waits for a lock held by another process before kUnavailable.
  int busy_timeout_ms = 5000;
  /// Upper bound on read-only connections; they are opened on demand.
  int read_connections = 8;
  /// Most writes carried by one transaction; the rest wait for the next commit.
  int max_batch = 512;
  /// Stamps schema_migrations.applied_at; nullptr means the system clock.
  const Clock* clock = nullptr;
  /// When the WAL is copied back into the database file, and who hears of a failure.
  WalCheckpointOptions checkpoints;
};

class SqliteStore final : public Store {
 public:
  /// Opens (creating if needed, when options.migrate) the database file at `path`. The
  /// directory must exist: a typo in a path should fail, not create a stray tree.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   SqliteOptions options = {});
  /// Finishes every write already submitted (their callbacks run), then stops the writer.
  ~SqliteStore() override;

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  /// After the destructor has begun, `done` is called at once with kUnavailable.
  void SubmitWrite(WriteFn fn, WriteDone done) override;

  Result<domain::CaseState> GetCase(int64_t case_id) override;
  Result<CasePage> ListCases(const CaseQuery& query) override;
  Result<EventPage> ListEvents(const EventQuery& query) override;
  Result<std::vector<domain::Event>> LoadEvents(int64_t case_id) override;
  Result<std::vector<int64_t>> ListCaseIds(int64_t after_id, int limit) override;

  Result<domain::Customer> GetCustomer(int64_t customer_id) override;
  Result<std::optional<domain::Customer>> FindCustomerByIdentity(
      domain::IdentityKind kind, const std::string& normalized_value) override;
  Result<std::optional<std::pair<domain::Customer, std::string>>> FindCustomerLogin(
      const std::string& normalized_email) override;

  Result<domain::User> GetUser(int64_t user_id) override;
  Result<std::optional<domain::User>> FindUserByEmail(const std::string& email) override;
  Result<std::vector<domain::User>> ListUsers() override;

  Result<std::optional<domain::ApiToken>> FindApiToken(const std::string& token_hash) override;
  Result<std::optional<domain::Session>> FindSession(const std::string& session_hash) override;
  Result<std::optional<Attachment>> GetAttachment(int64_t id) override;

  Result<std::vector<domain::CaseState>> SearchCases(const std::string& text, int limit) override;
  Result<std::unique_ptr<Subscription>> SubscribeChanges(CaseChanged callback) override;
  Result<std::optional<Setting>> GetSetting(const std::string& key) override;
  Result<int64_t> CountCases(const CaseQuery& query) override;
  Result<StoreStats> Stats() override;
  Result<void> Ping() override;

  /// Read connections opened so far (for tests and metrics).
  int read_connections_open() const { return readers_.open_connections(); }

 private:
  struct Job {
    WriteFn fn;
    WriteDone done;
  };

  SqliteStore(const std::string& path, const SqliteOptions& options,
              std::unique_ptr<Database> writer_db, std::unique_ptr<WalCheckpointer> checkpointer);

  void WriterLoop();
  // Moves queued writes into `batch` (up to max_batch); whether any were taken.
  bool TakeQueued(std::vector<Job>& batch);
  void RunBatch(std::vector<Job>& batch);

  template <class F>
  auto WithReader(F&& read) -> decltype(read(std::declval<Database&>()));

  const size_t max_batch_;
  std::unique_ptr<Database> writer_db_;  // touched only by writer_ once it runs
  std::unique_ptr<WalCheckpointer> checkpointer_;  // hooked into writer_db_'s commits
  ReadPool readers_;
  std::shared_ptr<ChangeHub> changes_;  // shared with every SqliteStore on the same file

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;

  std::atomic<int64_t> commits_{0};
  std::atomic<int64_t> committed_writes_{0};

  std::thread writer_;  // last: starts after everything it uses is constructed
};

/// Opens the connection that writes `path` (created if `create`): checks the path, then sets
/// the pragmas every writer relies on (WAL, synchronous FULL, foreign keys). Pragmas are
/// per connection, so anything else that writes the file (redress copy) opens it here.
Result<std::unique_ptr<Database>> OpenWriteConnection(const std::string& path, bool create,
                                                      int busy_timeout_ms);

/// Creates or upgrades the database at `path` and returns its schema version; the work
/// behind `redress migrate`.
Result<int> MigrateSqlite(const std::string& path);

}  // namespace redress::store::sqlite
