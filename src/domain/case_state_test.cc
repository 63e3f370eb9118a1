#include "domain/case_state.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp{} + 1'800'000'000s;

// Events as a store would hand them back: numbered from 1 with fake but distinct hashes.
class Log {
 public:
  explicit Log(int64_t case_id) : case_id_(case_id) {}

  Log& Add(EventType type, boost::json::object data, Timestamp at,
           Channel channel = Channel::kWeb) {
    Event e;
    e.case_id = case_id_;
    e.seq = static_cast<int64_t>(events_.size()) + 1;
    e.type = type;
    e.at = at;
    e.actor = Actor{ActorKind::kStaff, 7, "Priya"};
    e.channel = channel;
    e.visibility = type == EventType::kInternalNote ? Visibility::kInternal : Visibility::kPublic;
    e.data = std::move(data);
    e.prev_hash = events_.empty() ? std::string(64, '0') : events_.back().hash;
    e.hash = "hash-" + std::to_string(e.seq);
    events_.push_back(std::move(e));
    return *this;
  }

  Log& Opened(Timestamp at = kT0) {
    return Add(EventType::kCaseOpened,
               {{"customer_id", 3},
                {"subject", "Return rejected"},
                {"body", "My return was rejected for technical reasons."},
                {"priority", "high"},
                {"category", "returns"}},
               at, Channel::kEmail);
  }

  std::vector<Event>& events() { return events_; }

 private:
  int64_t case_id_;
  std::vector<Event> events_;
};

CaseState MustFold(const std::vector<Event>& events) {
  auto s = Fold(events);
  EXPECT_TRUE(s.has_value()) << s.error().message;
  return s.value_or(CaseState{});
}

void ExpectCorruption(const Result<CaseState>& r, std::string_view needle) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << r.error().message << " (wanted \"" << needle << "\")";
}

TEST(CaseStatus, StableNamesRoundTrip) {
  const std::pair<CaseStatus, const char*> expected[] = {
      {CaseStatus::kNew, "new"},         {CaseStatus::kOpen, "open"},
      {CaseStatus::kPending, "pending"}, {CaseStatus::kOnHold, "on_hold"},
      {CaseStatus::kSolved, "solved"},   {CaseStatus::kClosed, "closed"},
  };
  for (const auto& [status, name] : expected) {
    EXPECT_STREQ(CaseStatusName(status), name);
    EXPECT_EQ(ParseCaseStatus(name), status);
  }
  EXPECT_EQ(ParseCaseStatus("on-hold"), std::nullopt);
  EXPECT_EQ(ParseCaseStatus("Open"), std::nullopt);
}

TEST(Priority, StableNamesRoundTrip) {
  const std::pair<Priority, const char*> expected[] = {
      {Priority::kLow, "low"},
      {Priority::kNormal, "normal"},
      {Priority::kHigh, "high"},
      {Priority::kUrgent, "urgent"},
  };
  for (const auto& [priority, name] : expected) {
    EXPECT_STREQ(PriorityName(priority), name);
    EXPECT_EQ(ParsePriority(name), priority);
  }
  EXPECT_EQ(ParsePriority("critical"), std::nullopt);
}

TEST(Apply, CaseOpenedInitialisesEveryField) {
  Log log(12);
  log.Opened();
  const CaseState s = MustFold(log.events());
  EXPECT_EQ(s.id, 12);
  EXPECT_EQ(s.customer_id, 3);
  EXPECT_EQ(s.subject, "Return rejected");
  EXPECT_EQ(s.status, CaseStatus::kNew);
  EXPECT_EQ(s.priority, Priority::kHigh);
  EXPECT_EQ(s.category, "returns");
  EXPECT_EQ(s.level, 1);
  EXPECT_EQ(s.owner_id, std::nullopt);
  EXPECT_EQ(s.owner_name, "");
  EXPECT_EQ(s.channel, Channel::kEmail);
  EXPECT_EQ(s.opened_at, kT0);
  EXPECT_EQ(s.updated_at, kT0);
  EXPECT_EQ(s.first_response_at, std::nullopt);
  EXPECT_EQ(s.last_customer_message_at, kT0);
  EXPECT_EQ(s.customer_messages, 1);
  EXPECT_EQ(s.staff_replies, 0);
  EXPECT_EQ(s.internal_notes, 0);
  EXPECT_EQ(s.transfers, 0);
  EXPECT_EQ(s.last_seq, 1);
  EXPECT_EQ(s.head_hash, "hash-1");
}

TEST(Apply, MessagesRepliesAndNotesCount) {
  Log log(12);
  log.Opened()
      .Add(EventType::kReplySent, {{"body", "Looking into it"}}, kT0 + 10min)
      .Add(EventType::kMessageReceived, {{"body", "Any news?"}}, kT0 + 1h)
      .Add(EventType::kReplySent, {{"body", "Refund approved"}}, kT0 + 2h)
      .Add(EventType::kInternalNote, {{"body", "warehouse confirmed"}}, kT0 + 3h);
  const CaseState s = MustFold(log.events());
  EXPECT_EQ(s.customer_messages, 2);
  EXPECT_EQ(s.last_customer_message_at, kT0 + 1h);
  EXPECT_EQ(s.staff_replies, 2);
  EXPECT_EQ(s.first_response_at, kT0 + 10min);  // the first reply, not the latest
  EXPECT_EQ(s.internal_notes, 1);
  EXPECT_EQ(s.updated_at, kT0 + 2h);  // the note is internal: customers must not see it moved
  EXPECT_EQ(s.last_seq, 5);
  EXPECT_EQ(s.head_hash, "hash-5");
}

boost::json::object Assigned(int64_t owner, const char* name, std::optional<int64_t> previous) {
  boost::json::object data{
      {"owner_id", owner}, {"owner_name", name}, {"reason", ""}, {"handoff_note", ""}};
  data["previous_owner_id"] = previous ? boost::json::value(*previous) : nullptr;
  return data;
}

TEST(Apply, FirstAssignmentIsNotATransferButLaterOnesAre) {
  Log log(12);
  log.Opened()
      .Add(EventType::kAssigned, Assigned(7, "Priya", std::nullopt), kT0 + 1min)
      .Add(EventType::kAssigned, Assigned(9, "Kabir", 7), kT0 + 2min)
      .Add(EventType::kAssigned, Assigned(7, "Priya", 9), kT0 + 3min);
  const CaseState s = MustFold(log.events());
  EXPECT_EQ(s.owner_id, 7);
  EXPECT_EQ(s.owner_name, "Priya");
  EXPECT_EQ(s.transfers, 2);
}

TEST(Apply, StatusPriorityAndCategoryChanges) {
  Log log(12);
  log.Opened()
      .Add(EventType::kStatusChanged, {{"from", "new"}, {"to", "on_hold"}, {"reason", "courier"}},
           kT0 + 1min)
      .Add(EventType::kPriorityChanged, {{"from", "high"}, {"to", "urgent"}}, kT0 + 2min)
      .Add(EventType::kCategoryChanged, {{"from", "returns"}, {"to", "refunds"}}, kT0 + 3min);
  const CaseState s = MustFold(log.events());
  EXPECT_EQ(s.status, CaseStatus::kOnHold);
  EXPECT_EQ(s.priority, Priority::kUrgent);
  EXPECT_EQ(s.category, "refunds");
  EXPECT_EQ(s.updated_at, kT0 + 3min);
}

TEST(Apply, ErrorNamesCaseSeqAndProblem) {
  Log log(12);
  log.Opened().Add(EventType::kMessageReceived, {{"text", "wrong key"}}, kT0);
  auto r = Fold(log.events());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(r.error().message, "case 12 event seq 2 (message_received): data.body is missing");
}

TEST(Apply, RejectsWrongSeq) {
  Log log(12);
  log.Opened();
  auto state = Fold(log.events());
  ASSERT_TRUE(state.has_value());
  Event next = log.events()[0];
  next.type = EventType::kMessageReceived;
  next.data = {{"body", "hi"}};
  next.seq = 3;
  ExpectCorruption(Apply(*state, next), "expected seq 2");
  next.seq = 1;
  ExpectCorruption(Apply(*state, next), "expected seq 2");
  next.seq = 2;
  EXPECT_TRUE(Apply(*state, next).has_value());
}

TEST(Apply, RejectsEventOfAnotherCase) {
  Log log(12);
  log.Opened().Add(EventType::kMessageReceived, {{"body", "hi"}}, kT0);
  log.events()[1].case_id = 13;
  ExpectCorruption(Fold(log.events()),
                   "case 12 event seq 2 (message_received): the event belongs "
                   "to case 13");
}

TEST(Apply, FirstEventMustBeCaseOpenedAndOnlyTheFirst) {
  Log notes(12);
  notes.Add(EventType::kInternalNote, {{"body", "x"}}, kT0);
  ExpectCorruption(Fold(notes.events()), "the first event must be case_opened");

  Log twice(12);
  twice.Opened().Opened();
  ExpectCorruption(Fold(twice.events()), "case_opened after the first event");

  Log zero(0);
  zero.Opened();
  ExpectCorruption(Fold(zero.events()), "case id must be positive");
}

TEST(Apply, RejectsMissingOrWrongTypedPayload) {
  struct Bad {
    EventType type;
    boost::json::object data;
    const char* problem;
  };
  const Bad cases[] = {
      {EventType::kReplySent, {{"body", 5}}, "data.body must be a string, not int64"},
      {EventType::kInternalNote, {}, "data.body is missing"},
      {EventType::kStatusChanged,
       {{"from", "new"}, {"to", "gone"}, {"reason", ""}},
       "data.to \"gone\" is not a status"},
      {EventType::kStatusChanged, {{"from", "new"}, {"to", "open"}}, "data.reason is missing"},
      {EventType::kStatusChanged,
       {{"from", "open"}, {"to", "solved"}, {"reason", ""}},
       "data.from is \"open\" but the status was \"new\""},
      {EventType::kPriorityChanged, {{"from", "high"}, {"to", 3}}, "data.to must be a string"},
      {EventType::kPriorityChanged,
       {{"from", "low"}, {"to", "high"}},
       "data.from is \"low\" but the priority was \"high\""},
      {EventType::kCategoryChanged,
       {{"from", "billing"}, {"to", "x"}},
       "data.from is \"billing\" but the category was \"returns\""},
      {EventType::kCategoryChanged, {{"to", "x"}}, "data.from is missing"},
      {EventType::kAssigned, {{"owner_id", "7"}}, "data.owner_id must be an integer"},
      {EventType::kAssigned, Assigned(7, "Priya", 4),
       "data.previous_owner_id is 4 but the case was owned by null"},
  };
  for (const Bad& bad : cases) {
    Log log(12);
    log.Opened().Add(bad.type, bad.data, kT0);
    ExpectCorruption(Fold(log.events()), bad.problem);
  }
}

TEST(Apply, AssignedNeedsExplicitPreviousOwner) {
  boost::json::object data = Assigned(7, "Priya", std::nullopt);
  data.erase("previous_owner_id");
  Log log(12);
  log.Opened().Add(EventType::kAssigned, data, kT0);
  ExpectCorruption(Fold(log.events()), "data.previous_owner_id is missing");
}

TEST(Apply, RejectsBadCaseOpenedPayload) {
  const boost::json::object good{
      {"customer_id", 3}, {"subject", "s"}, {"body", "b"}, {"priority", "high"}, {"category", ""}};
  const std::pair<const char*, const char*> removals[] = {
      {"customer_id", "data.customer_id is missing"},
      {"subject", "data.subject is missing"},
      {"body", "data.body is missing"},
      {"priority", "data.priority is missing"},
      {"category", "data.category is missing"},
  };
  for (const auto& [key, problem] : removals) {
    boost::json::object data = good;
    data.erase(key);
    Log log(12);
    log.Add(EventType::kCaseOpened, data, kT0);
    ExpectCorruption(Fold(log.events()), problem);
  }
  boost::json::object data = good;
  data["priority"] = "meh";
  Log bad_priority(12);
  bad_priority.Add(EventType::kCaseOpened, data, kT0);
  ExpectCorruption(Fold(bad_priority.events()), "data.priority \"meh\" is not a priority");

  data = good;
  data["customer_id"] = 0;
  Log bad_customer(12);
  bad_customer.Add(EventType::kCaseOpened, data, kT0);
  ExpectCorruption(Fold(bad_customer.events()), "data.customer_id must be positive");
}

TEST(Fold, OutOfOrderEventsFail) {
  Log log(12);
  log.Opened()
      .Add(EventType::kMessageReceived, {{"body", "one"}}, kT0 + 1min)
      .Add(EventType::kMessageReceived, {{"body", "two"}}, kT0 + 2min);
  std::swap(log.events()[1], log.events()[2]);
  ExpectCorruption(Fold(log.events()), "case 12 event seq 3 (message_received): expected seq 2");
}

TEST(Fold, MissingFirstEventFails) {
  Log log(12);
  log.Opened().Add(EventType::kMessageReceived, {{"body", "one"}}, kT0);
  std::vector<Event> tail(log.events().begin() + 1, log.events().end());
  ExpectCorruption(Fold(tail), "expected seq 1");
}

TEST(Fold, EmptyListFails) { ExpectCorruption(Fold({}), "got none"); }

TEST(Fold, EqualsStepwiseApply) {
  Log log(12);
  log.Opened()
      .Add(EventType::kReplySent, {{"body", "hello"}}, kT0 + 1min)
      .Add(EventType::kAssigned, Assigned(7, "Priya", std::nullopt), kT0 + 2min);
  CaseState stepwise;
  for (const Event& e : log.events()) {
    auto next = Apply(stepwise, e);
    ASSERT_TRUE(next.has_value());
    stepwise = *next;
  }
  EXPECT_EQ(MustFold(log.events()), stepwise);
}

}  // namespace
}  // namespace redress::domain
