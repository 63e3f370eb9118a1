// The writer: group commit, isolation of failing writes within a batch, and reads running
// concurrently with writes.
#include "store/sqlite/sqlite_store.h"

#include <atomic>
#include <future>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

using domain::CaseState;
using domain::Visibility;
using testutil::AddCustomer;
using testutil::OpenTestCase;

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(dir_.File("redress.db"));
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  testutil::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

// Holds the writer thread inside a write until released, so that the writes submitted
// meanwhile all queue up for the next batch.
class WriterGate {
 public:
  void Hold(Store& store) {
    store.SubmitWrite(
        [this](WriteTx&) -> Result<void> {
          entered_.set_value();
          release_future_.wait();
          return {};
        },
        [this](Result<void> r) { held_done_.set_value(std::move(r)); });
    entered_.get_future().wait();
  }
  void Release() { release_.set_value(); }
  Result<void> HeldResult() { return held_done_.get_future().get(); }

 private:
  std::promise<void> entered_;
  std::promise<void> release_;
  std::shared_future<void> release_future_ = release_.get_future().share();
  std::promise<Result<void>> held_done_;
};

TEST_F(WriterTest, FailingWriteInABatchDoesNotAffectTheOthers) {
  const int64_t asha = AddCustomer(*store_, "Asha", "asha@example.com");
  auto before = store_->Stats();
  ASSERT_TRUE(before);

  WriterGate gate;
  gate.Hold(*store_);
  std::promise<Result<void>> first_done, failing_done, last_done, throwing_done;
  domain::Customer first = testutil::MakeCustomer("First", "first@example.com");
  domain::Customer last = testutil::MakeCustomer("Last", "last@example.com");
  store_->SubmitWrite([&](WriteTx& tx) { return tx.InsertCustomer(first); },
                      [&](Result<void> r) { first_done.set_value(r); });
  store_->SubmitWrite(
      [&](WriteTx& tx) -> Result<void> {
        // Writes something, then fails: the savepoint must undo the insert.
        domain::Customer doomed = testutil::MakeCustomer("Doomed", "doomed@example.com");
        if (auto inserted = tx.InsertCustomer(doomed); !inserted) return inserted;
        auto opened = OpenTestCase(tx, asha);
        if (!opened) return Fail(opened.error());
        return Fail(ErrorCode::kConflict, "changed my mind");
      },
      [&](Result<void> r) { failing_done.set_value(r); });
  store_->SubmitWrite(
      [&](WriteTx&) -> Result<void> { throw std::runtime_error("bug in a write"); },
      [&](Result<void> r) { throwing_done.set_value(r); });
  store_->SubmitWrite([&](WriteTx& tx) { return tx.InsertCustomer(last); },
                      [&](Result<void> r) { last_done.set_value(r); });
  gate.Release();

  EXPECT_TRUE(gate.HeldResult());
  auto first_result = first_done.get_future().get();
  EXPECT_TRUE(first_result) << first_result.error().message;
  auto failing_result = failing_done.get_future().get();
  ASSERT_FALSE(failing_result);
  EXPECT_EQ(failing_result.error().code, ErrorCode::kConflict);
  EXPECT_EQ(failing_result.error().message, "changed my mind");
  auto throwing_result = throwing_done.get_future().get();
  ASSERT_FALSE(throwing_result);
  EXPECT_EQ(throwing_result.error().code, ErrorCode::kInternal);
  EXPECT_NE(throwing_result.error().message.find("bug in a write"), std::string::npos);
  auto last_result = last_done.get_future().get();
  EXPECT_TRUE(last_result) << last_result.error().message;

  // The other four queued while the held write ran, so they joined its transaction before
  // the commit: one commit, three writes (the failing and the throwing one undone alone).
  auto after = store_->Stats();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->commits - before->commits, 1);
  EXPECT_EQ(after->committed_writes - before->committed_writes, 3);
  EXPECT_EQ(after->customers, 3);
  EXPECT_EQ(after->cases, 0);

  EXPECT_TRUE(store_->GetCustomer(first.id));
  EXPECT_TRUE(store_->GetCustomer(last.id));
  auto doomed = store_->FindCustomerByIdentity(domain::IdentityKind::kEmail, "doomed@example.com");
  ASSERT_TRUE(doomed);
  EXPECT_FALSE(*doomed);
  // The rolled-back case id may be handed out again: nothing was ever written under it.
  auto next = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto opened = OpenTestCase(tx, asha);
    if (!opened) return Fail(opened.error());
    EXPECT_EQ(opened->id, 1);
    return {};
  });
  EXPECT_TRUE(next) << next.error().message;
}

TEST_F(WriterTest, SearchTextsOfUndoneWritesAreNeverIndexed) {
  // Search texts are indexed at the end of the batch's transaction: what a failed write
  // or a failed isolated step appended must be dropped with it, the rest indexed.
  const int64_t asha = AddCustomer(*store_, "Asha", "asha@example.com");
  auto open = [&](WriteTx& tx, const std::string& subject) {
    return OpenTestCase(tx, asha, [&](CaseState& c) { c.subject = subject; });
  };
  WriterGate gate;
  gate.Hold(*store_);
  std::promise<Result<void>> kept_done, failed_done, isolated_done;
  store_->SubmitWrite(
      [&](WriteTx& tx) -> Result<void> {
        auto opened = open(tx, "Broken kettle");
        if (!opened) return Fail(opened.error());
        return {};
      },
      [&](Result<void> r) { kept_done.set_value(r); });
  store_->SubmitWrite(
      [&](WriteTx& tx) -> Result<void> {
        auto opened = open(tx, "Cracked mirror");
        if (!opened) return Fail(opened.error());
        return Fail(ErrorCode::kConflict, "changed my mind");
      },
      [&](Result<void> r) { failed_done.set_value(r); });
  store_->SubmitWrite(
      [&](WriteTx& tx) -> Result<void> {
        auto step = tx.Isolated([&]() -> Result<void> {
          auto opened = open(tx, "Torn sofa");
          if (!opened) return Fail(opened.error());
          return Fail(ErrorCode::kConflict, "undo this step");
        });
        if (!step) return Fail(step.error());
        EXPECT_TRUE(step->has_value());
        auto opened = open(tx, "Lost parcel");
        if (!opened) return Fail(opened.error());
        return {};
      },
      [&](Result<void> r) { isolated_done.set_value(r); });
  gate.Release();
  EXPECT_TRUE(gate.HeldResult());
  EXPECT_TRUE(kept_done.get_future().get());
  EXPECT_FALSE(failed_done.get_future().get());
  EXPECT_TRUE(isolated_done.get_future().get());

  auto found = [&](const std::string& words) {
    auto cases = store_->SearchCases(words, 10);
    EXPECT_TRUE(cases) << cases.error().message;
    std::vector<std::string> subjects;
    if (cases) {
      for (const CaseState& c : *cases) subjects.push_back(c.subject);
    }
    return subjects;
  };
  EXPECT_EQ(found("kettle"), std::vector<std::string>{"Broken kettle"});
  EXPECT_EQ(found("parcel"), std::vector<std::string>{"Lost parcel"});
  EXPECT_TRUE(found("mirror").empty());
  EXPECT_TRUE(found("sofa").empty());
}

TEST_F(WriterTest, ConcurrentWritersShareCommits) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  auto before = store_->Stats();
  ASSERT_TRUE(before);

  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
          auto opened = OpenTestCase(tx, customer, [&](CaseState& c) {
            c.subject = "thread " + std::to_string(t) + " write " + std::to_string(i);
          });
          if (!opened) return Fail(opened.error());
          return {};
        });
        if (!written) {
          ADD_FAILURE() << written.error().message;
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);

  auto after = store_->Stats();
  ASSERT_TRUE(after);
  const int64_t writes = after->committed_writes - before->committed_writes;
  const int64_t commits = after->commits - before->commits;
  EXPECT_EQ(writes, kThreads * kWritesPerThread);
  EXPECT_LT(commits, writes) << "no group commit happened";
  EXPECT_GT(commits, 0);
  EXPECT_EQ(after->cases, kThreads * kWritesPerThread);
  EXPECT_EQ(after->events, kThreads * kWritesPerThread);
  std::printf("[ group commit ] %lld writes in %lld commits\n", static_cast<long long>(writes),
              static_cast<long long>(commits));

  // Every write is there exactly once.
  std::set<std::string> subjects;
  CaseQuery query;
  query.limit = 200;
  for (;;) {
    auto page = store_->ListCases(query);
    ASSERT_TRUE(page) << page.error().message;
    for (const CaseState& c : page->cases) {
      EXPECT_TRUE(subjects.insert(c.subject).second) << "duplicate " << c.subject;
      auto events = store_->LoadEvents(c.id);
      ASSERT_TRUE(events);
      ASSERT_EQ(events->size(), 1u);
      EXPECT_EQ(events->front().hash, c.head_hash);
    }
    if (!page->next_before_id) break;
    query.before_id = page->next_before_id;
  }
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      EXPECT_TRUE(subjects.count("thread " + std::to_string(t) + " write " + std::to_string(i)))
          << t << "/" << i;
    }
  }
}

TEST_F(WriterTest, ReadsRunConcurrentlyWithWrites) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  constexpr int kCases = 4;
  std::vector<CaseState> cases;
  auto opened = store_->Write([&](WriteTx& tx) -> Result<void> {
    for (int i = 0; i < kCases; ++i) {
      auto c = OpenTestCase(tx, customer);
      if (!c) return Fail(c.error());
      cases.push_back(*c);
    }
    return {};
  });
  ASSERT_TRUE(opened) << opened.error().message;

  std::atomic<bool> writing{true};
  std::atomic<int> read_errors{0};
  std::atomic<int64_t> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 6; ++r) {
    readers.emplace_back([&, r] {
      while (writing.load()) {
        const int64_t id = cases[static_cast<size_t>(r % kCases)].id;
        auto events = store_->LoadEvents(id);
        auto state = store_->GetCase(id);
        auto page = store_->ListCases(CaseQuery{});
        auto visible = store_->ListEvents(EventQuery{id, 0, 500, false});
        if (!events || !state || !page || !visible) {
          ++read_errors;
          continue;
        }
        // Each read is a consistent snapshot: seqs 1..n without gaps, and the projection
        // (read later) is never behind the log read before it.
        for (size_t i = 0; i < events->size(); ++i) {
          if ((*events)[i].seq != static_cast<int64_t>(i) + 1) ++read_errors;
        }
        if (state->last_seq < static_cast<int64_t>(events->size())) ++read_errors;
        if (page->cases.size() != kCases) ++read_errors;
        ++reads;
      }
    });
  }

  constexpr int kAppendsPerCase = 40;
  std::vector<std::thread> writers;
  for (int w = 0; w < kCases; ++w) {
    writers.emplace_back([&, w] {
      CaseState state = cases[static_cast<size_t>(w)];
      for (int i = 0; i < kAppendsPerCase; ++i) {
        auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
          auto appended = testutil::AppendTestEvents(
              tx, state, {i % 2 ? Visibility::kInternal : Visibility::kPublic});
          if (!appended) return Fail(appended.error());
          state = *appended;
          return {};
        });
        if (!written) ADD_FAILURE() << written.error().message;
      }
    });
  }
  for (std::thread& w : writers) w.join();
  writing = false;
  for (std::thread& r : readers) r.join();

  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_LE(store_->read_connections_open(), SqliteOptions{}.read_connections);
  for (const CaseState& c : cases) {
    auto events = store_->LoadEvents(c.id);
    ASSERT_TRUE(events);
    EXPECT_EQ(events->size(), 1u + kAppendsPerCase);
  }
}

TEST_F(WriterTest, DestructorFinishesQueuedWrites) {
  const int64_t customer = AddCustomer(*store_, "Asha", "asha@example.com");
  std::atomic<int> done{0};
  WriterGate gate;
  gate.Hold(*store_);
  for (int i = 0; i < 20; ++i) {
    store_->SubmitWrite(
        [&](WriteTx& tx) -> Result<void> {
          auto c = OpenTestCase(tx, customer);
          if (!c) return Fail(c.error());
          return {};
        },
        [&](Result<void> r) {
          EXPECT_TRUE(r);
          ++done;
        });
  }
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    gate.Release();
  });
  const std::string path = dir_.File("redress.db");
  store_.reset();  // blocks until the queue is drained
  releaser.join();
  EXPECT_EQ(done.load(), 20);

  auto reopened = SqliteStore::Open(path);
  ASSERT_TRUE(reopened);
  auto stats = (*reopened)->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->cases, 20);
}

TEST_F(WriterTest, WriteReturnsTheWritesOwnError) {
  auto written = store_->Write([](WriteTx&) -> Result<void> {
    return Fail(ErrorCode::kPermissionDenied, "not yours", "case");
  });
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(written.error().message, "not yours");
  EXPECT_EQ(written.error().field, "case");
}

}  // namespace
}  // namespace redress::store::sqlite
