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
      return tx.SetCaseDue(id, CaseDue{due, due});
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

TEST_P(StoreEscalationTest, DueTimesOfAMissingCaseAreNotFound) {
  auto set = store_->Write([&](WriteTx& tx) { return tx.SetCaseDue(999, CaseDue{T(5), T(5)}); });
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().code, ErrorCode::kNotFound);
  auto deferred = store_->Write([&](WriteTx& tx) { return tx.DeferCaseTimer(999, T(5)); });
  ASSERT_FALSE(deferred);
  EXPECT_EQ(deferred.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreEscalationTest, DueTimersAreClaimedEarliestFirstUpToTheLimit) {
  const int64_t later = Open(CaseStatus::kOpen, std::nullopt, 1, T(300));
  const int64_t first = Open(CaseStatus::kOpen, std::nullopt, 1, T(100));
  const int64_t tied = Open(CaseStatus::kOpen, std::nullopt, 1, T(300));
  const int64_t future = Open(CaseStatus::kOpen, std::nullopt, 1, T(301));
  Open(CaseStatus::kSolved, std::nullopt, 1, std::nullopt);  // no timer at all
  auto claim = [&](Timestamp now, int limit) {
    std::vector<int64_t> ids;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto due = tx.ClaimDueCases(now, limit);
      if (!due) return Fail(due.error());
      for (const DueCase& d : *due) {
        ids.push_back(d.case_id);
        EXPECT_EQ(d.state, *store_->GetCase(d.case_id)) << "the claim reads the whole case";
      }
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return ids;
  };
  EXPECT_EQ(claim(T(300), 10), (std::vector<int64_t>{first, later, tied}));
  EXPECT_EQ(claim(T(300), 2), (std::vector<int64_t>{first, later}));
  EXPECT_EQ(claim(T(99), 10), std::vector<int64_t>{});
  EXPECT_EQ(claim(T(1000), 10), (std::vector<int64_t>{first, later, tied, future}));
  auto refused =
      store_->Write([&](WriteTx& tx) { return tx.ClaimDueCases(T(1), 0).map([](auto) {}); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(StoreEscalationTest, ADeferredTimerCountsItsFailuresUntilItIsSetAgain) {
  const int64_t id = Open(CaseStatus::kOpen, std::nullopt, 1, T(100));
  auto due_at = [&](Timestamp now) -> std::optional<DueCase> {
    std::optional<DueCase> found;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto due = tx.ClaimDueCases(now, 10);
      if (!due) return Fail(due.error());
      if (!due->empty()) found = due->front();
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return found;
  };
  auto first = due_at(T(100));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->failures, 0);
  for (int i = 1; i <= 2; ++i) {
    ASSERT_TRUE(store_->Write([&](WriteTx& tx) { return tx.DeferCaseTimer(id, T(100 + 10 * i)); }));
  }
  EXPECT_FALSE(due_at(T(119)));
  auto deferred = due_at(T(120));
  ASSERT_TRUE(deferred);
  EXPECT_EQ(deferred->timer, T(120));
  EXPECT_EQ(deferred->failures, 2);
  // The next change to the case sets its timer afresh; without a deadline there is none.
  ASSERT_TRUE(store_->Write([&](WriteTx& tx) {
    return tx.SetCaseDue(id, CaseDue{T(500), T(400)});
  }));
  EXPECT_FALSE(due_at(T(399)));
  auto reset = due_at(T(400));
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->failures, 0);
  ASSERT_TRUE(store_->Write([&](WriteTx& tx) { return tx.SetCaseDue(id, CaseDue{T(500), {}}); }));
  EXPECT_FALSE(due_at(T(100000)));
  CaseQuery due_soon;  // the next step's time is kept apart from the timer
  due_soon.due_by = T(500);
  EXPECT_EQ(*store_->CountCases(due_soon), 1);
}

TEST_P(StoreEscalationTest, DueTimesWrittenWithTheProjectionActLikeSetCaseDue) {
  auto claim = [&](Timestamp now) -> std::optional<DueCase> {
    std::optional<DueCase> found;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto due = tx.ClaimDueCases(now, 10);
      if (!due) return Fail(due.error());
      if (!due->empty()) found = std::move(due->front());
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return found;
  };
  // A new case: its row is inserted with its due times.
  CaseState opened;
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto id = tx.NextCaseId();
    if (!id) return Fail(id.error());
    std::vector<domain::Event> events{testutil::NextEvent(
        *id, 0, std::string(eventlog::kGenesisHash), domain::EventType::kCaseOpened)};
    opened = testutil::OpenedState(*id, customer_, events.front());
    return tx.AppendEvents(std::nullopt, events, opened, CaseDue{T(900), T(200)});
  });
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(claim(T(199)));
  auto first = claim(T(200));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->case_id, opened.id);
  EXPECT_EQ(first->state.last_seq, 1);
  CaseQuery due_by;
  due_by.due_by = T(900);
  EXPECT_EQ(*store_->CountCases(due_by), 1);

  // A failed firing defers the timer; the next append with due times sets it afresh and
  // clears the failure count, in the same row write as the projection.
  ASSERT_TRUE(store_->Write([&](WriteTx& tx) { return tx.DeferCaseTimer(opened.id, T(250)); }));
  CaseState appended;
  written = store_->Write([&](WriteTx& tx) -> Result<void> {
    std::vector<domain::Event> events{testutil::NextEvent(
        opened.id, opened.last_seq, opened.head_hash, domain::EventType::kReplySent)};
    appended = opened;
    appended.last_seq = events.back().seq;
    appended.head_hash = events.back().hash;
    ++appended.staff_replies;
    return tx.AppendEvents(opened, events, appended, CaseDue{T(5000), T(4000)});
  });
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(claim(T(3999)));
  auto reset = claim(T(4000));
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->failures, 0);
  EXPECT_EQ(reset->state.last_seq, 2);
  EXPECT_EQ(*store_->CountCases(due_by), 0);

  // An append whose head check fails writes neither the row nor the due times.
  auto stale = store_->Write([&](WriteTx& tx) -> Result<void> {
    std::vector<domain::Event> events{testutil::NextEvent(
        opened.id, opened.last_seq, opened.head_hash, domain::EventType::kReplySent)};
    CaseState after = opened;
    after.last_seq = events.back().seq;
    after.head_hash = events.back().hash;
    return tx.AppendEvents(opened, events, after, CaseDue{T(10), T(10)});
  });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(claim(T(3999)));

  // Without due times the append leaves them as they were.
  written = store_->Write([&](WriteTx& tx) -> Result<void> {
    std::vector<domain::Event> events{testutil::NextEvent(
        appended.id, appended.last_seq, appended.head_hash, domain::EventType::kReplySent)};
    CaseState after = appended;
    after.last_seq = events.back().seq;
    after.head_hash = events.back().hash;
    return tx.AppendEvents(appended, events, after);
  });
  ASSERT_TRUE(written) << written.error().message;
  auto kept = claim(T(4000));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->state.last_seq, 3);
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
