// The PostgreSQL backend, for several Redress nodes on one database.
//
// Writes: a small pool of writer threads, each with its own connection. Every WriteFn runs
// in its own transaction (BEGIN, the function, COMMIT), and the WriteDone callback runs
// after COMMIT returns, which with synchronous_commit=on (the server default) means the
// WAL is flushed. PostgreSQL groups the flushes of concurrently committing transactions
// itself, so N writers in flight share fsyncs without batching writes into one
// transaction (which would let one node's failure roll back another's write). A write
// that dies of a deadlock or serialization failure is run again, up to three times.
//
// Reads: a pool of connections opened on demand, each with its prepared statements.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/change_hub.h"
#include "store/postgres/change_listener.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/pool.h"
#include "store/store.h"

namespace redress::store::postgres {

struct PostgresOptions {
  /// Bring the schema up to date on open; with false, a database that is not at the
  /// latest version is refused with a message to run `redress migrate`.
  bool migrate = true;
  /// Upper bound on read connections; opened on demand.
  int read_connections = 8;
  /// Writer threads, each holding one connection for the store's lifetime.
  int write_connections = 4;
  /// Stamps schema_migrations.applied_at; nullptr means the system clock.
  const Clock* clock = nullptr;
};

class PostgresStore final : public Store {
 public:
  /// Connects to `url` (postgres://user:password@host:port/database or any libpq
  /// connection string). Fails if the server cannot be reached.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                     PostgresOptions options = {});
  /// Finishes every write already submitted (their callbacks run), then disconnects.
  ~PostgresStore() override;

  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

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
  /// The first subscription opens the LISTEN connection (ChangeListener).
  Result<std::unique_ptr<Subscription>> SubscribeChanges(CaseChanged callback) override;
  Result<std::optional<Setting>> GetSetting(const std::string& key) override;
  Result<int64_t> CountCases(const CaseQuery& query) override;
  Result<StoreStats> Stats() override;
  Result<void> Ping() override;

 private:
  struct Job {
    WriteFn fn;
    WriteDone done;
  };

  PostgresStore(const std::string& url, const PostgresOptions& options,
                std::vector<std::unique_ptr<Connection>> writers);

  void WriterLoop(size_t index);
  Result<void> RunJob(std::unique_ptr<Connection>& conn, const WriteFn& fn);

  template <class F>
  auto WithReader(F&& read) -> decltype(read(std::declval<Connection&>()));

  const std::string url_;
  Pool readers_;
  std::vector<std::unique_ptr<Connection>> writer_conns_;  // [i] touched only by thread i

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;

  std::atomic<int64_t> commits_{0};

  std::shared_ptr<ChangeHub> changes_ = std::make_shared<ChangeHub>();
  std::mutex listener_mu_;
  std::unique_ptr<ChangeListener> listener_;  // started by the first SubscribeChanges

  std::vector<std::thread> writers_;  // last: start after everything they use exists
};

/// Creates or upgrades the schema of the database at `url` and returns its version; the
/// work behind `redress migrate --db postgres://...`.
Result<int> MigratePostgres(const std::string& url);

/// True for URLs this backend takes: postgres:// and postgresql://.
bool IsPostgresUrl(std::string_view url);

}  // namespace redress::store::postgres
