// The storage boundary. Everything persistent goes through Store; SQL dialects live only in
// the backends (store/sqlite now, store/postgres later). The interface is shaped by three
// promises:
//
//  * Events are append-only and a case's projection row changes in the same transaction
//    as its events, so the tables can never disagree with the log.
//  * A write is acknowledged only after it is durable (fsync'd). Many concurrent writers
//    share one commit (group commit), so durability costs one fsync per batch, not per write.
//  * Writers never block the I/O threads: SubmitWrite runs the work on the backend's
//    writer and calls back when the batch is durable; Write() is the blocking form for the
//    CLI and tests.
//
// Reads are thread-safe and may be called from any thread; they see committed data only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/customer.h"
#include "domain/event.h"
#include "domain/user.h"
#include "store/mail_tx.h"

namespace redress::store {

struct CaseQuery {
  std::optional<domain::CaseStatus> status;
  std::optional<int64_t> owner_id;
  bool unowned = false;  // only cases without an owner (ignored if owner_id is set)
  std::optional<int> level;
  std::optional<int64_t> customer_id;
  /// Only cases that still need work: not solved and not closed.
  bool active_only = false;
  /// Only cases whose next step is due at or before this time (cases.next_due_at, written
  /// by the escalation reactor; overdue ones included): the breaching-soon queue.
  std::optional<Timestamp> due_by;
  /// Order by the next due time, soonest first (cases without one last), then by id;
  /// pages by `offset` instead of the id cursor.
  bool sort_due = false;
  int offset = 0;  // sort_due only: cases to skip
  /// Cursor: return cases with id < before_id (newest first). Absent = from the newest.
  /// Ignored when sort_due is set.
  std::optional<int64_t> before_id;
  int limit = 50;  // 1..200, validated by the caller
};

/// A named, versioned value shared by every node (the running escalation policy). The
/// version grows by one with every PutSetting, so a node notices a change by polling it.
struct Setting {
  std::string key;
  std::string value;
  int64_t version = 0;
  Timestamp updated_at{};
};

/// A one-time sign-in link for a customer; the secret in the link is stored only as its
/// SHA-256. Redeeming sets used_at, after which the link never works again.
struct SignInLink {
  int64_t id = 0;  // filled in by InsertSignInLink
  std::string token_hash;
  int64_t customer_id = 0;
  std::string email;         // the address the link was mailed to
  std::string requested_by;  // "customer", or "user:<id>" when staff sent it
  Timestamp created_at{};
  Timestamp expires_at{};
  std::optional<Timestamp> used_at;
};

/// A file a customer or an agent uploaded. It waits with no case until an event uses it
/// (AttachToCase, in that event's write); then it belongs to that case for good.
struct Attachment {
  int64_t id = 0;  // filled in by InsertAttachment
  std::optional<int64_t> case_id;
  std::string uploaded_by;  // "customer:<id>" or "user:<id>"
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;  // lowercase hex of bytes
  std::string bytes;   // empty where only the description was read
  Timestamp created_at{};
};

/// The errors both backends give for attachments an event cannot use: not an unused
/// upload of the caller's (kInvalidArgument), or used by another request first (kConflict).
Error NotAnOpenUpload(int64_t attachment_id);
Error AlreadyUsed(int64_t attachment_id);

struct CasePage {
  std::vector<domain::CaseState> cases;
  std::optional<int64_t> next_before_id;  // set when more cases may follow
};

struct EventQuery {
  int64_t case_id = 0;
  int64_t after_seq = 0;  // cursor: events with seq > after_seq, oldest first
  int limit = 100;        // 1..500
  bool include_internal = false;
};

struct EventPage {
  std::vector<domain::Event> events;
  std::optional<int64_t> next_after_seq;  // set when more events may follow
};

/// The stored answer to a POST carrying an Idempotency-Key, replayed on a retry.
struct IdempotencyRecord {
  std::string scope;        // who asked: "user:7", "customer:3"
  std::string key;          // the Idempotency-Key header value
  std::string fingerprint;  // hex SHA-256 of method, path and body: a reused key with a
                            // different request is refused, not replayed
  int status = 0;
  std::string body;      // response body as sent
  std::string location;  // Location header, if any
  Timestamp created_at{};
};

struct StoreStats {
  int64_t cases = 0;
  int64_t events = 0;
  int64_t customers = 0;
  int64_t commits = 0;           // durable commits since start
  int64_t committed_writes = 0;  // writes carried by those commits (writes/commit = batching)
  // SQLite only: WAL checkpoints since start, those the writer had to run itself because
  // the background checkpointer fell behind, and those that failed.
  int64_t wal_checkpoints = 0;
  int64_t wal_checkpoints_by_writer = 0;
  int64_t wal_checkpoint_failures = 0;
};

/// Background work shared by every node (outbound mail, mailbox polling, policy refresh):
/// a durable queue in the database. A job is scheduled inside a write, so it exists if and
/// only if the change that called for it committed. Workers claim due jobs with a lease;
/// a claimed job is invisible to other claimers until its lease runs out, so each job is
/// worked on by one node at a time, and a node that dies mid-job has it taken over when
/// the lease expires. Completing a job in the same write as its effect (an event appended,
/// a mail marked sent) makes the pair exactly-once; effects outside the database (SMTP)
/// are at-least-once and should carry the job's key to be deduplicated downstream.
struct JobSpec {
  std::string kind;  // which worker handles it: "mail_send", "policy_refresh", ...
  std::string key;   // unique within kind: scheduling an existing (kind, key) is a no-op
  Timestamp due_at{};
  std::string payload;  // kind-specific, usually JSON text
};

struct ClaimedJob {
  int64_t id = 0;
  std::string kind;
  std::string key;
  Timestamp due_at{};
  std::string payload;
  int attempts = 0;        // claims so far, this one included
  std::string last_error;  // from the last RetryJob, "" if none
};

struct JobClaim {
  std::string kind;
  std::string owner;  // identifies the claiming worker; unique per node process
  Timestamp now{};    // due_at <= now is due; a lease that ended by now has expired
  std::chrono::microseconds lease{std::chrono::seconds(60)};
  int limit = 10;
};

/// A case's due times, as the escalation reactor recomputes them after every change
/// (app/escalation_reactor.h). The timer is the case's own row, not a queue entry: a
/// million open cases hold a million timers in one indexed column, a deadline that moves
/// moves the timer, and firing one costs no queue bookkeeping.
struct CaseDue {
  std::optional<Timestamp> next_step;  // what the customer is owed next (overdue included)
  std::optional<Timestamp> timer;      // when the earliest deadline not on record falls due
};

/// A case whose timer is due (ClaimDueCases), read by the claim itself: firing it needs no
/// second read (WriteTx::LoadCaseForUpdate) of the row.
struct DueCase {
  int64_t case_id = 0;
  Timestamp timer{};
  int failures = 0;  // DeferCaseTimer calls since the timer was last set by SetCaseDue
  domain::CaseState state;
};

/// What deciding a case's next events may read and write besides the case itself
/// (app::CaseReactor::OnEvents): the customer's value tier and the escalation levels'
/// round-robin cursors. Narrower than WriteTx on purpose: a decision that needs only this
/// can be prepared away from the writer's thread (engine/aside_decide_tx.h answers it from
/// a copy made in the write, and the write replays its cursor saves), so the one writer
/// spends its time on storing.
class DecideTx {
 public:
  virtual ~DecideTx() = default;

  /// A customer's value tier as this transaction sees it (a customer created in the same
  /// write included), for the escalation reactor. kNotFound if no such customer.
  virtual Result<std::string> LoadCustomerTier(int64_t customer_id) = 0;
  /// The round-robin position of an escalation level ("l2"): the member index to start
  /// from next time; 0 for a level never routed to.
  virtual Result<int64_t> LoadRoutingCursor(const std::string& level_id) = 0;
  virtual Result<void> SaveRoutingCursor(const std::string& level_id, int64_t cursor) = 0;
};

/// The write side of one transaction. Methods are only valid inside a WriteFn.
class WriteTx : public DecideTx {
 public:
  /// Next id for a new case (never reused, even after rollback gaps are allowed).
  virtual Result<int64_t> NextCaseId() = 0;

  /// The projection row of a case, for deciding the next events. kNotFound if absent.
  /// In multi-writer backends this also locks the case until commit.
  virtual Result<domain::CaseState> LoadCaseForUpdate(int64_t case_id) = 0;

  /// Appends sealed events (already hash-linked onto `before`'s head) and writes `after`
  /// as the projection row. `before` is nullopt for a new case. The backend checks that
  /// the events continue the stored head (kConflict if another writer got there first).
  /// PostgreSQL reports that conflict late, at the write's next statement (see
  /// SendDeferred), and every statement after it fails with it too, so it cannot commit.
  /// `due`, when given, is written in the same row write, as SetCaseDue would: every
  /// change to a case also moves its due times, and one row write is cheaper than two
  /// (on PostgreSQL it is one round trip fewer).
  virtual Result<void> AppendEvents(const std::optional<domain::CaseState>& before,
                                    const std::vector<domain::Event>& events,
                                    const domain::CaseState& after,
                                    const std::optional<CaseDue>& due = std::nullopt) = 0;

  /// Inserts a customer with its identities and fills in its id. An identity already held
  /// by another customer is kConflict naming it.
  virtual Result<void> InsertCustomer(domain::Customer& customer) = 0;

  /// Inserts a staff user and fills in its id; a taken email is kConflict.
  virtual Result<void> InsertUser(domain::User& user) = 0;
  /// Sets a customer's password hash (customer portal login). kNotFound if no such customer.
  virtual Result<void> SetCustomerPassword(int64_t customer_id, const std::string& hash) = 0;
  /// Sets a customer's value tier (domain::NormalizeTier'd; "" clears it). kNotFound if no
  /// such customer.
  virtual Result<void> SetCustomerTier(int64_t customer_id, const std::string& tier) = 0;
  // LoadCustomerTier: see DecideTx.

  virtual Result<void> InsertApiToken(const domain::ApiToken& token) = 0;
  virtual Result<void> InsertSession(const domain::Session& session) = 0;
  virtual Result<void> DeleteSession(const std::string& session_hash) = 0;

  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& scope,
                                                                   const std::string& key) = 0;
  virtual Result<void> InsertIdempotency(const IdempotencyRecord& record) = 0;

  // ---- the work queue (see JobSpec)
  /// True if scheduled, false if a job with the same kind and key already exists (done
  /// or not): a deadline is never scheduled twice.
  virtual Result<bool> ScheduleJob(const JobSpec& job) = 0;
  /// Leases up to claim.limit due, unfinished, unleased (or lease-expired) jobs of one
  /// kind to claim.owner until claim.now + claim.lease, oldest due first. Concurrent
  /// claimers on any node never get the same job while its lease runs.
  virtual Result<std::vector<ClaimedJob>> ClaimJobs(const JobClaim& claim) = 0;
  /// Marks a job done for good. kConflict if `owner` no longer holds it (its lease expired
  /// and another worker claimed it): the caller's work is then a duplicate and must not be
  /// committed, so return that error from the WriteFn.
  virtual Result<void> CompleteJob(int64_t job_id, const std::string& owner, Timestamp now) = 0;
  /// Gives a job back to be claimed again from `retry_at`, remembering `error`. kConflict
  /// if `owner` no longer holds it.
  virtual Result<void> RetryJob(int64_t job_id, const std::string& owner, Timestamp retry_at,
                                const std::string& error) = 0;
  /// Makes the unfinished job (kind, key) due at `due_at` if it was due later (an IMAP IDLE
  /// wake-up: poll this mailbox now). Leaves its lease alone: a claimed job stays its
  /// claimer's, whose RetryJob then sets the next due time. False if no such unfinished job.
  virtual Result<bool> ExpediteJob(const std::string& kind, const std::string& key,
                                   Timestamp due_at) = 0;

  // ---- one-time sign-in links
  virtual Result<void> InsertSignInLink(SignInLink& link) = 0;
  virtual Result<std::optional<SignInLink>> FindSignInLink(const std::string& token_hash) = 0;
  /// Sets used_at on link `id` if it is still unused; false if it was used already.
  virtual Result<bool> UseSignInLink(int64_t id, Timestamp now) = 0;
  /// How many links were made for `customer_id` at or after `since` (all requesters).
  virtual Result<int64_t> CountSignInLinks(int64_t customer_id, Timestamp since) = 0;

  // ---- uploaded attachments
  virtual Result<void> InsertAttachment(Attachment& attachment) = 0;
  /// The descriptions (no bytes) of uploads `ids`, in that order, for an event that is
  /// about to use them. Each must be an upload of `uploaded_by` that no case has yet:
  /// kInvalidArgument (field "attachment_ids") naming the first that is not.
  virtual Result<std::vector<Attachment>> DescribeUploads(const std::vector<int64_t>& ids,
                                                          const std::string& uploaded_by) = 0;
  /// Gives uploads `ids` to case `case_id` for good, in the write of the event that uses
  /// them. kConflict if one of them has a case already (another request used it first).
  virtual Result<void> AttachToCase(const std::vector<int64_t>& ids, int64_t case_id) = 0;

  // ---- escalation bookkeeping
  /// Stores `value` under `key` and returns its new version (1 for a new key).
  virtual Result<int64_t> PutSetting(const std::string& key, const std::string& value,
                                     Timestamp now) = 0;
  // LoadRoutingCursor and SaveRoutingCursor: see DecideTx.
  /// Stores the case's due times in one row update: `due.next_step` for the
  /// breaching-soon queue and sort-by-due, `due.timer` as the case's deadline timer (see
  /// ClaimDueCases), whose failure count starts again at 0. kNotFound if the case does not
  /// exist.
  virtual Result<void> SetCaseDue(int64_t case_id, const CaseDue& due) = 0;
  /// The cases whose timer is due at `now`, earliest first, at most `limit`, each with its
  /// current state, for the caller to fire inside this same write (engine/job_runner.h,
  /// RunCaseTimers). On PostgreSQL the rows are locked and rows another node is firing are skipped,
  /// so nodes take disjoint sets and a node that dies mid-write leaves every timer it took due.
  virtual Result<std::vector<DueCase>> ClaimDueCases(Timestamp now, int limit) = 0;
  /// Sets a failed timer to fire again at `retry_at` and counts the failure.
  virtual Result<void> DeferCaseTimer(int64_t case_id, Timestamp retry_at) = 0;
  /// The email channel's tables in this same transaction (store/mail_tx.h).
  virtual MailTx& mail() = 0;

  /// Sends what the backend deferred to save round trips (PostgreSQL: a case's row update
  /// and events, routing cursors) and returns the first failure among them; nothing on
  /// SQLite, which defers nothing. A deferred failure is otherwise the next statement's,
  /// whoever sends it: call this where the failure must be blamed on the code that caused
  /// it, as a job runner does between a job's handler and the job's completion.
  virtual Result<void> SendDeferred() = 0;

  // ---- batching independent pieces of work into one commit
  /// Runs `fn` inside a savepoint, so that its changes can be undone alone: if `fn` fails,
  /// what it wrote is rolled back and its error is returned as the value, and the rest of
  /// the transaction goes on (the deadline job runs hundreds of jobs per commit this way,
  /// and one bad case does not take the others down). nullopt means `fn` succeeded and its
  /// changes stay. An error of the call itself means the savepoint could not be set or
  /// undone: the transaction cannot be trusted, so the WriteFn must return that error.
  virtual Result<std::optional<Error>> Isolated(const std::function<Result<void>()>& fn) = 0;
};

/// Called with the id of a case that changed (events appended) on any node, after the
/// change committed. Runs on the store's notification thread: post to your own executor
/// and return quickly; never unsubscribe from inside it.
using CaseChanged = std::function<void(int64_t case_id)>;

/// A live subscription; destroying it unsubscribes (no callback runs after that).
class Subscription {
 public:
  virtual ~Subscription() = default;
};

/// Work to run inside one transaction. Returning an error rolls back this write only;
/// other writes in the same group commit are unaffected.
using WriteFn = std::function<Result<void>(WriteTx&)>;
/// Called once the write is durable (ok) or has failed. Called on the writer thread: post
/// back to your own executor and return quickly.
using WriteDone = std::function<void(Result<void>)>;

class Store {
 public:
  virtual ~Store() = default;

  // ---- writes
  virtual void SubmitWrite(WriteFn fn, WriteDone done) = 0;
  /// Blocking form of SubmitWrite. Never call it from inside a WriteFn or WriteDone: those
  /// run on the writer thread, which would then wait for itself.
  Result<void> Write(WriteFn fn);

  // ---- reads (committed data; thread-safe)
  virtual Result<domain::CaseState> GetCase(int64_t case_id) = 0;
  virtual Result<CasePage> ListCases(const CaseQuery& query) = 0;
  virtual Result<EventPage> ListEvents(const EventQuery& query) = 0;
  /// Every event of a case in order, internal included (for verify and export).
  virtual Result<std::vector<domain::Event>> LoadEvents(int64_t case_id) = 0;
  /// Case ids in ascending order after `after_id`, for walking every case.
  virtual Result<std::vector<int64_t>> ListCaseIds(int64_t after_id, int limit) = 0;

  virtual Result<domain::Customer> GetCustomer(int64_t customer_id) = 0;
  virtual Result<std::optional<domain::Customer>> FindCustomerByIdentity(
      domain::IdentityKind kind, const std::string& normalized_value) = 0;
  /// Password hash of a customer found by email, for portal login (empty = none set).
  virtual Result<std::optional<std::pair<domain::Customer, std::string>>> FindCustomerLogin(
      const std::string& normalized_email) = 0;

  virtual Result<domain::User> GetUser(int64_t user_id) = 0;
  virtual Result<std::optional<domain::User>> FindUserByEmail(const std::string& email) = 0;
  virtual Result<std::vector<domain::User>> ListUsers() = 0;

  virtual Result<std::optional<domain::ApiToken>> FindApiToken(const std::string& token_hash) = 0;
  virtual Result<std::optional<domain::Session>> FindSession(const std::string& session_hash) = 0;

  /// An uploaded file with its bytes; nullopt if there is none with that id.
  virtual Result<std::optional<Attachment>> GetAttachment(int64_t id) = 0;

  /// Cases whose subject or one public message contains every word of `text` (see
  /// store/search_text.h), best match first, at most `limit` (1..200). Internal notes are
  /// never searched. kInvalidArgument if `text` has no words. The default (for test
  /// doubles) fails; both real backends implement it.
  virtual Result<std::vector<domain::CaseState>> SearchCases(const std::string& text, int limit);

  /// Live "case N changed" notifications, so an agent on node A sees a message that
  /// arrived on node B: PostgreSQL LISTEN/NOTIFY across nodes, in-process for SQLite (one
  /// node). Delivery is best effort and at most once (a notification sent while a
  /// listener reconnects is lost): use it to refresh, never as the record. The default
  /// (for test doubles) fails; both real backends implement it.
  virtual Result<std::unique_ptr<Subscription>> SubscribeChanges(CaseChanged callback);

  /// A shared setting, or nullopt if it was never put. The default (for test doubles) fails.
  virtual Result<std::optional<Setting>> GetSetting(const std::string& key);
  /// How many cases match `query` (its filters; cursor, offset and limit ignored). The
  /// default (for test doubles) fails.
  virtual Result<int64_t> CountCases(const CaseQuery& query);

  virtual Result<StoreStats> Stats() = 0;
  /// True when the database answers a trivial query (readiness).
  virtual Result<void> Ping() = 0;
};

}  // namespace redress::store
