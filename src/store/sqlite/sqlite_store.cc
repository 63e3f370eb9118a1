#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "store/search_text.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/write_tx.h"

namespace redress::store::sqlite {
namespace {

const Clock& ClockOrSystem(const Clock* clock) {
  static const SystemClock system_clock;
  return clock != nullptr ? *clock : system_clock;
}

Result<void> CheckOptions(const SqliteOptions& options) {
  if (options.busy_timeout_ms < 0) {
    return Fail(ErrorCode::kInvalidArgument, "busy_timeout_ms must not be negative");
  }
  if (options.read_connections < 1) {
    return Fail(ErrorCode::kInvalidArgument, "read_connections must be at least 1");
  }
  if (options.max_batch < 1) {
    return Fail(ErrorCode::kInvalidArgument, "max_batch must be at least 1");
  }
  return {};
}

// A WriteFn is the caller's code; an exception escaping it must fail that write, not kill
// the writer thread (which would hang every later writer).
Result<void> Invoke(const WriteFn& fn, WriteTx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("write failed with an exception: ") + e.what());
  } catch (...) {
    return Fail(ErrorCode::kInternal, "write failed with a non-standard exception");
  }
}

// Runs one write inside the open transaction, isolated by a savepoint. On failure the
// write's changes are undone and the transaction stays open for the others. Sets
// `abandon` when the transaction cannot be trusted any more: SQLite already rolled it back
// (disk full, I/O error) or undoing this write failed.
Result<void> RunJob(Database& db, WriteTx& tx, const WriteFn& fn, bool& abandon) {
  abandon = false;
  if (auto saved = db.Run("SAVEPOINT write"); !saved) {
    abandon = !db.InTransaction();
    return saved;
  }
  Result<void> result = Invoke(fn, tx);
  if (result) {
    auto released = db.Run("RELEASE write");
    if (released) return {};
    result = Fail(released.error());
  }
  if (!db.InTransaction()) {
    abandon = true;
    return result;
  }
  auto undone = db.Run("ROLLBACK TO write");
  if (undone) undone = db.Run("RELEASE write");
  if (!undone) {
    result.error().message += " (undoing it failed too: " + undone.error().message + ")";
    abandon = true;
  }
  return result;
}

Error BatchLost(const Error& cause) {
  return Error{ErrorCode::kUnavailable,
               "the transaction carrying this write was rolled back (" + cause.message + "); retry",
               {}};
}

// One hub per database file in this process, so every SqliteStore on the file hears every
// other one's commits (SQLite is a one-node backend: other processes are not told).
std::shared_ptr<ChangeHub> HubFor(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<ChangeHub>> hubs;
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) key = path;
  std::lock_guard lock(mu);
  std::shared_ptr<ChangeHub> hub = hubs[key].lock();
  if (!hub) {
    hub = std::make_shared<ChangeHub>();
    hubs[key] = hub;
  }
  return hub;
}

}  // namespace

Result<std::unique_ptr<Database>> OpenWriteConnection(const std::string& path, bool create,
                                                      int busy_timeout_ms) {
  namespace fs = std::filesystem;
  if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "the database path is empty");
  if (path == ":memory:" || path.starts_with("file:")) {
    return Fail(ErrorCode::kInvalidArgument, "database path " + path +
                                                 " is not a file path; the store needs a file that "
                                                 "its reader connections can share");
  }
  const fs::path file(path);
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "directory " + dir.string() + " of database " + path +
                                                 " does not exist; create it first");
  }
  if (!create && !fs::exists(file, ec)) {
    return Fail(ErrorCode::kPreconditionFailed,
                "database " + path + " does not exist: run `redress migrate` to create it");
  }

  auto db =
      Database::Open(path, create ? Database::Mode::kReadWriteCreate : Database::Mode::kReadWrite,
                     busy_timeout_ms);
  if (!db) return Fail(db.error());

  auto journal = (*db)->QueryText("PRAGMA journal_mode = WAL");
  if (!journal) return Fail(journal.error());
  if (*journal != "wal") {
    return Fail(ErrorCode::kUnavailable, "database " + path +
                                             " cannot use write-ahead logging (journal mode is '" +
                                             *journal + "')");
  }
  // FULL: fsync the WAL at every commit, so an acknowledged write survives power loss.
  // Group commit runs each write in a savepoint, and SQLite keeps the old content of every
  // page a savepoint changes in a statement journal: temp_store = MEMORY keeps that journal
  // in memory instead of a temporary file (it was two thirds of all file writes; it is
  // never needed after a crash, the WAL is). cache_size: with SQLite's default 2 MiB the
  // dirty pages of a batch of up to max_batch writes spill into the WAL before the commit
  // and are read back; 64 MiB (a bound, used only as pages are touched) holds a batch.
  if (auto set = (*db)->Exec(
          "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; "
          "PRAGMA cache_size = -65536");
      !set) {
    return Fail(set.error());
  }
  return db;
}

// ---- opening

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       SqliteOptions options) {
  if (auto ok = CheckOptions(options); !ok) return Fail(ok.error());
  auto db = OpenWriteConnection(path, options.migrate, options.busy_timeout_ms);
  if (!db) return Fail(db.error());
  if (options.migrate) {
    if (auto migrated = Migrate(**db, ClockOrSystem(options.clock)); !migrated) {
      return Fail(migrated.error());
    }
  } else if (auto current = RequireLatestSchema(**db); !current) {
    return Fail(current.error());
  }
  auto checkpointer = WalCheckpointer::Start(**db, options.busy_timeout_ms, options.checkpoints);
  if (!checkpointer) return Fail(checkpointer.error());
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(path, options, std::move(*db), std::move(*checkpointer)));
}

Result<int> MigrateSqlite(const std::string& path) {
  SqliteOptions defaults;
  auto db = OpenWriteConnection(path, /*create=*/true, defaults.busy_timeout_ms);
  if (!db) return Fail(db.error());
  return Migrate(**db, ClockOrSystem(nullptr));
}

SqliteStore::SqliteStore(const std::string& path, const SqliteOptions& options,
                         std::unique_ptr<Database> writer_db,
                         std::unique_ptr<WalCheckpointer> checkpointer)
    : max_batch_(static_cast<size_t>(options.max_batch)),
      writer_db_(std::move(writer_db)),
      checkpointer_(std::move(checkpointer)),
      readers_(path, options.read_connections, options.busy_timeout_ms),
      changes_(HubFor(path)),
      writer_([this] { WriterLoop(); }) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_one();
  writer_.join();
}

// ---- writes

void SqliteStore::SubmitWrite(WriteFn fn, WriteDone done) {
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.push_back(Job{std::move(fn), std::move(done)});
      queue_cv_.notify_one();
      return;
    }
  }
  done(Fail(ErrorCode::kUnavailable, "the store is shutting down"));
}

void SqliteStore::WriterLoop() {
  std::vector<Job> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything submitted has been written
      // Everything that queued up while the last batch was being fsync'd goes into this
      // one: the busier the writers, the more each commit carries.
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    batch.clear();
  }
}

bool SqliteStore::TakeQueued(std::vector<Job>& batch) {
  std::lock_guard lock(queue_mu_);
  const size_t before = batch.size();
  while (!queue_.empty() && batch.size() < max_batch_) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch.size() > before;
}

void SqliteStore::RunBatch(std::vector<Job>& batch) {
  Database& db = *writer_db_;
  SqliteWriteTx tx(db);
  std::vector<Result<void>> results(batch.size());
  std::vector<int64_t> changed;  // committed cases, announced after the batch
  size_t next = 0;
  // Usually one pass; another only if SQLite abandoned the transaction part-way, in which
  // case the writes not yet run get a fresh transaction.
  while (next < batch.size()) {
    if (auto begun = db.Run("BEGIN IMMEDIATE"); !begun) {
      for (; next < batch.size(); ++next) results[next] = Fail(begun.error());
      break;
    }
    std::vector<size_t> succeeded;
    bool abandon = false;
    tx.Restart();  // a previous pass's cases were rolled back with it
    for (;;) {
      for (; next < batch.size() && !abandon; ++next) {
        const SqliteWriteTx::Mark mark = tx.mark();
        results[next] = RunJob(db, tx, batch[next].fn, abandon);
        if (results[next]) {
          succeeded.push_back(next);
        } else {
          tx.RollBackTo(mark);
        }
      }
      // Writes that queued while this batch ran join it before the commit instead of
      // waiting for the next one: no delay when the writer is idle, fuller commits when
      // it is busy.
      if (abandon || !TakeQueued(batch)) break;
      results.resize(batch.size());
    }
    if (abandon || succeeded.empty()) {
      // Nothing here may become durable: either every write failed on its own, or the
      // transaction is broken and takes the earlier writes down with it.
      Error lost = BatchLost(results[next - 1].error());
      if (db.InTransaction()) {
        if (auto rolled_back = db.Run("ROLLBACK"); !rolled_back) {
          // The next BEGIN will fail too and report it to the writes that follow.
          lost.message += "; rollback failed too: " + rolled_back.error().message;
        }
      }
      for (size_t i : succeeded) results[i] = Fail(lost);
      continue;
    }
    auto committed = tx.FlushSearchTexts();
    if (committed) committed = db.Run("COMMIT");
    if (!committed) {
      Error error = BatchLost(committed.error());
      if (db.InTransaction()) {
        if (auto rolled_back = db.Exec("ROLLBACK"); !rolled_back) {
          error.message += "; rollback failed too: " + rolled_back.error().message;
        }
      }
      for (size_t i : succeeded) results[i] = Fail(error);
      continue;
    }
    for (int64_t case_id : tx.TakeChanged()) changed.push_back(case_id);
    commits_.fetch_add(1, std::memory_order_relaxed);
    committed_writes_.fetch_add(static_cast<int64_t>(succeeded.size()), std::memory_order_relaxed);
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(std::move(results[i]));
  }
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  for (int64_t case_id : changed) changes_->Publish(case_id);
}

// ---- reads

template <class F>
auto SqliteStore::WithReader(F&& read) -> decltype(read(std::declval<Database&>())) {
  auto lease = readers_.Acquire();
  if (!lease) return Fail(lease.error());
  return read(**lease);
}

namespace {

template <class T>
Result<T> Required(Result<std::optional<T>> found, const std::string& what) {
  if (!found) return Fail(found.error());
  if (!*found) return Fail(ErrorCode::kNotFound, what + " does not exist");
  return std::move(**found);
}

}  // namespace

Result<domain::CaseState> SqliteStore::GetCase(int64_t case_id) {
  return WithReader([&](Database& db) {
    return Required(FindCase(db, case_id), "case " + std::to_string(case_id));
  });
}

Result<CasePage> SqliteStore::ListCases(const CaseQuery& query) {
  return WithReader([&](Database& db) { return QueryCases(db, query); });
}

Result<EventPage> SqliteStore::ListEvents(const EventQuery& query) {
  return WithReader([&](Database& db) { return QueryEvents(db, query); });
}

Result<std::vector<domain::Event>> SqliteStore::LoadEvents(int64_t case_id) {
  return WithReader([&](Database& db) { return QueryAllEvents(db, case_id); });
}

Result<std::vector<int64_t>> SqliteStore::ListCaseIds(int64_t after_id, int limit) {
  return WithReader([&](Database& db) { return QueryCaseIds(db, after_id, limit); });
}

Result<domain::Customer> SqliteStore::GetCustomer(int64_t customer_id) {
  return WithReader([&](Database& db) {
    return Required(FindCustomer(db, customer_id), "customer " + std::to_string(customer_id));
  });
}

Result<std::optional<domain::Customer>> SqliteStore::FindCustomerByIdentity(
    domain::IdentityKind kind, const std::string& normalized_value) {
  return WithReader([&](Database& db) -> Result<std::optional<domain::Customer>> {
    auto owner = FindIdentityOwner(db, kind, normalized_value);
    if (!owner) return Fail(owner.error());
    if (!*owner) return std::optional<domain::Customer>();
    return FindCustomer(db, **owner);
  });
}

Result<std::optional<std::pair<domain::Customer, std::string>>> SqliteStore::FindCustomerLogin(
    const std::string& normalized_email) {
  return WithReader([&](Database& db) { return sqlite::FindCustomerLogin(db, normalized_email); });
}

Result<domain::User> SqliteStore::GetUser(int64_t user_id) {
  return WithReader([&](Database& db) {
    return Required(FindUser(db, user_id), "user " + std::to_string(user_id));
  });
}

Result<std::optional<domain::User>> SqliteStore::FindUserByEmail(const std::string& email) {
  return WithReader([&](Database& db) { return sqlite::FindUserByEmail(db, email); });
}

Result<std::vector<domain::User>> SqliteStore::ListUsers() {
  return WithReader([&](Database& db) { return QueryUsers(db); });
}

Result<std::optional<domain::ApiToken>> SqliteStore::FindApiToken(const std::string& token_hash) {
  return WithReader([&](Database& db) { return sqlite::FindApiToken(db, token_hash); });
}

Result<std::optional<domain::Session>> SqliteStore::FindSession(const std::string& session_hash) {
  return WithReader([&](Database& db) { return sqlite::FindSession(db, session_hash); });
}

Result<std::optional<Attachment>> SqliteStore::GetAttachment(int64_t id) {
  return WithReader([&](Database& db) { return sqlite::GetAttachment(db, id); });
}

Result<std::vector<domain::CaseState>> SqliteStore::SearchCases(const std::string& text,
                                                                int limit) {
  auto checked = CheckedSearchWords(text, limit);
  if (!checked) return Fail(checked.error());
  const std::vector<std::string>& words = *checked;
  return WithReader([&](Database& db) -> Result<std::vector<domain::CaseState>> {
    auto ids = SearchCaseIds(db, words, limit);
    if (!ids) return Fail(ids.error());
    std::vector<domain::CaseState> cases;
    for (int64_t id : *ids) {
      auto found = FindCase(db, id);
      if (!found) return Fail(found.error());
      if (*found) cases.push_back(std::move(**found));
    }
    return cases;
  });
}

Result<std::unique_ptr<Subscription>> SqliteStore::SubscribeChanges(CaseChanged callback) {
  return changes_->Subscribe(std::move(callback));
}

Result<std::optional<Setting>> SqliteStore::GetSetting(const std::string& key) {
  return WithReader([&](Database& db) { return FindSetting(db, key); });
}

Result<int64_t> SqliteStore::CountCases(const CaseQuery& query) {
  return WithReader([&](Database& db) { return store::sqlite::CountCases(db, query); });
}

Result<StoreStats> SqliteStore::Stats() {
  auto stats = WithReader([&](Database& db) { return CountRows(db); });
  if (!stats) return stats;
  stats->commits = commits_.load(std::memory_order_relaxed);
  stats->committed_writes = committed_writes_.load(std::memory_order_relaxed);
  stats->wal_checkpoints =
      checkpointer_->background_checkpoints() + checkpointer_->writer_checkpoints();
  stats->wal_checkpoints_by_writer = checkpointer_->writer_checkpoints();
  stats->wal_checkpoint_failures = checkpointer_->failures();
  return stats;
}

Result<void> SqliteStore::Ping() {
  return WithReader([&](Database& db) -> Result<void> {
    auto statement = db.Prepare("SELECT 1");
    if (!statement) return Fail(statement.error());
    return (*statement)->Run();
  });
}

}  // namespace redress::store::sqlite
