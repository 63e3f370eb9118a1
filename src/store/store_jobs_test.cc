// Contract tests for the shared work queue, run on every backend with two Store instances
// on one database standing for two nodes. Time is passed in (fake), never slept for.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using std::chrono::seconds;
using testutil::T;

class StoreJobsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (auto* store : {&node_a_, &node_b_}) {
      auto opened = backend_->Open();
      ASSERT_TRUE(opened) << opened.error().message;
      *store = std::move(*opened);
    }
  }

  Result<bool> Schedule(Store& store, const std::string& key, Timestamp due,
                        const std::string& payload = "{}") {
    bool scheduled = false;
    auto written = store.Write([&](WriteTx& tx) -> Result<void> {
      auto done = tx.ScheduleJob(JobSpec{"mail_send", key, due, payload});
      if (!done) return Fail(done.error());
      scheduled = *done;
      return {};
    });
    if (!written) return Fail(written.error());
    return scheduled;
  }

  std::vector<ClaimedJob> Claim(Store& store, const std::string& owner, Timestamp now,
                                int limit = 10, seconds lease = seconds(30)) {
    std::vector<ClaimedJob> jobs;
    auto written = store.Write([&](WriteTx& tx) -> Result<void> {
      auto claimed = tx.ClaimJobs(JobClaim{"mail_send", owner, now, lease, limit});
      if (!claimed) return Fail(claimed.error());
      jobs = std::move(*claimed);
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return jobs;
  }

  Result<void> Complete(Store& store, int64_t id, const std::string& owner, Timestamp now) {
    return store.Write([&](WriteTx& tx) { return tx.CompleteJob(id, owner, now); });
  }

  std::unique_ptr<testutil::TestBackend> backend_ = testutil::MakeBackend(GetParam());
  std::unique_ptr<Store> node_a_;
  std::unique_ptr<Store> node_b_;
};

TEST_P(StoreJobsTest, SchedulingTheSameKeyTwiceKeepsTheFirst) {
  EXPECT_TRUE(*Schedule(*node_a_, "case-1-first-response", T(100), "{\"v\":1}"));
  EXPECT_FALSE(*Schedule(*node_b_, "case-1-first-response", T(50), "{\"v\":2}"));
  auto jobs = Claim(*node_a_, "a", T(200));
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].key, "case-1-first-response");
  EXPECT_EQ(jobs[0].due_at, T(100));
  EXPECT_EQ(jobs[0].payload, "{\"v\":1}");
  EXPECT_EQ(jobs[0].attempts, 1);
  ASSERT_TRUE(Complete(*node_a_, jobs[0].id, "a", T(201)));
  // A done job keeps its key: the deadline cannot be scheduled again.
  EXPECT_FALSE(*Schedule(*node_b_, "case-1-first-response", T(300)));
  EXPECT_TRUE(Claim(*node_b_, "b", T(400)).empty());
}

TEST_P(StoreJobsTest, OnlyDueJobsAreClaimedOldestFirstAndLeasedOnce) {
  ASSERT_TRUE(Schedule(*node_a_, "late", T(260)));
  ASSERT_TRUE(Schedule(*node_a_, "early", T(100)));
  ASSERT_TRUE(Schedule(*node_a_, "middle", T(200)));
  EXPECT_TRUE(Claim(*node_a_, "a", T(99)).empty());
  auto jobs = Claim(*node_a_, "a", T(250));
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].key, "early");
  EXPECT_EQ(jobs[1].key, "middle");
  // Leased for 30 s: the other node sees only what is left.
  auto rest = Claim(*node_b_, "b", T(270));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].key, "late");
  // Another kind is another queue.
  auto other = node_b_->Write([&](WriteTx& tx) -> Result<void> {
    auto claimed = tx.ClaimJobs(JobClaim{"send_mail", "b", T(1000), seconds(30), 10});
    if (!claimed) return Fail(claimed.error());
    EXPECT_TRUE(claimed->empty());
    return {};
  });
  EXPECT_TRUE(other);
}

TEST_P(StoreJobsTest, ExpiredLeaseIsTakenOverAndTheOldOwnerCannotComplete) {
  ASSERT_TRUE(Schedule(*node_a_, "deadline", T(100)));
  auto first = Claim(*node_a_, "node-a", T(100), 10, seconds(30));
  ASSERT_EQ(first.size(), 1u);
  // node-a "dies". Before the lease ends nobody else may take the job.
  EXPECT_TRUE(Claim(*node_b_, "node-b", T(129)).empty());
  auto taken = Claim(*node_b_, "node-b", T(130));
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].id, first[0].id);
  EXPECT_EQ(taken[0].attempts, 2);
  // node-a comes back and tries to finish: refused, so its duplicate work rolls back.
  auto late = Complete(*node_a_, first[0].id, "node-a", T(131));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(Complete(*node_b_, taken[0].id, "node-b", T(132)));
  EXPECT_TRUE(Claim(*node_a_, "node-a", T(10'000)).empty());
}

TEST_P(StoreJobsTest, RetryMakesTheJobDueAgainAtTheGivenTime) {
  ASSERT_TRUE(Schedule(*node_a_, "mail-7", T(100)));
  auto jobs = Claim(*node_a_, "a", T(100));
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_TRUE(node_a_->Write(
      [&](WriteTx& tx) { return tx.RetryJob(jobs[0].id, "a", T(160), "smtp: 451 try later"); }));
  EXPECT_TRUE(Claim(*node_b_, "b", T(159)).empty());
  auto again = Claim(*node_b_, "b", T(160));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
  EXPECT_EQ(again[0].last_error, "smtp: 451 try later");
  EXPECT_EQ(again[0].due_at, T(160));
  auto stale = node_a_->Write([&](WriteTx& tx) { return tx.RetryJob(jobs[0].id, "a", T(1), ""); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
}

TEST_P(StoreJobsTest, ExpediteMakesAPendingJobDueSoonerButNeverLaterAndKeepsItsLease) {
  auto expedite = [&](Store& store, const std::string& key, Timestamp due) -> Result<bool> {
    bool changed = false;
    auto written = store.Write([&](WriteTx& tx) -> Result<void> {
      auto done = tx.ExpediteJob("mail_send", key, due);
      if (!done) return Fail(done.error());
      changed = *done;
      return {};
    });
    if (!written) return Fail(written.error());
    return changed;
  };
  ASSERT_TRUE(Schedule(*node_a_, "poll-support", T(3600)));
  EXPECT_TRUE(Claim(*node_b_, "b", T(10)).empty());
  auto sooner = expedite(*node_b_, "poll-support", T(10));
  ASSERT_TRUE(sooner) << sooner.error().message;
  EXPECT_TRUE(*sooner);
  ASSERT_TRUE(expedite(*node_b_, "poll-support", T(20)));  // later: keeps T(10)
  auto jobs = Claim(*node_b_, "b", T(10));
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].due_at, T(10));
  // Expedited while leased: still b's until b gives it back.
  ASSERT_TRUE(expedite(*node_a_, "poll-support", T(5)));
  EXPECT_TRUE(Claim(*node_a_, "a", T(11)).empty());
  ASSERT_TRUE(node_b_->Write([&](WriteTx& tx) { return tx.RetryJob(jobs[0].id, "b", T(50), ""); }));
  auto none = expedite(*node_a_, "no-such-job", T(1));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

TEST_P(StoreJobsTest, CompletionRolledBackWithItsEffectLeavesTheJobToBeRetried) {
  ASSERT_TRUE(Schedule(*node_a_, "deadline", T(100)));
  auto jobs = Claim(*node_a_, "a", T(100));
  ASSERT_EQ(jobs.size(), 1u);
  auto failed = node_a_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto done = tx.CompleteJob(jobs[0].id, "a", T(101)); !done) return done;
    return Fail(ErrorCode::kUnavailable, "the effect failed");  // e.g. the append failed
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(Claim(*node_b_, "b", T(131)).size(), 1u) << "the job must survive the rollback";
}

TEST_P(StoreJobsTest, ConcurrentClaimersOnTwoNodesGetEveryJobExactlyOnce) {
  constexpr int kJobs = 120;
  ASSERT_TRUE(node_a_->Write([&](WriteTx& tx) -> Result<void> {
    for (int i = 0; i < kJobs; ++i) {
      auto scheduled =
          tx.ScheduleJob(JobSpec{"mail_send", "job-" + std::to_string(i), T(i % 7), "{}"});
      if (!scheduled) return Fail(scheduled.error());
    }
    return {};
  }));

  constexpr int kWorkers = 6;
  std::mutex mu;
  std::map<int64_t, int> completed;  // job id -> times completed
  std::vector<std::string> failures;
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      Store& store = w % 2 == 0 ? *node_a_ : *node_b_;
      const std::string owner = "worker-" + std::to_string(w);
      for (;;) {
        std::vector<ClaimedJob> jobs;
        // Claim and complete in one write, as a worker whose effect is in the database.
        auto written = store.Write([&](WriteTx& tx) -> Result<void> {
          auto claimed = tx.ClaimJobs(JobClaim{"mail_send", owner, T(10), seconds(30), 3});
          if (!claimed) return Fail(claimed.error());
          for (const ClaimedJob& job : *claimed) {
            if (auto done = tx.CompleteJob(job.id, owner, T(10)); !done) return done;
          }
          jobs = std::move(*claimed);
          return {};
        });
        std::lock_guard lock(mu);
        if (!written) {
          failures.push_back(written.error().message);
          return;
        }
        if (jobs.empty()) return;
        for (const ClaimedJob& job : jobs) ++completed[job.id];
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  ASSERT_TRUE(failures.empty()) << failures.size() << " claims failed, first: " << failures[0];
  EXPECT_EQ(completed.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, times] : completed) EXPECT_EQ(times, 1) << "job " << id;
}

TEST_P(StoreJobsTest, AFailedIsolatedStepIsUndoneAloneAndTheRestCommits) {
  std::optional<Error> bad_step;
  std::optional<Error> good_step;
  auto written = node_a_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto before = tx.ScheduleJob(JobSpec{"mail_send", "before", T(1), "{}"}); !before) {
      return Fail(before.error());
    }
    // A statement the database refuses (PostgreSQL rejects invalid UTF-8; SQLite stores
    // it, so the step fails after it): on PostgreSQL the transaction is aborted until the
    // savepoint is rolled back.
    auto bad = tx.Isolated([&]() -> Result<void> {
      if (auto kept = tx.ScheduleJob(JobSpec{"mail_send", "undone", T(1), "{}"}); !kept) {
        return Fail(kept.error());
      }
      if (auto odd = tx.ScheduleJob(JobSpec{"mail_send", "bad-\xff", T(1), "{}"}); !odd) {
        return Fail(odd.error());
      }
      return Fail(ErrorCode::kInvalidArgument, "refused after writing");
    });
    if (!bad) return Fail(bad.error());
    bad_step = *bad;
    auto good = tx.Isolated([&]() -> Result<void> {
      auto kept = tx.ScheduleJob(JobSpec{"mail_send", "after", T(1), "{}"});
      if (!kept) return Fail(kept.error());
      return {};
    });
    if (!good) return Fail(good.error());
    good_step = *good;
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_TRUE(bad_step.has_value());
  EXPECT_FALSE(good_step.has_value()) << good_step->message;
  std::vector<std::string> keys;
  for (const ClaimedJob& job : Claim(*node_b_, "b", T(2))) keys.push_back(job.key);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"after", "before"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreJobsTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
