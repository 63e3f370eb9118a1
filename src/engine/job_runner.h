// Runs this node's share of the background work: the jobs in the store's shared queue
// (store.h, JobSpec: outbound mail, mailbox polls, policy refreshes) and the cases'
// deadline timers (store.h, CaseDue). Every node runs one JobRunner; the queue's leases
// decide which node works on which job, so a job runs once however many nodes are up, and
// a job whose node died is taken over when its lease runs out. Timers need no lease: they
// are claimed and fired in one write (see RegisterCaseTimers).
//
// One pass: for every registered kind, claim due jobs (a write), then run each job in its
// own write together with CompleteJob, so the job's effect (an event appended, a mail
// marked sent) and its completion commit together or not at all. A kind registered as
// JobWrites::kBatched runs every job of a claim in one write instead: one commit (one
// fsync) for hundreds of jobs. The first attempt runs them back to back; if any job fails,
// that write is undone and the batch runs again with each job and its completion inside
// its own savepoint (WriteTx::Isolated), so the failing job is undone alone while the
// others commit. Either way each job and its completion are together or not at all. If a
// batch's write fails as a whole, its jobs are run again one per write, so whatever broke
// it is confined to its own job. A handler error gives
// the job back for a retry after a backoff, with the error remembered on the job; if the
// lease was lost meanwhile (another node took the job over), the write rolls back and the
// other node's run is the one that counts.
//
// Time comes from the Clock, so with a test clock nothing is due until an admin moves
// time; Wake() (called when the test clock moves, or when a write scheduled a job due at
// once) starts a pass without waiting for the poll interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace redress::engine {

/// Does one job inside the write that will also complete it. Return an error to have the
/// job retried later; never block on the network while holding the write (claim the job,
/// do slow work elsewhere, and schedule a follow-up job instead).
using JobHandler = std::function<Result<void>(store::WriteTx&, const store::ClaimedJob&, Timestamp now)>;

/// For a job whose work is slow I/O (an SMTP conversation, an IMAP fetch): runs outside
/// any write, then returns the handler that records the outcome inside the write that
/// also completes the job. An error gives the job back for a retry, like a handler error.
/// The work must end well within the runner's lease, or another node may take the job
/// over and do it again (so the I/O is at-least-once; the recording stays exactly-once).
using JobWork = std::function<Result<JobHandler>(const store::ClaimedJob&, Timestamp now)>;

/// Fires one case's due timer (store::WriteTx::ClaimDueCases) inside the write that
/// claimed it (it may take the claimed state), and must leave the timer later than `now`
/// (store::WriteTx::SetCaseDue with the case's next deadline, or none). An error undoes what it
/// wrote and defers the timer by the retry backoff.
using CaseTimerHandler =
    std::function<Result<void>(store::WriteTx&, store::DueCase&, Timestamp now)>;

/// What firing a decided timer writes, run in the claim's write on the writer's thread.
using TimerWrite = std::function<Result<void>(store::WriteTx&)>;

/// A case timer handler in two halves (RegisterPreparedCaseTimers): decide what firing
/// `timer` writes, touching the store only through `tx`, and return that write. The runner
/// decides a claim's timers on a thread of its own (engine/prepared_claim.h, an
/// AsideDecideTx) while the writer stores the ones decided before, so that the one writer
/// thread spends its time storing; a case whose decision needs what that thread cannot
/// answer, and every case of the isolated retry, is decided on the writer with the real
/// transaction. Same contract as CaseTimerHandler otherwise.
using PreparedCaseTimerHandler =
    std::function<Result<TimerWrite>(store::DecideTx&, store::DueCase&, Timestamp now)>;

/// How the jobs of one kind are written (see the top of this file).
enum class JobWrites {
  kOnePerJob,  // a write per job: for handlers that may be slow or touch the outside
  kBatched,    // a claim's jobs in one write: for handlers that only read and write the database
};

struct JobRunnerOptions {
  std::string owner;  // unique per node process, e.g. "host:pid:random"
  std::chrono::microseconds lease{std::chrono::seconds(60)};
  std::chrono::milliseconds poll_interval{500};  // real time between passes
  int batch = 50;                                // jobs claimed per claim
  int batched_claim = 512;                       // jobs claimed (and written) at once, kBatched kinds
  /// Delay before retry number n (1-based) of a failed job: base * 2^(n-1), capped.
  std::chrono::microseconds retry_base{std::chrono::seconds(5)};
  std::chrono::microseconds retry_cap{std::chrono::minutes(30)};
  /// Decide prepared timers (RegisterPreparedCaseTimers) beside the writer; false decides
  /// them on the writer, one after the other (for comparing, in deadline_bench).
  bool decide_timers_aside = true;
};

struct PassReport {
  int done = 0;      // jobs run and completed
  int retried = 0;   // jobs whose handler failed and were given back
  int lost = 0;      // jobs whose lease another worker took over before we finished
  int errors = 0;    // claims or writes the store refused (logged)
};

class JobRunner {
 public:
  JobRunner(store::Store& store, Clock& clock, JobRunnerOptions options);
  ~JobRunner();  // stops the thread if started
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  /// Registers the handler of one job kind. Before Start() only.
  void Register(std::string kind, JobHandler handler, JobWrites writes = JobWrites::kOnePerJob);
  /// Registers a kind whose work runs outside the write (see JobWork), one write per job.
  /// Before Start() only.
  void RegisterWork(std::string kind, JobWork work);

  /// Registers the handler of the cases' deadline timers. Each pass, after the jobs,
  /// claims due timers up to `batched_claim` at a time and fires them in the same write:
  /// one commit per claim, nothing leased (a node that dies mid-write leaves every timer it
  /// took due for the next pass anywhere). As with batched jobs, a write that fails runs
  /// again with each case in its own savepoint, and the case whose handler fails (or
  /// throws) is undone alone and its timer deferred by RetryDelay while the others commit.
  /// Before Start() only.
  void RegisterCaseTimers(CaseTimerHandler handler);
  /// The same with a handler in two halves (see PreparedCaseTimerHandler).
  void RegisterPreparedCaseTimers(PreparedCaseTimerHandler handler);

  /// Called with the report of every pass (RunDueJobs), on the thread that made it: the
  /// runner's own after Start(), or a test clock's mover. For metrics: a failing deadline
  /// timer is otherwise only a log line. Before Start() only.
  void OnPass(std::function<void(const PassReport&)> observer) { on_pass_ = std::move(observer); }

  /// One pass over every kind, on the calling thread (tests and `Start`'s thread use it).
  /// Passes never overlap: a caller waits for a pass in progress to finish first.
  PassReport RunDueJobs();

  /// Passes until one finds nothing to do (a job's effect may schedule a job due at once:
  /// a breach escalates, the new level owes an overdue promise), at most `max_passes`.
  /// The test clock calls it after moving, so a reply to "advance time" comes after every
  /// deadline up to the new time has fired.
  PassReport RunUntilIdle(int max_passes = 16);

  /// Starts the polling thread. Call once.
  void Start();
  /// Asks the thread for a pass now. Thread-safe; cheap.
  void Wake();
  /// Stops the thread after its current job. Idempotent.
  void Stop();

  /// The backoff before retry `attempt` (the number of runs that have failed so far).
  std::chrono::microseconds RetryDelay(int attempt) const;

 private:
  struct Kind {          // exactly one of work and handler is set
    JobWork work;        // kinds registered with RegisterWork
    JobHandler handler;  // kinds registered with Register
    JobWrites writes = JobWrites::kOnePerJob;
  };

  void RunKind(const std::string& kind, const Kind& handler, PassReport& report);
  void RunOne(const std::string& kind, const Kind& registered, const store::ClaimedJob& job,
              PassReport& report);
  void RunHandler(const std::string& kind, const JobHandler& handler,
                  const store::ClaimedJob& job, PassReport& report);
  void RunBatch(const std::string& kind, const JobHandler& handler,
                const std::vector<store::ClaimedJob>& jobs, PassReport& report);
  void RunBatchIsolated(const std::string& kind, const JobHandler& handler,
                        const std::vector<store::ClaimedJob>& jobs, PassReport& report);
  void RunCaseTimers(PassReport& report);
  /// Fires one claim of due timers in one write; false when the claim came back short
  /// (nothing more is due) or the pass should stop. `fired` holds the cases fired so far
  /// this pass: one claimed again means its handler left the timer due, a bug that is
  /// deferred like a failure instead of looping.
  bool FireTimerClaim(std::unordered_set<int64_t>& fired, PassReport& report);
  void GiveBack(const std::string& kind, const store::ClaimedJob& job, Timestamp now,
                const Error& error, PassReport& report);
  void Loop();
  bool Stopping();

  store::Store& store_;
  Clock& clock_;
  const JobRunnerOptions options_;
  std::map<std::string, Kind> handlers_;
  PreparedCaseTimerHandler timers_;  // RegisterCaseTimers' handler wrapped, its write does it all
  bool timers_decide_aside_ = false;  // a prepared handler, and options_.decide_timers_aside
  std::function<void(const PassReport&)> on_pass_;

  std::mutex pass_mu_;  // one pass at a time: Start's thread and RunUntilIdle callers
  std::mutex mu_;
  std::condition_variable wake_;
  bool wake_requested_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace redress::engine
