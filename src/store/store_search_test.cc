// Contract tests for full-text search, run on every backend: the same searches find the
// same cases on SQLite (FTS5) and PostgreSQL (tsvector), the index follows appends in the
// same transaction, and internal notes are never found.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/search_text.h"
#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::CaseState;
using domain::Event;
using domain::EventType;
using domain::Visibility;

class StoreSearchTest : public testutil::StoreWithCustomerTest {
 protected:
  // Opens a case with `subject` whose first event carries `body`.
  CaseState OpenCase(const std::string& subject, const std::string& body) {
    CaseState state;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto opened =
          testutil::OpenTestCase(tx, customer_, [&](CaseState& s) { s.subject = subject; });
      if (!opened) return Fail(opened.error());
      state = *opened;
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    // OpenTestCase's event has its own body; add one with ours.
    return Append(state, body, Visibility::kPublic);
  }

  CaseState Append(const CaseState& before, const std::string& body, Visibility visibility) {
    CaseState after = before;
    auto written = store_->Write([&](WriteTx& tx) -> Result<void> {
      auto head = tx.LoadCaseForUpdate(before.id);
      if (!head) return Fail(head.error());
      Event event =
          testutil::NextEvent(before.id, head->last_seq, head->head_hash,
                              visibility == Visibility::kPublic ? EventType::kMessageReceived
                                                                : EventType::kInternalNote,
                              visibility);
      event.data = boost::json::object{{"body", body}};
      after = *head;
      after.last_seq = event.seq;
      after.head_hash = event.hash;
      return tx.AppendEvents(*head, {event}, after);
    });
    EXPECT_TRUE(written) << written.error().message;
    return after;
  }

  std::vector<int64_t> Search(const std::string& text, int limit = 50) {
    auto found = store_->SearchCases(text, limit);
    EXPECT_TRUE(found) << found.error().message;
    std::vector<int64_t> ids;
    if (found) {
      for (const CaseState& c : *found) ids.push_back(c.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
};

TEST_P(StoreSearchTest, FindsSubjectsAndMessagesWithEveryWordIgnoringCase) {
  CaseState printer = OpenCase("Printer on fire", "the toner smells of smoke");
  CaseState refund = OpenCase("Refund for order 4711", "I returned the parcel in March");
  CaseState parcel = OpenCase("Parcel never came", "tracking says delivered to Müller");

  EXPECT_EQ(Search("printer"), std::vector<int64_t>{printer.id});
  EXPECT_EQ(Search("FIRE Printer"), std::vector<int64_t>{printer.id});
  EXPECT_EQ(Search("parcel"), (std::vector<int64_t>{refund.id, parcel.id}));
  EXPECT_EQ(Search("parcel march"), std::vector<int64_t>{refund.id});
  EXPECT_EQ(Search("4711"), std::vector<int64_t>{refund.id});
  EXPECT_EQ(Search("müller"), std::vector<int64_t>{parcel.id});
  EXPECT_EQ(Search("toner, smoke!"), std::vector<int64_t>{printer.id});
  EXPECT_TRUE(Search("dragon").empty());
  // Words must meet in one text: the subject's "printer" and a message's "smoke" do not.
  EXPECT_TRUE(Search("printer smoke").empty());

  auto full = store_->SearchCases("printer", 10);
  ASSERT_TRUE(full && full->size() == 1);
  EXPECT_EQ(full->front(), printer) << "results are whole projection rows";
}

TEST_P(StoreSearchTest, NewMessagesAreFoundAndInternalNotesNever) {
  CaseState c = OpenCase("Invoice", "please send the invoice");
  EXPECT_TRUE(Search("warranty").empty());
  c = Append(c, "it is for the warranty claim", Visibility::kPublic);
  EXPECT_EQ(Search("warranty"), std::vector<int64_t>{c.id});
  Append(c, "customer is a known fraudster", Visibility::kInternal);
  EXPECT_TRUE(Search("fraudster").empty()) << "internal notes must never be searchable";
}

TEST_P(StoreSearchTest, LimitAndEmptySearches) {
  for (int i = 0; i < 5; ++i) OpenCase("Late delivery " + std::to_string(i), "where is it");
  auto limited = store_->SearchCases("delivery", 3);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->size(), 3u);
  auto empty = store_->SearchCases("  ,;!  ", 10);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(store_->SearchCases("delivery", 0));
}

TEST_P(StoreSearchTest, ARolledBackAppendLeavesNoTrace) {
  CaseState c = OpenCase("Broken lamp", "it flickers");
  auto failed = store_->Write([&](WriteTx& tx) -> Result<void> {
    Event event = testutil::NextEvent(c.id, c.last_seq, c.head_hash);
    event.data = boost::json::object{{"body", "phantom words"}};
    CaseState after = c;
    after.last_seq = event.seq;
    after.head_hash = event.hash;
    if (auto appended = tx.AppendEvents(c, {event}, after); !appended) return appended;
    return Fail(ErrorCode::kConflict, "give up after appending");
  });
  ASSERT_FALSE(failed);
  EXPECT_TRUE(Search("phantom").empty());
}

TEST(SearchWordsTest, SplitsOnEverythingButLettersAndDigits) {
  EXPECT_EQ(SearchWords("Hello, WORLD-42 über"),
            (std::vector<std::string>{"hello", "world", "42", "über"}));
  EXPECT_TRUE(SearchWords(" \"*\" OR () ").size() == 1);  // "OR" is a word, not an operator
  EXPECT_TRUE(SearchWords("").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreSearchTest, ::testing::ValuesIn(testutil::BackendNames()),
                         testutil::BackendName());

}  // namespace
}  // namespace redress::store
