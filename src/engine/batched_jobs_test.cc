// JobWrites::kBatched on every backend: a claim's jobs are written in one commit, each
// with its completion in its own savepoint; a failing job is undone alone and retried; a
// batch that never commits (the node died, the write broke) loses nothing and, run again
// by another node, repeats nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/job_runner.h"
#include "store/test_backends.h"

namespace redress::engine {
namespace {

using namespace std::chrono_literals;
using store::testutil::T;

class BatchedJobsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (auto* store : {&node_a_, &node_b_}) {
      auto opened = backend_->Open();
      ASSERT_TRUE(opened) << opened.error().message;
      *store = std::move(*opened);
    }
  }

  JobRunnerOptions Options(std::string owner, int claim = 64) {
    JobRunnerOptions options;
    options.owner = std::move(owner);
    options.lease = 60s;
    options.batched_claim = claim;
    return options;
  }

  void ScheduleDeadlines(int count, Timestamp due) {
    auto written = node_a_->Write([&](store::WriteTx& tx) -> Result<void> {
      for (int i = 0; i < count; ++i) {
        auto scheduled = tx.ScheduleJob(store::JobSpec{"deadline", "d" + std::to_string(i), due, "{}"});
        if (!scheduled) return Fail(scheduled.error());
      }
      return {};
    });
    ASSERT_TRUE(written) << written.error().message;
  }

  // The handler's effect, in the database: an "effect" job keyed like the deadline. A
  // second run for the same deadline finds it there and counts a duplicate.
  JobHandler Effect(std::atomic<int>& duplicates) {
    return [&duplicates](store::WriteTx& tx, const store::ClaimedJob& job,
                         Timestamp now) -> Result<void> {
      auto fresh = tx.ScheduleJob(store::JobSpec{"effect", job.key, now + 1h, "{}"});
      if (!fresh) return Fail(fresh.error());
      if (!*fresh) ++duplicates;
      return {};
    };
  }

  // Every "effect" job's key, claimed far in the future by an observer; each look is
  // later than the last one's leases, so it sees every effect again.
  std::vector<std::string> Effects() {
    std::vector<std::string> keys;
    const Timestamp far = T(1'000'000 + 1'000 * ++looks_);
    auto written = node_b_->Write([&](store::WriteTx& tx) -> Result<void> {
      auto claimed = tx.ClaimJobs(store::JobClaim{"effect", "observer", far, 60s, 10'000});
      if (!claimed) return Fail(claimed.error());
      for (const auto& job : *claimed) keys.push_back(job.key);
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  static std::vector<std::string> Keys(int count) {
    std::vector<std::string> keys;
    for (int i = 0; i < count; ++i) keys.push_back("d" + std::to_string(i));
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  std::unique_ptr<store::testutil::TestBackend> backend_ = store::testutil::MakeBackend(GetParam());
  std::unique_ptr<store::Store> node_a_;
  std::unique_ptr<store::Store> node_b_;
  FakeClock clock_{T(0)};
  int looks_ = 0;
};

TEST_P(BatchedJobsTest, EveryDueJobRunsOnceWithFarFewerCommitsThanJobs) {
  constexpr int kJobs = 150;
  ScheduleDeadlines(kJobs, T(10));
  std::atomic<int> duplicates = 0;
  JobRunner runner(*node_a_, clock_, Options("node-a"));
  runner.Register("deadline", Effect(duplicates), JobWrites::kBatched);
  EXPECT_EQ(runner.RunDueJobs().done, 0);  // nothing due yet
  clock_.Set(T(10));
  auto before = node_a_->Stats();
  ASSERT_TRUE(before);
  const PassReport pass = runner.RunDueJobs();
  auto after = node_a_->Stats();
  ASSERT_TRUE(after);
  EXPECT_EQ(pass.done, kJobs);
  EXPECT_EQ(pass.retried + pass.lost + pass.errors, 0);
  // Three claims of at most 64 and three batch writes.
  EXPECT_LE(after->commits - before->commits, 6);
  EXPECT_EQ(runner.RunDueJobs().done, 0);  // completed jobs never come back
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), Keys(kJobs));
}

TEST_P(BatchedJobsTest, AFailingJobIsUndoneAloneAndRetriedWhileTheOthersCommit) {
  ScheduleDeadlines(10, T(10));
  std::atomic<int> duplicates = 0;
  const JobHandler effect = Effect(duplicates);
  JobRunner runner(*node_a_, clock_, Options("node-a"));
  runner.Register(
      "deadline",
      [&](store::WriteTx& tx, const store::ClaimedJob& job, Timestamp now) -> Result<void> {
        if (auto done = effect(tx, job, now); !done) return done;  // written, then undone
        // Fails every time in the first pass (the batch's first attempt and its isolated
        // rerun), and works when its retry is due.
        if (job.key == "d3" && now == T(10)) {
          return Fail(ErrorCode::kUnavailable, "case 3 could not be loaded");
        }
        return {};
      },
      JobWrites::kBatched);
  clock_.Set(T(10));
  PassReport pass = runner.RunDueJobs();
  EXPECT_EQ(pass.done, 9);
  EXPECT_EQ(pass.retried, 1);
  std::vector<std::string> without_d3 = Keys(10);
  std::erase(without_d3, "d3");
  EXPECT_EQ(Effects(), without_d3);

  clock_.Set(T(10) + runner.RetryDelay(1));
  pass = runner.RunDueJobs();
  EXPECT_EQ(pass.done, 1);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), Keys(10));
}

TEST_P(BatchedJobsTest, ABatchThatNeverCommitsLosesNothingAndTheNextNodeRepeatsNothing) {
  constexpr int kJobs = 40;
  ScheduleDeadlines(kJobs, T(10));
  std::atomic<int> duplicates = 0;
  const JobHandler effect = Effect(duplicates);
  // Node A breaks down part-way through every write it tries (an exception stands for the
  // process dying): neither the batch nor the one-by-one fallback commits anything.
  JobRunner dying(*node_a_, clock_, Options("node-a"));
  dying.Register(
      "deadline",
      [&](store::WriteTx& tx, const store::ClaimedJob& job, Timestamp now) -> Result<void> {
        if (auto done = effect(tx, job, now); !done) return done;
        throw std::runtime_error("node a died");
      },
      JobWrites::kBatched);
  clock_.Set(T(10));
  const PassReport broken = dying.RunDueJobs();
  EXPECT_EQ(broken.done, 0);
  EXPECT_TRUE(Effects().empty());

  // Node B takes the jobs over once node A's leases have run out.
  JobRunner healthy(*node_b_, clock_, Options("node-b", 16));
  healthy.Register("deadline", effect, JobWrites::kBatched);
  EXPECT_EQ(healthy.RunDueJobs().done, 0) << "node a's leases still run";
  clock_.Set(T(10) + 61s);
  EXPECT_EQ(healthy.RunDueJobs().done, kJobs);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), Keys(kJobs));
}

TEST_P(BatchedJobsTest, TwoNodesPassingAtOnceRunEveryJobExactlyOnce) {
  constexpr int kJobs = 300;
  ScheduleDeadlines(kJobs, T(10));
  clock_.Set(T(10));
  std::atomic<int> duplicates = 0;
  JobRunner runner_a(*node_a_, clock_, Options("node-a", 16));
  JobRunner runner_b(*node_b_, clock_, Options("node-b", 16));
  runner_a.Register("deadline", Effect(duplicates), JobWrites::kBatched);
  runner_b.Register("deadline", Effect(duplicates), JobWrites::kBatched);
  PassReport a, b;
  std::thread thread_a([&] { a = runner_a.RunUntilIdle(); });
  std::thread thread_b([&] { b = runner_b.RunUntilIdle(); });
  thread_a.join();
  thread_b.join();
  EXPECT_EQ(a.done + b.done, kJobs);
  EXPECT_EQ(a.errors + b.errors + a.lost + b.lost, 0);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), Keys(kJobs));
}

INSTANTIATE_TEST_SUITE_P(Backends, BatchedJobsTest,
                         ::testing::ValuesIn(store::testutil::BackendNames()),
                         store::testutil::BackendName());

}  // namespace
}  // namespace redress::engine
