// Contract tests, run on every backend: what the escalation wiring keeps besides the log
// (shared settings with versions, routing cursors, each case's next due time) and the
// queue queries built on it (active only, due by, sort by due, counts).
#include <gtest/gtest.h>

#include <vector>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::CaseState;
using domain::CaseStatus;
using testutil::AddCustomer;
using testutil::OpenTestCase;
using testutil::T;

class StoreEscalationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto store = backend_->Open();
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    customer_ = AddCustomer(*store_, "Asha Rao", "asha@example.com");
  }

  // Opens a case with the given status, owner and level, and sets its next due time.
  int64_t Open(CaseStatus status, std::optional<int64_t> owner, int level,
               std::optional<Timestamp> due) {
    int64_t id = 0;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto opened = OpenTestCase(tx, customer_, [&](CaseState& s) {
        s.status = status;
        s.owner_id = owner;
        s.level = level;
      });
      if (!opened) return Fail(opened.error());
      id = opened->id;
      return tx.SetCaseNextDue(id, due);
    });
    EXPECT_TRUE(written) << written.error().message;
    return id;
  }

  std::vector<int64_t> Ids(const CaseQuery& query) {
    auto page = store_->ListCases(query);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<int64_t> ids;
    if (page) {
      for (const auto& c : page->cases) ids.push_back(c.id);
    }
    return ids;
  }

  std::unique_ptr<testutil::TestBackend> backend_ = testutil::MakeBackend(GetParam());
  std::unique_ptr<Store> store_;
  int64_t customer_ = 0;
};

TEST_P(StoreEscalationTest, SettingsAreVersionedAndSharedBetweenNodes) {
  auto missing = store_->GetSetting("escalation_policy");
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(missing->has_value());

  std::vector<int64_t> versions;
  for (const char* value : {"version = 1\n", "version = 1 # second\n"}) {
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto version = tx.PutSetting("escalation_policy", value, T(10));
      if (!version) return Fail(version.error());
      versions.push_back(*version);
      return {};
    });
    ASSERT_TRUE(written) << written.error().message;
  }
  EXPECT_EQ(versions, (std::vector<int64_t>{1, 2}));

  auto other_node = backend_->Open();
  ASSERT_TRUE(other_node) << other_node.error().message;
  auto seen = (*other_node)->GetSetting("escalation_policy");
  ASSERT_TRUE(seen && seen->has_value());
  EXPECT_EQ((*seen)->value, "version = 1 # second\n");
  EXPECT_EQ((*seen)->version, 2);
  EXPECT_EQ((*seen)->updated_at, T(10));
}

TEST_P(StoreEscalationTest, RoutingCursorsStartAtZeroAndPersist) {
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto fresh = tx.LoadRoutingCursor("l2");
    if (!fresh) return Fail(fresh.error());
    EXPECT_EQ(*fresh, 0);
    if (auto saved = tx.SaveRoutingCursor("l2", 3); !saved) return saved;
    return tx.SaveRoutingCursor("l3", 1);
  });
  ASSERT_TRUE(written) << written.error().message;
  written = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto l2 = tx.LoadRoutingCursor("l2");
    auto l3 = tx.LoadRoutingCursor("l3");
    if (!l2 || !l3) return Fail(ErrorCode::kInternal, "reading cursors failed");
    EXPECT_EQ(*l2, 3);
    EXPECT_EQ(*l3, 1);
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;
}

TEST_P(StoreEscalationTest, NextDueOfAMissingCaseIsNotFound) {
  auto written = store_->Write([&](WriteTx& tx) { return tx.SetCaseNextDue(999, T(5)); });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreEscalationTest, QueuesFilterByActivityAndDueTimeAndSortByDue) {
  const int64_t late = Open(CaseStatus::kOpen, 7, 1, T(100));
  const int64_t soon = Open(CaseStatus::kOpen, std::nullopt, 2, T(300));
  const int64_t later = Open(CaseStatus::kPending, 7, 1, T(5000));
  const int64_t none = Open(CaseStatus::kNew, std::nullopt, 1, std::nullopt);
  const int64_t solved = Open(CaseStatus::kSolved, 7, 1, T(50));

  CaseQuery active;
  active.active_only = true;
  EXPECT_EQ(Ids(active), (std::vector<int64_t>{none, later, soon, late}));
  EXPECT_EQ(*store_->CountCases(active), 4);

  CaseQuery by_due = active;
  by_due.sort_due = true;
  EXPECT_EQ(Ids(by_due), (std::vector<int64_t>{late, soon, later, none}));
  by_due.offset = 1;
  by_due.limit = 2;
  EXPECT_EQ(Ids(by_due), (std::vector<int64_t>{soon, later}));

  CaseQuery breaching = active;
  breaching.due_by = T(1000);
  EXPECT_EQ(Ids(breaching), (std::vector<int64_t>{soon, late}));
  EXPECT_EQ(*store_->CountCases(breaching), 2);

  CaseQuery mine = active;
  mine.owner_id = 7;
  EXPECT_EQ(*store_->CountCases(mine), 2);
  CaseQuery unassigned = active;
  unassigned.unowned = true;
  EXPECT_EQ(Ids(unassigned), (std::vector<int64_t>{none, soon}));
  CaseQuery level2 = active;
  level2.level = 2;
  EXPECT_EQ(Ids(level2), (std::vector<int64_t>{soon}));

  CaseQuery everything;
  EXPECT_EQ(*store_->CountCases(everything), 5);
  (void)solved;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreEscalationTest,
                         ::testing::ValuesIn(testutil::BackendNames()), testutil::BackendName());

}  // namespace
}  // namespace redress::store
