// WriteTx on one writer connection inside an open transaction (BEGIN/COMMIT are the
// store's business, postgres_store.cc). Per-case serialisation across nodes comes from
// row locks: LoadCaseForUpdate locks the case's projection row until commit, so a second
// writer to the same case waits and then reads the new head; AppendEvents re-checks the
// head under that lock, and the (case_id, seq) primary key turns any writer that skipped
// the lock into kConflict, never a fork.
//
// Unlike SQLite, PostgreSQL aborts the whole transaction after any failed statement: a
// WriteFn must return the first error it gets from this class, not try something else.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/postgres/mail_tx.h"
#include "store/postgres/pg_conn.h"
#include "store/store.h"

namespace redress::store::postgres {

class PgWriteTx final : public WriteTx {
 public:
  explicit PgWriteTx(Connection& conn) : conn_(conn) {}

  Result<int64_t> NextCaseId() override;
  Result<domain::CaseState> LoadCaseForUpdate(int64_t case_id) override;
  Result<void> AppendEvents(const std::optional<domain::CaseState>& before,
                            const std::vector<domain::Event>& events,
                            const domain::CaseState& after,
                            const std::optional<CaseDue>& due) override;
  Result<void> InsertCustomer(domain::Customer& customer) override;
  Result<void> InsertUser(domain::User& user) override;
  Result<void> SetCustomerPassword(int64_t customer_id, const std::string& hash) override;
  Result<void> SetCustomerTier(int64_t customer_id, const std::string& tier) override;
  Result<std::string> LoadCustomerTier(int64_t customer_id) override;
  Result<void> InsertApiToken(const domain::ApiToken& token) override;
  Result<void> InsertSession(const domain::Session& session) override;
  Result<void> DeleteSession(const std::string& session_hash) override;
  /// Takes a transaction-level advisory lock on (scope, key) first: a concurrent request
  /// with the same key on any node waits here until this transaction ends, then finds the
  /// stored answer and replays it instead of repeating the effect.
  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                           const std::string& key) override;
  Result<void> InsertIdempotency(const IdempotencyRecord& record) override;
  Result<bool> ScheduleJob(const JobSpec& job) override;
  Result<std::vector<ClaimedJob>> ClaimJobs(const JobClaim& claim) override;
  Result<void> CompleteJob(int64_t job_id, const std::string& owner, Timestamp now) override;
  Result<void> RetryJob(int64_t job_id, const std::string& owner, Timestamp retry_at,
                        const std::string& error) override;
  Result<bool> ExpediteJob(const std::string& kind, const std::string& key,
                           Timestamp due_at) override;
  // sign_in_links.cc
  Result<void> InsertAttachment(Attachment& attachment) override;
  Result<std::vector<Attachment>> DescribeUploads(const std::vector<int64_t>& ids,
                                                  const std::string& uploaded_by) override;
  Result<void> AttachToCase(const std::vector<int64_t>& ids, int64_t case_id) override;
  Result<void> InsertSignInLink(SignInLink& link) override;
  Result<std::optional<SignInLink>> FindSignInLink(const std::string& token_hash) override;
  Result<bool> UseSignInLink(int64_t id, Timestamp now) override;
  Result<int64_t> CountSignInLinks(int64_t customer_id, Timestamp since) override;
  Result<int64_t> PutSetting(const std::string& key, const std::string& value,
                             Timestamp now) override;
  Result<int64_t> LoadRoutingCursor(const std::string& level_id) override;
  Result<void> SaveRoutingCursor(const std::string& level_id, int64_t cursor) override;
  Result<void> SetCaseDue(int64_t case_id, const CaseDue& due) override;
  Result<std::vector<DueCase>> ClaimDueCases(Timestamp now, int limit) override;
  Result<void> DeferCaseTimer(int64_t case_id, Timestamp retry_at) override;
  Result<void> SendDeferred() override { return conn_.FlushDeferred(); }
  MailTx& mail() override { return mail_; }
  Result<std::optional<Error>> Isolated(const std::function<Result<void>()>& fn) override;

 private:
  Result<void> InsertProjection(const domain::CaseState& after, const std::optional<CaseDue>& due);
  /// The compare-and-set row update of an existing case: kConflict if its head moved.
  Result<void> UpdateProjection(const domain::CaseState& before, const domain::CaseState& after,
                                const std::optional<CaseDue>& due);
  Result<void> InsertEventsAndNotify(const std::vector<domain::Event>& events, int64_t case_id);

  Connection& conn_;
  PgMailTx mail_{conn_};
  // Routing cursors this transaction has locked (SELECT ... FOR UPDATE), with their values
  // as it last wrote them: nobody else can change them before it ends, so a second routing
  // into the same level needs no round trip. Forgotten when an isolated step is undone.
  std::map<std::string, int64_t, std::less<>> cursors_;
};

}  // namespace redress::store::postgres
