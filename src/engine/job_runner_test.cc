#include "engine/job_runner.h"

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace redress::engine {
namespace {

using namespace std::chrono_literals;
using store::testutil::T;

class JobRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("jobs.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  JobRunnerOptions Options(std::string owner = "node-a") {
    JobRunnerOptions options;
    options.owner = std::move(owner);
    options.lease = 60s;
    options.batch = 3;  // small, so that a pass has to claim several batches
    return options;
  }

  void Schedule(const std::string& kind, const std::string& key, Timestamp due,
                std::string payload = "{}") {
    auto written = store_->Write([&](store::WriteTx& tx) -> Result<void> {
      auto scheduled = tx.ScheduleJob(store::JobSpec{kind, key, due, std::move(payload)});
      if (!scheduled) return Fail(scheduled.error());
      return {};
    });
    ASSERT_TRUE(written) << written.error().message;
  }

  store::testutil::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  FakeClock clock_{T(0)};
};

TEST_F(JobRunnerTest, RunsEachDueJobOnceAndNothingEarly) {
  JobRunner runner(*store_, clock_, Options());
  std::vector<std::string> ran;
  runner.Register("deadline", [&](store::WriteTx&, const store::ClaimedJob& job, Timestamp) {
    ran.push_back(job.key);
    return Result<void>();
  });
  for (int i = 0; i < 7; ++i) Schedule("deadline", "d" + std::to_string(i), T(10));
  Schedule("deadline", "later", T(100));

  EXPECT_EQ(runner.RunDueJobs().done, 0);  // nothing due at T(0)
  clock_.Set(T(10));
  PassReport pass = runner.RunDueJobs();
  EXPECT_EQ(pass.done, 7);  // three batches of at most 3
  EXPECT_EQ(ran.size(), 7u);
  EXPECT_EQ(runner.RunDueJobs().done, 0);  // done jobs never come back
  clock_.Set(T(100));
  EXPECT_EQ(runner.RunDueJobs().done, 1);
  EXPECT_EQ(ran.back(), "later");
}

TEST_F(JobRunnerTest, HandlerWritesCommitWithTheCompletionOrNotAtAll) {
  JobRunner runner(*store_, clock_, Options());
  int calls = 0;
  runner.Register("effect", [&](store::WriteTx& tx, const store::ClaimedJob& job, Timestamp now)
                               -> Result<void> {
    ++calls;
    // The effect: a follow-up job. On the first call the handler fails after writing it.
    auto follow = tx.ScheduleJob(store::JobSpec{"follow-up", job.key, now + 1h, "{}"});
    if (!follow) return Fail(follow.error());
    if (calls == 1) return Fail(ErrorCode::kUnavailable, "the mail server is down");
    return {};
  });
  std::vector<std::string> follow_ups;
  runner.Register("follow-up", [&](store::WriteTx&, const store::ClaimedJob& job, Timestamp) {
    follow_ups.push_back(job.key);
    return Result<void>();
  });
  Schedule("effect", "e1", T(0));

  PassReport first = runner.RunDueJobs();
  EXPECT_EQ(first.retried, 1);
  EXPECT_EQ(first.done, 0);
  clock_.Set(T(3600 + 10));
  // The failed run's follow-up was rolled back, so only the retry's follow-up exists and
  // it is due an hour after the retry, not after the first attempt.
  PassReport second = runner.RunDueJobs();
  EXPECT_EQ(second.done, 1);
  EXPECT_TRUE(follow_ups.empty());
  clock_.Set(T(2 * 3600 + 20));
  EXPECT_EQ(runner.RunDueJobs().done, 1);
  EXPECT_EQ(follow_ups, std::vector<std::string>{"e1"});
  EXPECT_EQ(calls, 2);
}

TEST_F(JobRunnerTest, FailedJobsBackOffAndRememberTheError) {
  JobRunnerOptions options = Options();
  options.retry_base = 10s;
  options.retry_cap = 30s;
  JobRunner runner(*store_, clock_, options);
  std::vector<std::pair<int, std::string>> seen;
  runner.Register("flaky", [&](store::WriteTx&, const store::ClaimedJob& job, Timestamp) {
    seen.emplace_back(job.attempts, job.last_error);
    return job.attempts < 3 ? Result<void>(Fail(ErrorCode::kUnavailable, "try " +
                                                                            std::to_string(job.attempts)))
                            : Result<void>();
  });
  Schedule("flaky", "f", T(0));
  EXPECT_EQ(runner.RunDueJobs().retried, 1);
  clock_.Set(T(9));
  EXPECT_EQ(runner.RunDueJobs().retried, 0);  // backoff: 10 s after the first failure
  clock_.Set(T(10));
  EXPECT_EQ(runner.RunDueJobs().retried, 1);
  clock_.Set(T(29));
  EXPECT_EQ(runner.RunDueJobs().done, 0);  // 20 s after the second
  clock_.Set(T(30));
  EXPECT_EQ(runner.RunDueJobs().done, 1);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (std::pair<int, std::string>{1, ""}));
  EXPECT_EQ(seen[1], (std::pair<int, std::string>{2, "try 1"}));
  EXPECT_EQ(seen[2], (std::pair<int, std::string>{3, "try 2"}));
  EXPECT_EQ(runner.RetryDelay(1), 10s);
  EXPECT_EQ(runner.RetryDelay(2), 20s);
  EXPECT_EQ(runner.RetryDelay(3), 30s);  // capped
  EXPECT_EQ(runner.RetryDelay(50), 30s);
}

TEST_F(JobRunnerTest, WorkRunsOutsideTheWriteAndItsHandlerCompletesTheJob) {
  JobRunner runner(*store_, clock_, Options());
  std::vector<std::string> recorded;
  int attempts = 0;
  runner.RegisterWork("send", [&](const store::ClaimedJob& job, Timestamp) -> Result<JobHandler> {
    // Outside any write: the store takes another write here (it would deadlock inside one).
    auto peek = store_->Write([](store::WriteTx&) { return Result<void>(); });
    if (!peek) return Fail(peek.error());
    if (++attempts == 1) return Fail(ErrorCode::kUnavailable, "smarthost down");
    return JobHandler([&, key = job.key](store::WriteTx& tx, const store::ClaimedJob&,
                                         Timestamp now) -> Result<void> {
      recorded.push_back(key);
      auto follow = tx.ScheduleJob(store::JobSpec{"send-report", key, now, "{}"});
      if (!follow) return Fail(follow.error());
      return {};
    });
  });
  std::vector<std::string> reports;
  runner.Register("send-report", [&](store::WriteTx&, const store::ClaimedJob& job, Timestamp) {
    reports.push_back(job.key);
    return Result<void>();
  });
  Schedule("send", "m1", T(0));

  PassReport first = runner.RunDueJobs();
  EXPECT_EQ(first.retried, 1);  // the work failed: retried like a handler error
  EXPECT_TRUE(recorded.empty());
  clock_.Set(T(3600));
  EXPECT_EQ(runner.RunUntilIdle().done, 2);  // the send, then the report it scheduled
  EXPECT_EQ(recorded, std::vector<std::string>{"m1"});
  EXPECT_EQ(reports, std::vector<std::string>{"m1"});
  EXPECT_EQ(runner.RunDueJobs().done, 0);  // completed for good
  EXPECT_EQ(attempts, 2);
}

TEST_F(JobRunnerTest, TwoNodesNeverRunTheSameJob) {
  JobRunner a(*store_, clock_, Options("node-a"));
  JobRunner b(*store_, clock_, Options("node-b"));
  std::mutex mu;
  std::map<std::string, int> runs;
  auto handler = [&](store::WriteTx&, const store::ClaimedJob& job, Timestamp) {
    std::lock_guard lock(mu);
    ++runs[job.key];
    return Result<void>();
  };
  a.Register("deadline", handler);
  b.Register("deadline", handler);
  for (int i = 0; i < 60; ++i) Schedule("deadline", "k" + std::to_string(i), T(0));
  std::thread ta([&] { a.RunDueJobs(); });
  std::thread tb([&] { b.RunDueJobs(); });
  ta.join();
  tb.join();
  ASSERT_EQ(runs.size(), 60u);
  for (const auto& [key, count] : runs) EXPECT_EQ(count, 1) << key;
}

TEST_F(JobRunnerTest, ADeadNodesJobIsTakenOverWhenItsLeaseEnds) {
  // Node A claims and "dies" (never runs the job): simulate with a bare claim.
  auto claimed = store_->Write([&](store::WriteTx& tx) -> Result<void> {
    auto scheduled = tx.ScheduleJob(store::JobSpec{"deadline", "x", T(0), "{}"});
    if (!scheduled) return Fail(scheduled.error());
    auto got = tx.ClaimJobs(store::JobClaim{"deadline", "node-a", T(0), 60s, 10});
    if (!got) return Fail(got.error());
    EXPECT_EQ(got->size(), 1u);
    return {};
  });
  ASSERT_TRUE(claimed);
  JobRunner b(*store_, clock_, Options("node-b"));
  int runs = 0;
  b.Register("deadline", [&](store::WriteTx&, const store::ClaimedJob&, Timestamp) {
    ++runs;
    return Result<void>();
  });
  clock_.Set(T(59));
  EXPECT_EQ(b.RunDueJobs().done, 0);  // A's lease still runs
  clock_.Set(T(60));
  EXPECT_EQ(b.RunDueJobs().done, 1);
  EXPECT_EQ(runs, 1);
}

TEST_F(JobRunnerTest, ThreadRunsDueJobsWhenWokenAndStops) {
  JobRunnerOptions options = Options();
  options.poll_interval = 1h;  // only Wake() can start a pass in this test
  JobRunner runner(*store_, clock_, options);
  std::atomic<int> runs{0};
  runner.Register("deadline", [&](store::WriteTx&, const store::ClaimedJob&, Timestamp) {
    ++runs;
    return Result<void>();
  });
  Schedule("deadline", "w", T(5));
  runner.Start();
  clock_.Set(T(5));
  runner.Wake();
  for (int i = 0; i < 500 && runs.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(runs.load(), 1);
  runner.Stop();
  runner.Stop();  // idempotent
}

}  // namespace
}  // namespace redress::engine
