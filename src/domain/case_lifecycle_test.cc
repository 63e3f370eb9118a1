// Commands and the fold are two halves of one contract: the payloads the commands write
// must be exactly what Apply reads. This test drives a case through its life with the
// real commands, seals the drafts by hand as the event log would, and folds them.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "domain/case_commands.h"
#include "domain/case_state.h"

namespace redress::domain {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp{} + 1'800'000'000s;
const Principal kAsha{Role::kCustomer, 3, "Asha Rao", 0};
const Principal kPriya{Role::kAgent, 7, "Priya (L1)", 1};
const Principal kKabir{Role::kAgent, 9, "Kabir (L2)", 2};
const Principal kMeera{Role::kSupervisor, 8, "Meera", 2};

class CaseLog {
 public:
  explicit CaseLog(int64_t case_id) : case_id_(case_id) {}

  // Seals drafts onto the log and folds them into the running state, as the app does.
  void Append(const Result<std::vector<EventDraft>>& drafts) {
    ASSERT_TRUE(drafts.has_value()) << drafts.error().message;
    for (const EventDraft& d : *drafts) {
      Event e;
      e.case_id = case_id_;
      e.seq = static_cast<int64_t>(events_.size()) + 1;
      e.type = d.type;
      e.at = d.at;
      e.actor = d.actor;
      e.channel = d.channel;
      e.visibility = d.visibility;
      e.data = d.data;
      e.prev_hash = events_.empty() ? std::string(64, '0') : events_.back().hash;
      e.hash = std::string(63, 'a') + static_cast<char>('0' + e.seq % 10);
      events_.push_back(std::move(e));
      auto next = Apply(state_, events_.back());
      ASSERT_TRUE(next.has_value()) << next.error().message;
      state_ = std::move(*next);
    }
  }

  const CaseState& state() const { return state_; }
  const std::vector<Event>& events() const { return events_; }

 private:
  int64_t case_id_;
  std::vector<Event> events_;
  CaseState state_;
};

std::vector<EventDraft> One(Result<EventDraft> draft) {
  EXPECT_TRUE(draft.has_value()) << draft.error().message;
  return draft ? std::vector<EventDraft>{*draft} : std::vector<EventDraft>{};
}

TEST(CaseLifecycle, FoldOfCommandDraftsSetsEveryField) {
  CaseLog log(1042);
  OpenCaseInput open;
  open.customer_id = 3;
  open.subject = " Return rejected \"for technical reasons\" ";
  open.body = "The store refused my return and the website says to go to the store.";
  open.channel = Channel::kWeb;
  open.priority = Priority::kNormal;
  open.category = "returns";
  log.Append(One(OpenCase(kAsha, open, kT0)));

  log.Append(AddNote(log.state(), kPriya, "Store 114 says the system blocked it", kT0 + 5min));
  log.Append(Assign(log.state(), kPriya, {7, "Priya (L1)", "", ""}, kT0 + 6min));
  // First public reply: also moves new -> open.
  log.Append(AddMessage(log.state(), kPriya, "I'm on it.", Channel::kEmail, kT0 + 10min));
  log.Append(
      ChangeStatus(log.state(), kPriya, CaseStatus::kPending, "asked for receipt", kT0 + 11min));
  // Customer answers on another channel: reopens the pending case.
  log.Append(AddMessage(log.state(), kAsha, "Receipt attached", Channel::kChat, kT0 + 2h));
  log.Append(ChangePriority(log.state(), kMeera, Priority::kHigh, kT0 + 3h));
  log.Append(
      Assign(log.state(), kMeera,
             {9, "Kabir (L2)", "refund above L1 authority", "Receipt checked; store agrees."},
             kT0 + 3h + 1min));
  log.Append(ChangeCategory(log.state(), kKabir, "refunds", kT0 + 4h));
  log.Append(AddMessage(log.state(), kKabir, "Refund issued.", Channel::kEmail, kT0 + 5h));
  log.Append(ChangeStatus(log.state(), kKabir, CaseStatus::kSolved, "refunded", kT0 + 5h + 1s));

  ASSERT_EQ(log.events().size(), 13u);
  const CaseState& s = log.state();
  EXPECT_EQ(s.id, 1042);
  EXPECT_EQ(s.customer_id, 3);
  EXPECT_EQ(s.subject, "Return rejected \"for technical reasons\"");
  EXPECT_EQ(s.status, CaseStatus::kSolved);
  EXPECT_EQ(s.priority, Priority::kHigh);
  EXPECT_EQ(s.category, "refunds");
  EXPECT_EQ(s.level, 1);
  EXPECT_EQ(s.owner_id, 9);
  EXPECT_EQ(s.owner_name, "Kabir (L2)");
  EXPECT_EQ(s.channel, Channel::kWeb);
  EXPECT_EQ(s.opened_at, kT0);
  EXPECT_EQ(s.updated_at, kT0 + 5h + 1s);
  EXPECT_EQ(s.first_response_at, kT0 + 10min);
  EXPECT_EQ(s.last_customer_message_at, kT0 + 2h);
  EXPECT_EQ(s.customer_messages, 2);
  EXPECT_EQ(s.staff_replies, 2);
  EXPECT_EQ(s.internal_notes, 1);
  EXPECT_EQ(s.transfers, 1);
  EXPECT_EQ(s.last_seq, 13);
  EXPECT_EQ(s.head_hash, log.events().back().hash);

  // The event sequence itself: the automatic status changes sit right after their messages.
  const EventType expected_types[] = {
      EventType::kCaseOpened,      EventType::kInternalNote,    EventType::kAssigned,
      EventType::kReplySent,       EventType::kStatusChanged,   EventType::kStatusChanged,
      EventType::kMessageReceived, EventType::kStatusChanged,   EventType::kPriorityChanged,
      EventType::kAssigned,        EventType::kCategoryChanged, EventType::kReplySent,
      EventType::kStatusChanged,
  };
  for (size_t i = 0; i < log.events().size(); ++i) {
    EXPECT_EQ(log.events()[i].type, expected_types[i]) << "seq " << i + 1;
  }
  EXPECT_EQ(log.events()[4].data.at("reason"), "first reply");
  EXPECT_EQ(log.events()[7].data.at("reason"), "customer replied");
  EXPECT_EQ(log.events()[7].actor.kind, ActorKind::kCustomer);

  // Refolding the stored list from scratch gives the same state as folding step by step.
  auto refolded = Fold(log.events());
  ASSERT_TRUE(refolded.has_value()) << refolded.error().message;
  EXPECT_EQ(*refolded, s);

  // Once solved a customer message reopens; once closed nothing more is accepted.
  log.Append(ChangeStatus(log.state(), kKabir, CaseStatus::kClosed, "", kT0 + 48h));
  EXPECT_EQ(log.state().status, CaseStatus::kClosed);
  auto refused = AddMessage(log.state(), kAsha, "one more thing", Channel::kWeb, kT0 + 49h);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().message, "case 1042 is closed");
}

TEST(CaseLifecycle, FoldRejectsReorderedCommandEvents) {
  CaseLog log(7);
  OpenCaseInput open;
  open.customer_id = 3;
  open.subject = "Courier missed me";
  open.body = "I was at work.";
  log.Append(One(OpenCase(kAsha, open, kT0)));
  log.Append(AddMessage(log.state(), kPriya, "Rescheduling", Channel::kWeb, kT0 + 1min));
  ASSERT_EQ(log.events().size(), 3u);

  std::vector<Event> swapped = log.events();
  std::swap(swapped[1], swapped[2]);
  auto r = Fold(swapped);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(r.error().message.rfind("case 7 event seq 3 (status_changed): expected seq 2", 0), 0u)
      << r.error().message;

  // A replayed event with a plausible seq is caught by its stale "from".
  std::vector<Event> stale = log.events();
  stale.push_back(stale[2]);
  stale.back().seq = 4;
  auto twice = Fold(stale);
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.error().message.find("data.from is \"new\" but the status was \"open\""),
            std::string::npos)
      << twice.error().message;
}

}  // namespace
}  // namespace redress::domain
