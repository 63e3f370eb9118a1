// Contract tests for live change notifications, run on every backend with two Store
// instances on one database: a subscriber on one hears commits made through the other,
// in commit order, and never hears a write that rolled back.
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::CaseState;
using domain::Visibility;

// Collects notifications; Next() waits for one with a generous deadline (a notification
// is expected, so the wait ends as soon as it comes; the deadline only bounds a failure).
class Inbox {
 public:
  CaseChanged Callback() {
    return [this](int64_t case_id) {
      std::lock_guard lock(mu_);
      ids_.push_back(case_id);
      cv_.notify_all();
    };
  }
  bool Empty() {
    std::lock_guard lock(mu_);
    return ids_.empty();
  }
  std::optional<int64_t> Next() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !ids_.empty(); })) {
      return std::nullopt;
    }
    int64_t id = ids_.front();
    ids_.pop_front();
    return id;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int64_t> ids_;
};

class StoreChangesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (auto* store : {&node_a_, &node_b_}) {
      auto opened = backend_->Open();
      ASSERT_TRUE(opened) << opened.error().message;
      *store = std::move(*opened);
    }
    customer_ = testutil::AddCustomer(*node_a_, "Asha", "asha@example.com");
  }

  CaseState Open(Store& store) {
    CaseState state;
    auto written = store.Write([&](WriteTx& tx) -> Result<void> {
      auto opened = testutil::OpenTestCase(tx, customer_);
      if (!opened) return Fail(opened.error());
      state = *opened;
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return state;
  }

  std::unique_ptr<testutil::TestBackend> backend_ = testutil::MakeBackend(GetParam());
  std::unique_ptr<Store> node_a_;
  std::unique_ptr<Store> node_b_;
  int64_t customer_ = 0;
};

TEST_P(StoreChangesTest, ASubscriberOnOneNodeHearsCommitsOnTheOther) {
  Inbox inbox;
  auto subscription = node_b_->SubscribeChanges(inbox.Callback());
  ASSERT_TRUE(subscription) << subscription.error().message;

  CaseState first = Open(*node_a_);
  EXPECT_EQ(inbox.Next(), first.id);
  CaseState second = Open(*node_a_);
  EXPECT_EQ(inbox.Next(), second.id);
  ASSERT_TRUE(node_a_->Write([&](WriteTx& tx) -> Result<void> {
    auto head = tx.LoadCaseForUpdate(first.id);
    if (!head) return Fail(head.error());
    return testutil::AppendTestEvents(tx, *head, {Visibility::kInternal}).map([](auto&&) {});
  }));
  EXPECT_EQ(inbox.Next(), first.id);
  // The node's own writes are announced too.
  CaseState third = Open(*node_b_);
  EXPECT_EQ(inbox.Next(), third.id);
}

TEST_P(StoreChangesTest, ARolledBackWriteIsNeverAnnounced) {
  Inbox inbox;
  auto subscription = node_b_->SubscribeChanges(inbox.Callback());
  ASSERT_TRUE(subscription) << subscription.error().message;
  CaseState opened = Open(*node_a_);
  ASSERT_EQ(inbox.Next(), opened.id);

  auto failed = node_a_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto appended = testutil::AppendTestEvents(tx, opened, {Visibility::kPublic}); !appended) {
      return Fail(appended.error());
    }
    return Fail(ErrorCode::kConflict, "changed my mind");
  });
  ASSERT_FALSE(failed);
  // Had the failed write been announced, its notification would come before this one.
  CaseState next = Open(*node_a_);
  EXPECT_EQ(inbox.Next(), next.id);
}

TEST_P(StoreChangesTest, AnEndedSubscriptionHearsNothingMore) {
  Inbox gone;
  Inbox stays;
  auto kept = node_b_->SubscribeChanges(stays.Callback());
  ASSERT_TRUE(kept);
  {
    auto dropped = node_b_->SubscribeChanges(gone.Callback());
    ASSERT_TRUE(dropped);
  }
  CaseState opened = Open(*node_a_);
  EXPECT_EQ(stays.Next(), opened.id);
  // `stays` heard it, so the dispatch is over; `gone` must not have heard it.
  EXPECT_TRUE(gone.Empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreChangesTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
