// Contract tests for several nodes on one database, run on every backend: two Store
// instances opened on the same database stand for two Redress processes. Writers race on
// one case, one idempotency key and the case id sequence; afterwards the chain must be
// whole, every acknowledged write present exactly once, and no id handed out twice.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::CaseState;
using domain::Event;
using domain::Visibility;
using testutil::AddCustomer;
using testutil::AppendTestEvents;
using testutil::OpenTestCase;

class StoreNodesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (auto* store : {&node_a_, &node_b_}) {
      auto opened = backend_->Open();
      ASSERT_TRUE(opened) << opened.error().message;
      *store = std::move(*opened);
    }
  }

  Store& Node(int i) { return i % 2 == 0 ? *node_a_ : *node_b_; }

  std::unique_ptr<testutil::TestBackend> backend_ = testutil::MakeBackend(GetParam());
  std::unique_ptr<Store> node_a_;
  std::unique_ptr<Store> node_b_;
};

TEST_P(StoreNodesTest, ConcurrentAppendsToOneCaseFromTwoNodesNeverFork) {
  const int64_t customer = AddCustomer(*node_a_, "Asha", "asha@example.com");
  CaseState opened;
  ASSERT_TRUE(node_a_->Write([&](WriteTx& tx) -> Result<void> {
    auto made = OpenTestCase(tx, customer);
    if (!made) return Fail(made.error());
    opened = *made;
    return {};
  }));

  // Each write locks the case, reads its head and appends after it: the way the case
  // service works. Writes from both nodes interleave on the same case.
  constexpr int kThreads = 6;
  constexpr int kWritesPerThread = 15;
  std::atomic<int> acknowledged{0};
  std::mutex failures_mu;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        auto written = Node(t).Write([&](WriteTx& tx) -> Result<void> {
          auto head = tx.LoadCaseForUpdate(opened.id);
          if (!head) return Fail(head.error());
          auto appended = AppendTestEvents(tx, *head, {Visibility::kPublic});
          if (!appended) return Fail(appended.error());
          return {};
        });
        if (written) {
          acknowledged.fetch_add(1);
        } else {
          std::lock_guard lock(failures_mu);
          failures.push_back(written.error().message);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(failures.empty()) << failures.size() << " writes failed, first: " << failures[0];

  auto events = node_b_->LoadEvents(opened.id);
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), static_cast<size_t>(1 + acknowledged.load()));
  for (size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].seq, static_cast<int64_t>(i + 1));
    if (i > 0) {
      EXPECT_EQ((*events)[i].prev_hash, (*events)[i - 1].hash) << "fork at " << i;
    }
  }
  auto state = node_a_->GetCase(opened.id);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->last_seq, static_cast<int64_t>(events->size()));
  EXPECT_EQ(state->head_hash, events->back().hash);
  EXPECT_EQ(state->staff_replies, acknowledged.load());
}

TEST_P(StoreNodesTest, DuplicateIdempotencyKeyOnTwoNodesHasOneEffectAndReplaysElsewhere) {
  const int64_t customer = AddCustomer(*node_a_, "Asha", "asha@example.com");
  // The shape of the HTTP layer's idempotent write: look the key up, replay if found,
  // else do the effect (open a case) and record the answer in the same transaction.
  constexpr int kAttempts = 8;
  std::atomic<int> effects{0};
  std::atomic<int> replays{0};
  std::mutex mu;
  std::vector<std::string> failures;
  std::set<std::string> answers;
  std::vector<std::thread> threads;
  for (int t = 0; t < kAttempts; ++t) {
    threads.emplace_back([&, t] {
      std::string answer;
      bool replayed = false;
      auto written = Node(t).Write([&](WriteTx& tx) -> Result<void> {
        replayed = false;
        auto stored = tx.FindIdempotency("customer:1", "retry-me");
        if (!stored) return Fail(stored.error());
        if (*stored) {
          replayed = true;
          answer = (*stored)->body;
          return {};
        }
        auto made = OpenTestCase(tx, customer);
        if (!made) return Fail(made.error());
        answer = "case " + std::to_string(made->id);
        return tx.InsertIdempotency(
            IdempotencyRecord{"customer:1", "retry-me", "fp", 201, answer, "", testutil::T(1)});
      });
      std::lock_guard lock(mu);
      if (!written) {
        failures.push_back(written.error().message);
        return;
      }
      (replayed ? replays : effects).fetch_add(1);
      answers.insert(answer);
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures[0];
  EXPECT_EQ(effects.load(), 1);
  EXPECT_EQ(replays.load(), kAttempts - 1);
  EXPECT_EQ(answers.size(), 1u) << "every request must get the same answer";
  auto stats = node_b_->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->cases, 1);
}

TEST_P(StoreNodesTest, CaseIdsAreNeverHandedOutTwice) {
  constexpr int kThreads = 4;
  constexpr int kIdsPerThread = 25;
  std::mutex mu;
  std::set<int64_t> ids;
  int handed_out = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIdsPerThread; ++i) {
        int64_t id = 0;
        auto written = Node(t).Write([&](WriteTx& tx) -> Result<void> {
          auto next = tx.NextCaseId();
          if (!next) return Fail(next.error());
          id = *next;
          return {};
        });
        ASSERT_TRUE(written) << written.error().message;
        std::lock_guard lock(mu);
        ids.insert(id);
        ++handed_out;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(handed_out, kThreads * kIdsPerThread);
  EXPECT_EQ(ids.size(), static_cast<size_t>(handed_out));
}

TEST_P(StoreNodesTest, SameIdentityFromTwoNodesIsKeptOnceAndTheOtherIsConflict) {
  std::atomic<int> inserted{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      domain::Customer customer = testutil::MakeCustomer("Asha", "asha@example.com");
      auto written = Node(t).Write([&](WriteTx& tx) { return tx.InsertCustomer(customer); });
      if (written) {
        inserted.fetch_add(1);
      } else if (written.error().code == ErrorCode::kConflict) {
        conflicts.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(inserted.load(), 1);
  EXPECT_EQ(conflicts.load(), 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreNodesTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
