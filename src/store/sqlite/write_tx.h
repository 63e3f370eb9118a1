// WriteTx on the SQLite writer connection. The writer thread creates one per batch and
// hands it to each write in turn; the transaction and savepoints around each write are the
// writer's business (sqlite_store.cc), so this class only runs statements.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/mail_tx.h"
#include "store/store.h"

namespace redress::store::sqlite {

class SqliteWriteTx final : public WriteTx {
 public:
  explicit SqliteWriteTx(Database& db) : db_(db) {}

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
  Result<void> SendDeferred() override { return {}; }  // nothing is deferred
  MailTx& mail() override { return mail_; }
  Result<std::optional<Error>> Isolated(const std::function<Result<void>()>& fn) override;

  /// What the transaction owes after its writes: the cases appended to (for change
  /// notifications after commit) and their search texts (FlushSearchTexts, just before
  /// commit). The writer truncates back to a mark when a write's savepoint is rolled back.
  struct Mark {
    size_t changed = 0;
    size_t texts = 0;
  };
  Mark mark() const { return Mark{changed_.size(), texts_.size()}; }
  void RollBackTo(Mark mark) {
    changed_.resize(mark.changed);
    texts_.resize(mark.texts);
  }
  /// A fresh transaction: forgets what an abandoned one owed.
  void Restart() {
    changed_.clear();
    texts_.clear();
  }
  std::vector<int64_t> TakeChanged() { return std::exchange(changed_, {}); }

  /// Indexes the search texts of every write of the transaction, as its last statements.
  /// Why not at each append: SQLite 3.40's FTS5 writes its pending terms to disk at every
  /// statement savepoint that follows, so texts inserted between other statements cost a
  /// flush (and a tiny segment to merge) per write; written last, they are flushed once.
  Result<void> FlushSearchTexts();

 private:
  static void BindProjection(Statement& s, const domain::CaseState& c);
  /// Binds next_due_at and timer_at as ?first and ?first+1.
  static void BindDue(Statement& s, int first, const CaseDue& due);
  Result<void> InsertProjection(const domain::CaseState& c, const std::optional<CaseDue>& due);
  Result<void> UpdateProjection(const domain::CaseState& before, const domain::CaseState& c,
                                const std::optional<CaseDue>& due);
  Result<void> InsertEvent(const domain::Event& event);

  Database& db_;
  SqliteMailTx mail_{db_};
  std::vector<int64_t> changed_;
  struct SearchText {
    int64_t case_id;
    std::string text;
  };
  std::vector<SearchText> texts_;
};

}  // namespace redress::store::sqlite
