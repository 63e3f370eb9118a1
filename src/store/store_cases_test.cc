// Contract tests, run on every backend: cases and events through the Store interface,
// the append path, its consistency checks, and the read queries over them.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::CaseState;
using domain::Event;
using domain::Visibility;
using testutil::AddCustomer;
using testutil::AppendTestEvents;
using testutil::OpenTestCase;

class StoreCasesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto store = backend_->Open();
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  // Opens a case with one event in its own write.
  CaseState Open(int64_t customer_id, std::vector<Event>* events = nullptr) {
    CaseState state;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto opened = OpenTestCase(
          tx, customer_id, [](CaseState&) {}, events);
      if (!opened) return Fail(opened.error());
      state = *opened;
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return state;
  }

  CaseState Append(const CaseState& before, const std::vector<Visibility>& kinds,
                   std::vector<Event>* events = nullptr) {
    CaseState state;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto appended = AppendTestEvents(tx, before, kinds, events);
      if (!appended) return Fail(appended.error());
      state = *appended;
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return state;
  }

  std::unique_ptr<testutil::TestBackend> backend_ = testutil::MakeBackend(GetParam());
  std::unique_ptr<Store> store_;
};

TEST_P(StoreCasesTest, EventsReadBackIdentical) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  std::vector<Event> written;
  CaseState state = Open(customer, &written);
  std::vector<Event> more;
  state = Append(state, {Visibility::kPublic, Visibility::kInternal, Visibility::kPublic}, &more);
  written.insert(written.end(), more.begin(), more.end());

  auto loaded = store_->LoadEvents(state.id);
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 4u);
  EXPECT_EQ(*loaded, written);
  // Spot-check the payload itself, not only operator==.
  EXPECT_EQ((*loaded)[2].data.at("nested").at("deep").at("n").to_number<int64_t>(), 3);
  EXPECT_EQ((*loaded)[0].data.at("amount_minor").to_number<int64_t>(), -123456789012LL);
  EXPECT_EQ((*loaded)[1].actor.name, "Meera \"M\" Iyer");
  EXPECT_EQ((*loaded)[2].visibility, Visibility::kInternal);
}

TEST_P(StoreCasesTest, ProjectionFollowsTheEvents) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState opened = Open(customer);
  EXPECT_EQ(opened.id, 1);
  auto read = store_->GetCase(opened.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, opened);

  CaseState changed = Append(opened, {Visibility::kPublic, Visibility::kInternal});
  read = store_->GetCase(opened.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, changed);
  EXPECT_EQ(read->last_seq, 3);
  EXPECT_EQ(read->head_hash, testutil::FakeHash(opened.id, 3));
  EXPECT_EQ(read->staff_replies, 1);
  EXPECT_EQ(read->internal_notes, 1);

  // Every optional field survives the row, set and unset.
  CaseState full = changed;
  full.owner_id = 12;
  full.owner_name = "Ravi";
  full.first_response_at = testutil::T(5);
  full.last_customer_message_at = std::nullopt;
  full.status = domain::CaseStatus::kOnHold;
  full.priority = domain::Priority::kUrgent;
  full.category = "returns";
  full.level = 3;
  full.transfers = 2;
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    std::vector<Event> events{testutil::NextEvent(full.id, changed.last_seq, changed.head_hash)};
    full.last_seq = events.back().seq;
    full.head_hash = events.back().hash;
    return tx.AppendEvents(changed, events, full);
  });
  ASSERT_TRUE(written) << written.error().message;
  read = store_->GetCase(opened.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, full);
  // The listing indexes follow the columns that changed, and only the new values match.
  auto ids = [&](CaseQuery query) {
    std::vector<int64_t> found;
    auto page = store_->ListCases(query);
    EXPECT_TRUE(page) << page.error().message;
    if (page) {
      for (const CaseState& c : page->cases) found.push_back(c.id);
    }
    return found;
  };
  const std::vector<int64_t> just_it{opened.id};
  CaseQuery query;
  query.owner_id = 12;
  EXPECT_EQ(ids(query), just_it);
  query = {};
  query.level = 3;
  EXPECT_EQ(ids(query), just_it);
  query = {};
  query.status = domain::CaseStatus::kOnHold;
  EXPECT_EQ(ids(query), just_it);
  query = {};
  query.level = changed.level;
  EXPECT_TRUE(ids(query).empty());
  query = {};
  query.status = changed.status;
  EXPECT_TRUE(ids(query).empty());

  auto missing = store_->GetCase(999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreCasesTest, LoadCaseForUpdateSeesTheProjection) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState opened = Open(customer);
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto loaded = tx.LoadCaseForUpdate(opened.id);
    if (!loaded) return Fail(loaded.error());
    EXPECT_EQ(*loaded, opened);
    auto missing = tx.LoadCaseForUpdate(opened.id + 1);
    EXPECT_FALSE(missing);
    if (!missing) {
      EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    }
    return {};
  });
  EXPECT_TRUE(written) << written.error().message;
}

// In an isolated step (the retry of a failed claim of timers) a stale head is that step's
// conflict: the step is undone alone and the write's other steps commit. On PostgreSQL the
// head check is deferred and only reported when the step's statements are sent. A head
// with the right seq but another hash is the sharper case there: its events insert
// without an error, so only the head check can tell, and the step must still be undone.
TEST_P(StoreCasesTest, AStaleHeadInAnIsolatedStepIsUndoneAloneAndTheRestCommits) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState stale = Open(customer);
  CaseState current = Append(stale, {Visibility::kPublic});
  CaseState forged = current;
  forged.head_hash = std::string(64, '0');
  CaseState other = Open(customer);

  std::vector<std::optional<Error>> steps;
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    steps.clear();
    for (const CaseState* before : {&stale, &forged, &other}) {
      // Internal notes: no search text, whose insert would send the queue at once.
      auto step = tx.Isolated([&]() -> Result<void> {
        auto appended = AppendTestEvents(tx, *before, {Visibility::kInternal});
        if (!appended) return Fail(appended.error());
        return {};
      });
      if (!step) return Fail(step.error());
      steps.push_back(*step);
    }
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_EQ(steps.size(), 3u);
  for (int i : {0, 1}) {
    ASSERT_TRUE(steps[i].has_value()) << "step " << i;
    EXPECT_EQ(steps[i]->code, ErrorCode::kConflict) << steps[i]->message;
    EXPECT_NE(steps[i]->message.find("changed since it was read"), std::string::npos)
        << steps[i]->message;
  }
  EXPECT_FALSE(steps[2].has_value()) << steps[2]->message;

  auto read = store_->GetCase(stale.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, current);
  EXPECT_EQ(store_->LoadEvents(stale.id)->size(), 2u);
  EXPECT_EQ(store_->LoadEvents(other.id)->size(), 2u);
}

TEST_P(StoreCasesTest, StaleHeadIsConflictAndWritesNothing) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState opened = Open(customer);
  CaseState current = Append(opened, {Visibility::kPublic});

  // A second writer that read the case before the append above.
  auto stale = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto appended = AppendTestEvents(tx, opened, {Visibility::kPublic, Visibility::kPublic});
    if (!appended) return Fail(appended.error());
    return {};
  });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_NE(stale.error().message.find("changed since it was read"), std::string::npos)
      << stale.error().message;

  auto events = store_->LoadEvents(opened.id);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 2u);
  auto read = store_->GetCase(opened.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, current);
}

TEST_P(StoreCasesTest, EventsMustContinueTheChain) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState opened = Open(customer);

  auto attempt = [&](auto mutate) {
    return store_->Write([&](WriteTx& tx) -> Result<void> {
      std::vector<Event> events{testutil::NextEvent(opened.id, opened.last_seq, opened.head_hash)};
      CaseState after = opened;
      after.last_seq = events.back().seq;
      after.head_hash = events.back().hash;
      mutate(events, after);
      return tx.AppendEvents(opened, events, after);
    });
  };
  auto gap = attempt([](std::vector<Event>& e, CaseState& a) { e[0].seq = a.last_seq = 3; });
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().code, ErrorCode::kInvalidArgument) << gap.error().message;
  auto bad_link = attempt([](std::vector<Event>& e, CaseState&) { e[0].prev_hash[0] = 'f'; });
  ASSERT_FALSE(bad_link);
  EXPECT_EQ(bad_link.error().code, ErrorCode::kInvalidArgument);
  auto wrong_head = attempt([](std::vector<Event>&, CaseState& a) { a.head_hash = "x"; });
  ASSERT_FALSE(wrong_head);
  EXPECT_EQ(wrong_head.error().code, ErrorCode::kInvalidArgument);
  auto none = attempt([](std::vector<Event>& e, CaseState& a) {
    e.clear();
    a.last_seq = 1;
  });
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);

  EXPECT_EQ(store_->LoadEvents(opened.id)->size(), 1u);
  EXPECT_TRUE(attempt([](std::vector<Event>&, CaseState&) {}));
}

TEST_P(StoreCasesTest, NewCaseNeedsAnExistingCustomerAndAFreshId) {
  auto no_customer = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto opened = OpenTestCase(tx, 404);
    if (!opened) return Fail(opened.error());
    return {};
  });
  ASSERT_FALSE(no_customer);
  EXPECT_EQ(no_customer.error().code, ErrorCode::kNotFound);
  EXPECT_NE(no_customer.error().message.find("customer 404"), std::string::npos);

  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState opened = Open(customer);
  auto again = store_->Write([&](WriteTx& tx) -> Result<void> {
    std::vector<Event> events{
        testutil::NextEvent(opened.id, 0, std::string(eventlog::kGenesisHash))};
    return tx.AppendEvents(std::nullopt, events,
                           testutil::OpenedState(opened.id, customer, events.front()));
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
}

TEST_P(StoreCasesTest, EventsAreAppendOnly) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState opened = Open(customer);
  auto before = store_->LoadEvents(opened.id);
  ASSERT_TRUE(before);

  // Even someone with a SQL shell on the file cannot edit the log.
  auto update = backend_->ExecRaw("UPDATE events SET actor_name = 'someone else'");
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code, ErrorCode::kConflict);
  EXPECT_NE(update.error().message.find("events are append-only"), std::string::npos)
      << update.error().message;
  auto remove = backend_->ExecRaw("DELETE FROM events WHERE case_id = 1");
  ASSERT_FALSE(remove);
  EXPECT_NE(remove.error().message.find("events are append-only"), std::string::npos);

  auto after = store_->LoadEvents(opened.id);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, *before);
}

TEST_P(StoreCasesTest, ListEventsPagesAndHidesInternal) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  CaseState state = Open(customer);
  // seq 2..9: internal at 3, 5, 6 and 9.
  state = Append(state, {Visibility::kPublic, Visibility::kInternal, Visibility::kPublic,
                         Visibility::kInternal, Visibility::kInternal, Visibility::kPublic,
                         Visibility::kPublic, Visibility::kInternal});

  auto collect = [&](bool include_internal, int limit) {
    std::vector<int64_t> seqs;
    EventQuery query{state.id, 0, limit, include_internal};
    for (int pages = 0; pages < 20; ++pages) {
      auto page = store_->ListEvents(query);
      EXPECT_TRUE(page) << page.error().message;
      if (!page) break;
      EXPECT_LE(page->events.size(), static_cast<size_t>(limit));
      for (const Event& e : page->events) {
        seqs.push_back(e.seq);
        if (!include_internal) {
          EXPECT_EQ(e.visibility, Visibility::kPublic);
        }
      }
      if (!page->next_after_seq) break;
      EXPECT_EQ(*page->next_after_seq, page->events.back().seq);
      query.after_seq = *page->next_after_seq;
    }
    return seqs;
  };
  EXPECT_EQ(collect(true, 3), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(collect(false, 2), (std::vector<int64_t>{1, 2, 4, 7, 8}));
  EXPECT_EQ(collect(false, 100), (std::vector<int64_t>{1, 2, 4, 7, 8}));

  // An exact fit does not promise another page.
  auto exact = store_->ListEvents(EventQuery{state.id, 0, 9, true});
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->events.size(), 9u);
  EXPECT_FALSE(exact->next_after_seq);
}

TEST_P(StoreCasesTest, ListCasesFiltersAndPagesWithoutGapsOrDuplicates) {
  const int64_t asha = AddCustomer(*store_, "Asha", "asha@example.com");
  const int64_t ravi = AddCustomer(*store_, "Ravi", "ravi@example.com");
  std::vector<CaseState> all;
  auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
    for (int i = 0; i < 37; ++i) {
      auto opened = OpenTestCase(tx, i % 3 == 0 ? ravi : asha, [i](CaseState& c) {
        c.status = i % 4 == 0 ? domain::CaseStatus::kOpen : domain::CaseStatus::kNew;
        if (i % 5 != 0) {
          c.owner_id = 100 + i % 2;
          c.owner_name = "agent";
        }
        c.level = 1 + i % 3;
      });
      if (!opened) return Fail(opened.error());
      all.push_back(*opened);
    }
    return {};
  });
  ASSERT_TRUE(written) << written.error().message;

  auto expect_listing = [&](CaseQuery query, auto matches) {
    std::vector<int64_t> expected;
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (matches(*it)) expected.push_back(it->id);
    }
    std::vector<int64_t> got;
    for (int pages = 0; pages < 50; ++pages) {
      auto page = store_->ListCases(query);
      ASSERT_TRUE(page) << page.error().message;
      ASSERT_LE(page->cases.size(), static_cast<size_t>(query.limit));
      for (const CaseState& c : page->cases) {
        got.push_back(c.id);
        EXPECT_EQ(c, all[static_cast<size_t>(c.id - 1)]);
      }
      if (!page->next_before_id) break;
      query.before_id = page->next_before_id;
    }
    EXPECT_EQ(got, expected);
    EXPECT_FALSE(expected.empty());
  };

  CaseQuery query;
  query.limit = 5;
  expect_listing(query, [](const CaseState&) { return true; });
  query.limit = 200;
  expect_listing(query, [](const CaseState&) { return true; });

  CaseQuery by_status;
  by_status.limit = 4;
  by_status.status = domain::CaseStatus::kOpen;
  expect_listing(by_status,
                 [](const CaseState& c) { return c.status == domain::CaseStatus::kOpen; });

  CaseQuery by_owner;
  by_owner.limit = 3;
  by_owner.owner_id = 101;
  by_owner.unowned = true;  // ignored when owner_id is set
  expect_listing(by_owner, [](const CaseState& c) { return c.owner_id == 101; });

  CaseQuery unowned;
  unowned.limit = 2;
  unowned.unowned = true;
  expect_listing(unowned, [](const CaseState& c) { return !c.owner_id; });

  CaseQuery combined;
  combined.limit = 2;
  combined.level = 2;
  combined.customer_id = asha;
  combined.status = domain::CaseStatus::kNew;
  expect_listing(combined, [&](const CaseState& c) {
    return c.level == 2 && c.customer_id == asha && c.status == domain::CaseStatus::kNew;
  });

  CaseQuery from_cursor;
  from_cursor.limit = 10;
  from_cursor.before_id = 20;
  from_cursor.customer_id = ravi;
  expect_listing(from_cursor,
                 [&](const CaseState& c) { return c.id < 20 && c.customer_id == ravi; });

  CaseQuery nothing;
  nothing.customer_id = 9999;
  auto empty = store_->ListCases(nothing);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->cases.empty());
  EXPECT_FALSE(empty->next_before_id);
}

TEST_P(StoreCasesTest, ListCaseIdsWalksInAscendingOrder) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  for (int i = 0; i < 7; ++i) Open(customer);
  std::vector<int64_t> seen;
  int64_t after = 0;
  for (;;) {
    auto ids = store_->ListCaseIds(after, 3);
    ASSERT_TRUE(ids) << ids.error().message;
    if (ids->empty()) break;
    seen.insert(seen.end(), ids->begin(), ids->end());
    after = ids->back();
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST_P(StoreCasesTest, DataSurvivesCloseAndReopen) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  std::vector<Event> first;
  CaseState state = Open(customer, &first);
  std::vector<Event> more;
  state = Append(state, {Visibility::kInternal}, &more);
  first.insert(first.end(), more.begin(), more.end());

  Reopen();
  auto read = store_->GetCase(state.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, state);
  auto events = store_->LoadEvents(state.id);
  ASSERT_TRUE(events);
  EXPECT_EQ(*events, first);
  auto c = store_->GetCustomer(customer);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "Asha");
  // The counter carried over too: the next case does not reuse an id.
  EXPECT_EQ(Open(customer).id, state.id + 1);
  auto stats = store_->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->cases, 2);
  EXPECT_EQ(stats->events, 3);
  EXPECT_EQ(stats->customers, 1);
}

TEST_P(StoreCasesTest, PingAnswers) { EXPECT_TRUE(store_->Ping()); }

INSTANTIATE_TEST_SUITE_P(Backends, StoreCasesTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
