#include "engine/job_runner.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "app/log.h"
#include "engine/prepared_claim.h"

namespace redress::engine {

JobRunner::JobRunner(store::Store& store, Clock& clock, JobRunnerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Register(std::string kind, JobHandler handler, JobWrites writes) {
  handlers_.insert_or_assign(std::move(kind), Kind{nullptr, std::move(handler), writes});
}

void JobRunner::RegisterWork(std::string kind, JobWork work) {
  handlers_.insert_or_assign(std::move(kind),
                             Kind{std::move(work), nullptr, JobWrites::kOnePerJob});
}

std::chrono::microseconds JobRunner::RetryDelay(int attempt) const {
  auto delay = options_.retry_base;
  for (int i = 1; i < attempt && delay < options_.retry_cap; ++i) delay *= 2;
  return std::min(delay, options_.retry_cap);
}

void JobRunner::RegisterCaseTimers(CaseTimerHandler handler) {
  // Nothing to decide aside: the whole handler is the write, run on the writer.
  timers_ = [handler = std::move(handler)](store::DecideTx&, store::DueCase& timer,
                                           Timestamp now) -> Result<TimerWrite> {
    return TimerWrite(
        [&handler, &timer, now](store::WriteTx& tx) { return handler(tx, timer, now); });
  };
  timers_decide_aside_ = false;
}

void JobRunner::RegisterPreparedCaseTimers(PreparedCaseTimerHandler handler) {
  timers_ = std::move(handler);
  timers_decide_aside_ = options_.decide_timers_aside;
}

PassReport JobRunner::RunDueJobs() {
  std::lock_guard pass(pass_mu_);
  PassReport report;
  for (const auto& [kind, registered] : handlers_) RunKind(kind, registered, report);
  if (timers_) RunCaseTimers(report);
  if (on_pass_) on_pass_(report);
  return report;
}

PassReport JobRunner::RunUntilIdle(int max_passes) {
  PassReport total;
  for (int i = 0; i < max_passes; ++i) {
    const PassReport pass = RunDueJobs();
    total.done += pass.done;
    total.retried += pass.retried;
    total.lost += pass.lost;
    total.errors += pass.errors;
    if (pass.done == 0) break;
  }
  return total;
}

void JobRunner::RunKind(const std::string& kind, const Kind& registered, PassReport& report) {
  const bool batched = registered.writes == JobWrites::kBatched;
  const int limit = batched ? options_.batched_claim : options_.batch;
  // Claim until a claim comes back short: everything due now has been seen.
  for (;;) {
    std::vector<store::ClaimedJob> jobs;
    const Timestamp claimed_at = clock_.Now();
    auto claimed = store_.Write([&](store::WriteTx& tx) -> Result<void> {
      auto got =
          tx.ClaimJobs(store::JobClaim{kind, options_.owner, claimed_at, options_.lease, limit});
      if (!got) return Fail(got.error());
      jobs = std::move(*got);
      return {};
    });
    if (!claimed) {
      ++report.errors;
      app::Log(app::LogLevel::kError, "claiming jobs failed",
               {{"kind", kind}, {"error", claimed.error().message}});
      return;
    }
    // Jobs claimed but not run keep their lease until it runs out, then go to any node.
    if (batched && !jobs.empty()) {
      if (Stopping()) return;
      RunBatch(kind, registered.handler, jobs, report);
    } else {
      for (const store::ClaimedJob& job : jobs) {
        if (Stopping()) return;
        RunOne(kind, registered, job, report);
      }
    }
    if (static_cast<int>(jobs.size()) < limit) return;
  }
}

void JobRunner::RunOne(const std::string& kind, const Kind& registered,
                       const store::ClaimedJob& job, PassReport& report) {
  if (registered.handler) {
    RunHandler(kind, registered.handler, job, report);
    return;
  }
  // A JobWork's slow I/O runs here, outside any write.
  auto handler = registered.work(job, clock_.Now());
  if (!handler) {
    GiveBack(kind, job, clock_.Now(), handler.error(), report);
    return;
  }
  RunHandler(kind, *handler, job, report);
}

namespace {

// The handler, then what it deferred (WriteTx::SendDeferred), sent before the job's
// completion: a failure there (a case that changed meanwhile) is the handler's, retried
// after a backoff, and not the completion's, which would read as a lost lease.
Result<void> RunAndSend(const JobHandler& handler, store::WriteTx& tx, const store::ClaimedJob& job,
                        Timestamp now) {
  auto result = handler(tx, job, now);
  if (result) result = tx.SendDeferred();
  return result;
}

}  // namespace

void JobRunner::RunHandler(const std::string& kind, const JobHandler& handler,
                           const store::ClaimedJob& job, PassReport& report) {
  const Timestamp now = clock_.Now();
  Error handler_error;
  bool handler_failed = false;
  auto ran = store_.Write([&](store::WriteTx& tx) -> Result<void> {
    handler_failed = false;
    auto result = RunAndSend(handler, tx, job, now);
    if (!result) {
      handler_failed = true;
      handler_error = result.error();
      return Fail(result.error());  // undo whatever the handler wrote
    }
    return tx.CompleteJob(job.id, options_.owner, now);
  });
  if (ran) {
    ++report.done;
    return;
  }
  if (handler_failed) {
    GiveBack(kind, job, now, handler_error, report);
  } else if (ran.error().code == ErrorCode::kConflict) {
    ++report.lost;
  } else {
    ++report.errors;
    app::Log(app::LogLevel::kError, "completing a job failed",
             {{"kind", kind}, {"key", job.key}, {"error", ran.error().message}});
  }
}

namespace {

void LogBatchFallback(const std::string& kind, size_t jobs, const Error& error) {
  app::Log(app::LogLevel::kWarn, "a batch of jobs could not be written; running them one by one",
           {{"kind", kind}, {"jobs", static_cast<int64_t>(jobs)}, {"error", error.message}});
}

}  // namespace

void JobRunner::RunBatch(const std::string& kind, const JobHandler& handler,
                         const std::vector<store::ClaimedJob>& jobs, PassReport& report) {
  // Jobs almost never fail, so the batch first runs with nothing between its jobs: no
  // savepoint per job, whose RELEASE costs SQLite a walk of its statement journal (O(n^2)
  // over a batch when the write shares its transaction with others). The first failure
  // undoes the whole write, and the batch runs again with each job isolated.
  const Timestamp now = clock_.Now();
  bool a_job_failed = false;
  auto written = store_.Write([&](store::WriteTx& tx) -> Result<void> {
    a_job_failed = false;  // a backend may run a write again: start afresh
    for (const store::ClaimedJob& job : jobs) {
      auto ran = handler(tx, job, now);
      if (ran) ran = tx.CompleteJob(job.id, options_.owner, now);
      if (!ran) {
        a_job_failed = true;
        return ran;
      }
    }
    return {};
  });
  if (written) {
    report.done += static_cast<int>(jobs.size());
    return;
  }
  if (a_job_failed) {
    RunBatchIsolated(kind, handler, jobs, report);
    return;
  }
  LogBatchFallback(kind, jobs.size(), written.error());
  for (const store::ClaimedJob& job : jobs) {
    if (Stopping()) return;
    RunHandler(kind, handler, job, report);
  }
}

void JobRunner::RunBatchIsolated(const std::string& kind, const JobHandler& handler,
                                 const std::vector<store::ClaimedJob>& jobs, PassReport& report) {
  enum class Outcome { kDone, kFailed, kLost, kNotCompleted };
  const Timestamp now = clock_.Now();
  std::vector<Outcome> outcomes;
  std::vector<Error> errors;
  auto written = store_.Write([&](store::WriteTx& tx) -> Result<void> {
    // A backend may run a write again (a PostgreSQL serialization failure): start afresh.
    outcomes.assign(jobs.size(), Outcome::kDone);
    errors.assign(jobs.size(), Error{});
    for (size_t i = 0; i < jobs.size(); ++i) {
      bool handler_failed = false;
      auto step = tx.Isolated([&]() -> Result<void> {
        auto result = RunAndSend(handler, tx, jobs[i], now);
        if (!result) {
          handler_failed = true;
          return result;
        }
        return tx.CompleteJob(jobs[i].id, options_.owner, now);
      });
      if (!step) return Fail(step.error());
      if (!*step) continue;
      errors[i] = std::move(**step);
      outcomes[i] = handler_failed                          ? Outcome::kFailed
                    : errors[i].code == ErrorCode::kConflict ? Outcome::kLost
                                                             : Outcome::kNotCompleted;
    }
    return {};
  });
  if (!written) {
    LogBatchFallback(kind, jobs.size(), written.error());
    for (const store::ClaimedJob& job : jobs) {
      if (Stopping()) return;
      RunHandler(kind, handler, job, report);
    }
    return;
  }
  for (size_t i = 0; i < jobs.size(); ++i) {
    switch (outcomes[i]) {
      case Outcome::kDone:
        ++report.done;
        break;
      case Outcome::kFailed:
        GiveBack(kind, jobs[i], now, errors[i], report);
        break;
      case Outcome::kLost:
        ++report.lost;
        break;
      case Outcome::kNotCompleted:
        ++report.errors;
        app::Log(app::LogLevel::kError, "completing a job failed",
                 {{"kind", kind}, {"key", jobs[i].key}, {"error", errors[i].message}});
        break;
    }
  }
}

void JobRunner::RunCaseTimers(PassReport& report) {
  std::unordered_set<int64_t> fired;
  while (!Stopping() && FireTimerClaim(fired, report)) {
  }
}

namespace {

Error StillDue(int64_t case_id) {
  return Error{ErrorCode::kInternal,
               "case " + std::to_string(case_id) +
                   ": its deadline timer was still due after it fired (the handler must move it)",
               {}};
}

// A throwing handler is a bug in it; in the isolated run it is confined to its own case
// like an error value.
Result<void> FireCatching(const PreparedCaseTimerHandler& handler, store::WriteTx& tx,
                          store::DueCase& timer, Timestamp now) {
  try {
    return FireOnWriter(tx, timer, now, handler);
  } catch (const std::exception& e) {
    return Fail(HandlerThrew(e));
  }
}

}  // namespace

bool JobRunner::FireTimerClaim(std::unordered_set<int64_t>& fired, PassReport& report) {
  const int limit = options_.batched_claim;
  const Timestamp now = clock_.Now();
  struct Failure {
    int64_t case_id = 0;
    int failures = 0;  // this one included
    Error error;
  };
  size_t claimed = 0;
  std::vector<int64_t> done;
  std::vector<Failure> failures;
  // Claims and fires in one write. As RunBatch, the first attempt runs the claim back to
  // back (no savepoint between cases) and any failure undoes it all; the isolated attempt
  // gives each case its own savepoint, so a failing (or throwing) case is undone alone and
  // its timer deferred, and only a failure of the store itself fails the write.
  auto fire = [&](bool isolated) {
    return store_.Write([&](store::WriteTx& tx) -> Result<void> {
      done.clear();  // a backend may run a write again: start afresh
      failures.clear();
      auto due = tx.ClaimDueCases(now, limit);
      if (!due) return Fail(due.error());
      claimed = due->size();
      if (!isolated && timers_decide_aside_) {
        for (const store::DueCase& timer : *due) {
          if (fired.contains(timer.case_id)) return Fail(StillDue(timer.case_id));
        }
        if (auto ran = FireClaimAside(tx, *due, now, timers_); !ran) return ran;
        for (const store::DueCase& timer : *due) done.push_back(timer.case_id);
        return {};
      }
      for (store::DueCase& timer : *due) {
        std::optional<Error> error;
        if (fired.contains(timer.case_id)) {
          error = StillDue(timer.case_id);
        } else if (!isolated) {
          if (auto ran = FireOnWriter(tx, timer, now, timers_); !ran) return ran;
        } else {
          auto step = tx.Isolated([&] { return FireCatching(timers_, tx, timer, now); });
          if (!step) return Fail(step.error());  // the savepoint itself failed
          error = std::move(*step);
        }
        if (!error) {
          done.push_back(timer.case_id);
          continue;
        }
        if (!isolated) return Fail(std::move(*error));
        const Timestamp retry_at = now + RetryDelay(timer.failures + 1);
        if (auto deferred = tx.DeferCaseTimer(timer.case_id, retry_at); !deferred) return deferred;
        failures.push_back(Failure{timer.case_id, timer.failures + 1, std::move(*error)});
      }
      return {};
    });
  };
  auto written = fire(/*isolated=*/false);
  if (!written) {
    app::Log(app::LogLevel::kWarn, "a claim of deadline timers failed; firing it case by case",
             {{"error", written.error().message}});
    written = fire(/*isolated=*/true);
  }
  if (!written) {
    ++report.errors;
    app::Log(app::LogLevel::kError, "firing deadline timers case by case failed",
             {{"error", written.error().message}});
    return false;  // nothing committed: the timers stay due for the next pass
  }
  report.done += static_cast<int>(done.size());
  fired.insert(done.begin(), done.end());
  report.retried += static_cast<int>(failures.size());
  for (const Failure& failure : failures) {
    app::Log(app::LogLevel::kWarn, "a deadline timer failed; will retry",
             {{"case_id", failure.case_id},
              {"failures", failure.failures},
              {"error", failure.error.message}});
  }
  return static_cast<int>(claimed) == limit;
}

void JobRunner::GiveBack(const std::string& kind, const store::ClaimedJob& job, Timestamp now,
                         const Error& error, PassReport& report) {
  const Timestamp retry_at = now + RetryDelay(job.attempts);
  auto retried = store_.Write([&](store::WriteTx& tx) {
    return tx.RetryJob(job.id, options_.owner, retry_at, error.message);
  });
  if (retried) {
    ++report.retried;
    app::Log(app::LogLevel::kWarn, "job failed; will retry",
             {{"kind", kind}, {"key", job.key}, {"attempts", job.attempts},
              {"error", error.message}});
  } else if (retried.error().code == ErrorCode::kConflict) {
    ++report.lost;
  } else {
    ++report.errors;
    app::Log(app::LogLevel::kError, "giving a failed job back failed",
             {{"kind", kind}, {"key", job.key}, {"error", retried.error().message}});
  }
}

bool JobRunner::Stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

void JobRunner::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void JobRunner::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_requested_ = true;
  }
  wake_.notify_one();
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void JobRunner::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || wake_requested_; });
      if (stopping_) return;
      wake_requested_ = false;
    }
    RunDueJobs();
  }
}

}  // namespace redress::engine
