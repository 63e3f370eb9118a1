#include "engine/job_runner.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "app/log.h"

namespace redress::engine {

JobRunner::JobRunner(store::Store& store, Clock& clock, JobRunnerOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Register(std::string kind, JobHandler handler) {
  RegisterWork(std::move(kind),
               [handler = std::move(handler)](const store::ClaimedJob&, Timestamp)
                   -> Result<JobHandler> { return handler; });
}

void JobRunner::RegisterWork(std::string kind, JobWork work) {
  handlers_.insert_or_assign(std::move(kind), std::move(work));
}

std::chrono::microseconds JobRunner::RetryDelay(int attempt) const {
  auto delay = options_.retry_base;
  for (int i = 1; i < attempt && delay < options_.retry_cap; ++i) delay *= 2;
  return std::min(delay, options_.retry_cap);
}

PassReport JobRunner::RunDueJobs() {
  std::lock_guard pass(pass_mu_);
  PassReport report;
  for (const auto& [kind, handler] : handlers_) RunKind(kind, handler, report);
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

void JobRunner::RunKind(const std::string& kind, const JobWork& work, PassReport& report) {
  // Claim in batches until a claim comes back short: everything due now has been seen.
  for (;;) {
    std::vector<store::ClaimedJob> jobs;
    const Timestamp claimed_at = clock_.Now();
    auto claimed = store_.Write([&](store::WriteTx& tx) -> Result<void> {
      auto got = tx.ClaimJobs(store::JobClaim{kind, options_.owner, claimed_at, options_.lease,
                                              options_.batch});
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

    for (const store::ClaimedJob& job : jobs) {
      // Jobs claimed but not run keep their lease until it runs out, then go to any node.
      if (Stopping()) return;
      Error handler_error;
      bool handler_failed = false;
      // A JobWork's slow I/O runs here, outside any write; a plain handler returns at once.
      auto handler = work(job, clock_.Now());
      const Timestamp now = clock_.Now();
      Result<void> ran;
      if (!handler) {
        handler_failed = true;
        handler_error = handler.error();
        ran = Fail(handler.error());
      } else {
        ran = store_.Write([&](store::WriteTx& tx) -> Result<void> {
          auto result = (*handler)(tx, job, now);
          if (!result) {
            handler_failed = true;
            handler_error = result.error();
            return Fail(result.error());  // undo whatever the handler wrote
          }
          return tx.CompleteJob(job.id, options_.owner, now);
        });
      }
      if (ran) {
        ++report.done;
        continue;
      }
      if (!handler_failed) {
        if (ran.error().code == ErrorCode::kConflict) {
          ++report.lost;
        } else {
          ++report.errors;
          app::Log(app::LogLevel::kError, "completing a job failed",
                   {{"kind", kind}, {"key", job.key}, {"error", ran.error().message}});
        }
        continue;
      }
      const Timestamp retry_at = now + RetryDelay(job.attempts);
      auto retried = store_.Write([&](store::WriteTx& tx) {
        return tx.RetryJob(job.id, options_.owner, retry_at, handler_error.message);
      });
      if (retried) {
        ++report.retried;
        app::Log(app::LogLevel::kWarn, "job failed; will retry",
                 {{"kind", kind}, {"key", job.key}, {"attempts", job.attempts},
                  {"error", handler_error.message}});
      } else if (retried.error().code == ErrorCode::kConflict) {
        ++report.lost;
      } else {
        ++report.errors;
        app::Log(app::LogLevel::kError, "giving a failed job back failed",
                 {{"kind", kind}, {"key", job.key}, {"error", retried.error().message}});
      }
    }
    if (static_cast<int>(jobs.size()) < options_.batch) return;
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
