#include "store/postgres/postgres_store.h"

#include <exception>

#include "store/postgres/migrations.h"
#include "store/postgres/queries.h"
#include "store/postgres/write_tx.h"
#include "store/search_text.h"

namespace redress::store::postgres {
namespace {

constexpr int kMaxAttempts = 3;  // deadlock / serialization failure: run the write again

const Clock& ClockOrSystem(const Clock* clock) {
  static const SystemClock system_clock;
  return clock != nullptr ? *clock : system_clock;
}

Result<void> CheckOptions(const PostgresOptions& options) {
  if (options.read_connections < 1) {
    return Fail(ErrorCode::kInvalidArgument, "read_connections must be at least 1");
  }
  if (options.write_connections < 1) {
    return Fail(ErrorCode::kInvalidArgument, "write_connections must be at least 1");
  }
  return {};
}

// A WriteFn is the caller's code; an exception escaping it must fail that write, not kill
// the writer thread.
Result<void> Invoke(const WriteFn& fn, WriteTx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("write failed with an exception: ") + e.what());
  } catch (...) {
    return Fail(ErrorCode::kInternal, "write failed with a non-standard exception");
  }
}

template <class T>
Result<T> Required(Result<std::optional<T>> found, const std::string& what) {
  if (!found) return Fail(found.error());
  if (!*found) return Fail(ErrorCode::kNotFound, what + " does not exist");
  return std::move(**found);
}

}  // namespace

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

// ---- opening

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           PostgresOptions options) {
  if (auto ok = CheckOptions(options); !ok) return Fail(ok.error());
  std::vector<std::unique_ptr<Connection>> writers;
  for (int i = 0; i < options.write_connections; ++i) {
    auto conn = Connection::Open(url);
    if (!conn) return Fail(conn.error());
    writers.push_back(std::move(*conn));
  }
  if (options.migrate) {
    if (auto migrated = Migrate(*writers.front(), ClockOrSystem(options.clock)); !migrated) {
      return Fail(migrated.error());
    }
  } else if (auto current = RequireLatestSchema(*writers.front()); !current) {
    return Fail(current.error());
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(url, options, std::move(writers)));
}

Result<int> MigratePostgres(const std::string& url) {
  auto conn = Connection::Open(url);
  if (!conn) return Fail(conn.error());
  return Migrate(**conn, ClockOrSystem(nullptr));
}

PostgresStore::PostgresStore(const std::string& url, const PostgresOptions& options,
                             std::vector<std::unique_ptr<Connection>> writers)
    : url_(url), readers_(url, options.read_connections), writer_conns_(std::move(writers)) {
  for (size_t i = 0; i < writer_conns_.size(); ++i) {
    writers_.emplace_back([this, i] { WriterLoop(i); });
  }
}

PostgresStore::~PostgresStore() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  for (std::thread& writer : writers_) writer.join();
}

// ---- writes

void PostgresStore::SubmitWrite(WriteFn fn, WriteDone done) {
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

void PostgresStore::WriterLoop(size_t index) {
  std::unique_ptr<Connection>& conn = writer_conns_[index];
  for (;;) {
    Job job;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every submitted write has run
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Result<void> result = RunJob(conn, job.fn);
    if (job.done) job.done(std::move(result));
  }
}

Result<void> PostgresStore::RunJob(std::unique_ptr<Connection>& conn, const WriteFn& fn) {
  Result<void> result;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    if (!conn || !conn->Healthy()) {
      // The server went away (restart, failover): reconnect for this write.
      auto fresh = Connection::Open(url_);
      if (!fresh) return Fail(fresh.error());
      conn = std::move(*fresh);
    }
    if (auto begun = conn->Query("BEGIN"); !begun) return Fail(begun.error());
    PgWriteTx tx(*conn);
    result = Invoke(fn, tx);
    // Statements the write deferred (Connection::Defer) go now: a failure among them fails
    // the write before its COMMIT.
    if (result) result = conn->FlushDeferred();
    if (result) {
      auto committed = conn->Query("COMMIT");
      if (committed) {
        commits_.fetch_add(1, std::memory_order_relaxed);
        return {};
      }
      result = Fail(committed.error());
      if (!conn->Healthy()) {
        // The COMMIT may or may not have reached the server; the caller must not assume
        // either, exactly like a client whose connection dropped.
        result.error().message =
            "the connection was lost while committing; the write may "
            "or may not have been applied: " +
            result.error().message;
        return result;
      }
    } else if (conn->Healthy()) {
      conn->DiscardDeferred();  // the ROLLBACK must not wait behind them
      if (auto rolled_back = conn->Query("ROLLBACK"); !rolled_back) {
        result.error().message += " (rollback failed too: " + rolled_back.error().message + ")";
        return result;
      }
    }
    if (!IsRetryableTransactionFailure(conn->last_sqlstate())) return result;
  }
  return result;
}

// ---- reads

template <class F>
auto PostgresStore::WithReader(F&& read) -> decltype(read(std::declval<Connection&>())) {
  auto lease = readers_.Acquire();
  if (!lease) return Fail(lease.error());
  return read(**lease);
}

Result<domain::CaseState> PostgresStore::GetCase(int64_t case_id) {
  return WithReader([&](Connection& c) {
    return Required(FindCase(c, case_id), "case " + std::to_string(case_id));
  });
}

Result<CasePage> PostgresStore::ListCases(const CaseQuery& query) {
  return WithReader([&](Connection& c) { return QueryCases(c, query); });
}

Result<EventPage> PostgresStore::ListEvents(const EventQuery& query) {
  return WithReader([&](Connection& c) { return QueryEvents(c, query); });
}

Result<std::vector<domain::Event>> PostgresStore::LoadEvents(int64_t case_id) {
  return WithReader([&](Connection& c) { return QueryAllEvents(c, case_id); });
}

Result<std::vector<int64_t>> PostgresStore::ListCaseIds(int64_t after_id, int limit) {
  return WithReader([&](Connection& c) { return QueryCaseIds(c, after_id, limit); });
}

Result<domain::Customer> PostgresStore::GetCustomer(int64_t customer_id) {
  return WithReader([&](Connection& c) {
    return Required(FindCustomer(c, customer_id), "customer " + std::to_string(customer_id));
  });
}

Result<std::optional<domain::Customer>> PostgresStore::FindCustomerByIdentity(
    domain::IdentityKind kind, const std::string& normalized_value) {
  return WithReader([&](Connection& c) -> Result<std::optional<domain::Customer>> {
    auto owner = FindIdentityOwner(c, kind, normalized_value);
    if (!owner) return Fail(owner.error());
    if (!*owner) return std::optional<domain::Customer>();
    return FindCustomer(c, **owner);
  });
}

Result<std::optional<std::pair<domain::Customer, std::string>>> PostgresStore::FindCustomerLogin(
    const std::string& normalized_email) {
  return WithReader(
      [&](Connection& c) { return postgres::FindCustomerLogin(c, normalized_email); });
}

Result<domain::User> PostgresStore::GetUser(int64_t user_id) {
  return WithReader([&](Connection& c) {
    return Required(FindUser(c, user_id), "user " + std::to_string(user_id));
  });
}

Result<std::optional<domain::User>> PostgresStore::FindUserByEmail(const std::string& email) {
  return WithReader([&](Connection& c) { return postgres::FindUserByEmail(c, email); });
}

Result<std::vector<domain::User>> PostgresStore::ListUsers() {
  return WithReader([&](Connection& c) { return QueryUsers(c); });
}

Result<std::optional<domain::ApiToken>> PostgresStore::FindApiToken(const std::string& token_hash) {
  return WithReader([&](Connection& c) { return postgres::FindApiToken(c, token_hash); });
}

Result<std::optional<domain::Session>> PostgresStore::FindSession(const std::string& session_hash) {
  return WithReader([&](Connection& c) { return postgres::FindSession(c, session_hash); });
}

Result<std::optional<Attachment>> PostgresStore::GetAttachment(int64_t id) {
  return WithReader([&](Connection& c) { return postgres::GetAttachment(c, id); });
}

Result<std::vector<domain::CaseState>> PostgresStore::SearchCases(const std::string& text,
                                                                  int limit) {
  auto checked = CheckedSearchWords(text, limit);
  if (!checked) return Fail(checked.error());
  const std::vector<std::string>& words = *checked;
  return WithReader([&](Connection& c) -> Result<std::vector<domain::CaseState>> {
    auto ids = SearchCaseIds(c, words, limit);
    if (!ids) return Fail(ids.error());
    std::vector<domain::CaseState> cases;
    for (int64_t id : *ids) {
      auto found = FindCase(c, id);
      if (!found) return Fail(found.error());
      if (*found) cases.push_back(std::move(**found));
    }
    return cases;
  });
}

Result<std::unique_ptr<Subscription>> PostgresStore::SubscribeChanges(CaseChanged callback) {
  std::lock_guard lock(listener_mu_);
  if (!listener_) {
    auto started = ChangeListener::Start(url_, changes_);
    if (!started) return Fail(started.error());
    listener_ = std::move(*started);
  }
  return changes_->Subscribe(std::move(callback));
}

Result<std::optional<Setting>> PostgresStore::GetSetting(const std::string& key) {
  return WithReader([&](Connection& c) { return FindSetting(c, key); });
}

Result<int64_t> PostgresStore::CountCases(const CaseQuery& query) {
  return WithReader([&](Connection& c) { return store::postgres::CountCases(c, query); });
}

Result<StoreStats> PostgresStore::Stats() {
  auto stats = WithReader([&](Connection& c) { return CountRows(c); });
  if (!stats) return stats;
  stats->commits = commits_.load(std::memory_order_relaxed);
  stats->committed_writes = stats->commits;  // one write per transaction
  return stats;
}

Result<void> PostgresStore::Ping() {
  return WithReader([&](Connection& c) -> Result<void> {
    auto rows = c.Query("SELECT 1");
    if (!rows) return Fail(rows.error());
    return {};
  });
}

}  // namespace redress::store::postgres
