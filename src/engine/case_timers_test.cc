// The cases' deadline timers (JobRunner::RegisterCaseTimers, store.h CaseDue) on every
// backend, with two Store instances on one database standing for two nodes: due timers are
// claimed and fired in one write per claim; a failing or throwing case is undone alone and
// deferred by the backoff; a handler that leaves its timer due is deferred instead of
// looped on; timers claimed by a write that never commits are due for the next node at
// once (no lease to wait for); two nodes passing at once fire each timer exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
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

class CaseTimersTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (auto* store : {&node_a_, &node_b_}) {
      auto opened = backend_->Open();
      ASSERT_TRUE(opened) << opened.error().message;
      *store = std::move(*opened);
    }
    customer_ = store::testutil::AddCustomer(*node_a_, "Asha Rao", "asha@example.com");
  }

  JobRunnerOptions Options(std::string owner, int claim = 64) {
    JobRunnerOptions options;
    options.owner = std::move(owner);
    options.batched_claim = claim;
    return options;
  }

  // Opens `count` cases whose timers fall due at `due`; returns their ids.
  std::vector<int64_t> OpenCases(int count, Timestamp due) {
    std::vector<int64_t> ids;
    auto written = node_a_->Write([&](store::WriteTx& tx) -> Result<void> {
      ids.clear();
      for (int i = 0; i < count; ++i) {
        auto opened = store::testutil::OpenTestCase(tx, customer_);
        if (!opened) return Fail(opened.error());
        if (auto set = tx.SetCaseDue(opened->id, store::CaseDue{due, due}); !set) return set;
        ids.push_back(opened->id);
      }
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return ids;
  }

  // The handler's effect, in the database: an "effect" job keyed by the case, which a
  // second firing finds there and counts as a duplicate; then the timer is cleared.
  CaseTimerHandler Effect(std::atomic<int>& duplicates) {
    return [&duplicates](store::WriteTx& tx, const store::DueCase& due,
                         Timestamp now) -> Result<void> {
      auto fresh =
          tx.ScheduleJob(store::JobSpec{"effect", std::to_string(due.case_id), now + 1h, "{}"});
      if (!fresh) return Fail(fresh.error());
      if (!*fresh) ++duplicates;
      return tx.SetCaseDue(due.case_id, store::CaseDue{});
    };
  }

  // The cases whose effect is on record, read by an observer claiming far in the future;
  // each look is later than the last one's leases, so it sees every effect again.
  std::vector<int64_t> Effects() {
    std::vector<int64_t> ids;
    const Timestamp far = T(1'000'000 + 1'000 * ++looks_);
    auto written = node_b_->Write([&](store::WriteTx& tx) -> Result<void> {
      auto claimed = tx.ClaimJobs(store::JobClaim{"effect", "observer", far, 60s, 10'000});
      if (!claimed) return Fail(claimed.error());
      for (const auto& job : *claimed) ids.push_back(std::stoll(job.key));
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // The timers due at `now`, without firing them (the claim's write changes nothing).
  std::vector<store::DueCase> DueAt(Timestamp now) {
    std::vector<store::DueCase> due;
    auto written = node_b_->Write([&](store::WriteTx& tx) -> Result<void> {
      auto claimed = tx.ClaimDueCases(now, 10'000);
      if (!claimed) return Fail(claimed.error());
      due = std::move(*claimed);
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return due;
  }

  std::unique_ptr<store::testutil::TestBackend> backend_ = store::testutil::MakeBackend(GetParam());
  std::unique_ptr<store::Store> node_a_;
  std::unique_ptr<store::Store> node_b_;
  FakeClock clock_{T(0)};
  int64_t customer_ = 0;
  int looks_ = 0;
};

TEST_P(CaseTimersTest, EveryDueTimerFiresOnceInOneWritePerClaim) {
  constexpr int kDue = 150;
  std::vector<int64_t> due = OpenCases(kDue, T(10));
  const std::vector<int64_t> later = OpenCases(5, T(20));
  std::atomic<int> duplicates = 0;
  JobRunner runner(*node_a_, clock_, Options("node-a"));
  runner.RegisterCaseTimers(Effect(duplicates));
  clock_.Set(T(9));
  EXPECT_EQ(runner.RunDueJobs().done, 0);  // nothing due yet
  clock_.Set(T(10));
  auto before = node_a_->Stats();
  ASSERT_TRUE(before);
  const PassReport pass = runner.RunDueJobs();
  auto after = node_a_->Stats();
  ASSERT_TRUE(after);
  EXPECT_EQ(pass.done, kDue);
  EXPECT_EQ(pass.retried + pass.lost + pass.errors, 0);
  // Claims of at most 64, each fired in the write that claimed it: 64 + 64 + 22.
  EXPECT_LE(after->commits - before->commits, 3);
  EXPECT_EQ(runner.RunDueJobs().done, 0);  // a fired timer that was cleared never comes back
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), due);

  clock_.Set(T(20));
  EXPECT_EQ(runner.RunDueJobs().done, 5);
  due.insert(due.end(), later.begin(), later.end());
  EXPECT_EQ(Effects(), due);
}

TEST_P(CaseTimersTest, AFailingTimerIsUndoneAloneAndDeferredByTheBackoffWhileTheOthersCommit) {
  const std::vector<int64_t> ids = OpenCases(10, T(10));
  const int64_t failing = ids[3];
  std::atomic<int> duplicates = 0;
  const CaseTimerHandler effect = Effect(duplicates);
  JobRunner runner(*node_a_, clock_, Options("node-a"));
  bool fail = true;
  runner.RegisterCaseTimers(
      [&](store::WriteTx& tx, store::DueCase& due, Timestamp now) -> Result<void> {
        if (auto done = effect(tx, due, now); !done) return done;  // written, then undone
        if (due.case_id == failing && fail) {
          return Fail(ErrorCode::kUnavailable, "case could not be loaded");
        }
        return {};
      });
  const Timestamp first_try = T(10);
  clock_.Set(first_try);
  // The write is tried whole, then with each case isolated: the failing case fails in both.
  PassReport pass = runner.RunDueJobs();
  EXPECT_EQ(pass.done, 9);
  EXPECT_EQ(pass.retried, 1);
  std::vector<int64_t> without = ids;
  std::erase(without, failing);
  EXPECT_EQ(Effects(), without);
  // Deferred by the first backoff, its failure counted.
  const Timestamp second_try = first_try + runner.RetryDelay(1);
  EXPECT_TRUE(DueAt(second_try - 1us).empty());
  std::vector<store::DueCase> waiting = DueAt(second_try);
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].case_id, failing);
  EXPECT_EQ(waiting[0].failures, 1);

  // It fails again: the second backoff is longer.
  clock_.Set(second_try);
  pass = runner.RunDueJobs();
  EXPECT_EQ(pass.done, 0);
  EXPECT_EQ(pass.retried, 1);
  const Timestamp third_try = second_try + runner.RetryDelay(2);
  EXPECT_GT(runner.RetryDelay(2), runner.RetryDelay(1));
  EXPECT_TRUE(DueAt(third_try - 1us).empty());
  ASSERT_EQ(DueAt(third_try).size(), 1u);
  EXPECT_EQ(DueAt(third_try)[0].failures, 2);

  fail = false;
  clock_.Set(third_try);
  pass = runner.RunDueJobs();
  EXPECT_EQ(pass.done, 1);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), ids);
  EXPECT_TRUE(DueAt(T(1'000'000)).empty());
}

TEST_P(CaseTimersTest, AHandlerThatLeavesItsTimerDueIsDeferredInsteadOfLoopedOn) {
  const std::vector<int64_t> ids = OpenCases(10, T(10));
  const int64_t stuck = ids[0];  // the earliest: every claim would start with it again
  std::atomic<int> duplicates = 0;
  const CaseTimerHandler effect = Effect(duplicates);
  JobRunner runner(*node_a_, clock_, Options("node-a", 4));
  runner.RegisterCaseTimers(
      [&](store::WriteTx& tx, store::DueCase& due, Timestamp now) -> Result<void> {
        if (due.case_id == stuck) return {};  // forgets to move the timer
        return effect(tx, due, now);
      });
  clock_.Set(T(10));
  const PassReport pass = runner.RunDueJobs();  // must end
  EXPECT_EQ(pass.retried, 1);
  EXPECT_EQ(duplicates, 0);
  std::vector<int64_t> others = ids;
  std::erase(others, stuck);
  EXPECT_EQ(Effects(), others);
  const std::vector<store::DueCase> waiting = DueAt(T(10) + runner.RetryDelay(1));
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].case_id, stuck);
  EXPECT_EQ(waiting[0].failures, 1);
}

TEST_P(CaseTimersTest, TimersClaimedByAWriteThatNeverCommitsAreDueForTheNextNodeAtOnce) {
  constexpr int kCases = 40;
  const std::vector<int64_t> ids = OpenCases(kCases, T(10));
  std::atomic<int> duplicates = 0;
  const CaseTimerHandler effect = Effect(duplicates);
  // Node A claims and fires every timer, then dies before its commit.
  auto died = node_a_->Write([&](store::WriteTx& tx) -> Result<void> {
    auto due = tx.ClaimDueCases(T(10), 100);
    if (!due) return Fail(due.error());
    EXPECT_EQ(due->size(), static_cast<size_t>(kCases));
    for (store::DueCase& timer : *due) {
      if (auto fired = effect(tx, timer, T(10)); !fired) return fired;
    }
    return Fail(ErrorCode::kUnavailable, "node a died before its commit");
  });
  ASSERT_FALSE(died);
  EXPECT_TRUE(Effects().empty());

  // Node B fires them at the same instant: there is no lease to wait for.
  JobRunner healthy(*node_b_, clock_, Options("node-b", 16));
  healthy.RegisterCaseTimers(effect);
  clock_.Set(T(10));
  EXPECT_EQ(healthy.RunDueJobs().done, kCases);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), ids);
}

TEST_P(CaseTimersTest, AThrowingHandlerIsUndoneAloneAndDeferredWhileTheOthersCommit) {
  const std::vector<int64_t> ids = OpenCases(10, T(10));
  const int64_t thrower = ids[5];
  std::atomic<int> duplicates = 0;
  const CaseTimerHandler effect = Effect(duplicates);
  bool broken = true;
  JobRunner runner(*node_a_, clock_, Options("node-a"));
  runner.RegisterCaseTimers(
      [&](store::WriteTx& tx, store::DueCase& due, Timestamp now) -> Result<void> {
        if (auto done = effect(tx, due, now); !done) return done;  // written, then undone
        if (due.case_id == thrower && broken) throw std::runtime_error("a bug in the handler");
        return {};
      });
  clock_.Set(T(10));
  PassReport pass = runner.RunDueJobs();
  EXPECT_EQ(pass.done, 9);
  EXPECT_EQ(pass.retried, 1);
  EXPECT_EQ(pass.errors, 0);
  std::vector<int64_t> others = ids;
  std::erase(others, thrower);
  EXPECT_EQ(Effects(), others);
  const std::vector<store::DueCase> waiting = DueAt(T(10) + runner.RetryDelay(1));
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].case_id, thrower);
  EXPECT_EQ(waiting[0].failures, 1);

  broken = false;  // fixed: its retry fires it once
  clock_.Set(T(10) + runner.RetryDelay(1));
  EXPECT_EQ(runner.RunDueJobs().done, 1);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), ids);
}

TEST_P(CaseTimersTest, TwoNodesPassingAtOnceFireEveryTimerExactlyOnce) {
  constexpr int kCases = 300;
  const std::vector<int64_t> ids = OpenCases(kCases, T(10));
  clock_.Set(T(10));
  std::atomic<int> duplicates = 0;
  JobRunner runner_a(*node_a_, clock_, Options("node-a", 16));
  JobRunner runner_b(*node_b_, clock_, Options("node-b", 16));
  runner_a.RegisterCaseTimers(Effect(duplicates));
  runner_b.RegisterCaseTimers(Effect(duplicates));
  PassReport a, b;
  std::thread thread_a([&] { a = runner_a.RunUntilIdle(); });
  std::thread thread_b([&] { b = runner_b.RunUntilIdle(); });
  thread_a.join();
  thread_b.join();
  EXPECT_EQ(a.done + b.done, kCases);
  EXPECT_EQ(a.errors + b.errors + a.retried + b.retried, 0);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(Effects(), ids);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseTimersTest,
                         ::testing::ValuesIn(store::testutil::BackendNames()),
                         store::testutil::BackendName());

}  // namespace
}  // namespace redress::engine
