// The fold of escalation, promise, decision, credit and SLA events, and the JSON column.
#include "domain/commitments.h"
#include "domain/command_rules.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "domain/case_commands.h"
#include "domain/case_state.h"
#include "domain/credit_commands.h"
#include "domain/decision_commands.h"
#include "domain/escalation_commands.h"
#include "domain/promise_commands.h"

namespace redress::domain {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = Timestamp{} + 1'800'000'000s;
const Principal kAsha{Role::kCustomer, 3, "Asha Rao", 0};
const Principal kRavi{Role::kCustomer, 4, "Ravi", 0};
const Principal kPriya{Role::kAgent, 7, "Priya (L1)", 1};
const Principal kMeera{Role::kSupervisor, 8, "Meera (L2)", 2};
const Principal kSystem = Principal::System();

// A case driven through the real commands and the real fold, as the case service does.
class Case {
 public:
  Case() {
    OpenCaseInput in;
    in.customer_id = 3;
    in.subject = "Cashback not credited";
    in.body = "The backpack was a fashion item at purchase.";
    in.category = "payments";
    auto draft = OpenCase(kAsha, in, kT0);
    EXPECT_TRUE(draft.has_value());
    Append({*draft});
  }

  void Append(const std::vector<EventDraft>& drafts) {
    for (const EventDraft& d : drafts) {
      Event e;
      e.case_id = 42;
      e.seq = state_.last_seq + 1;
      e.type = d.type;
      e.at = d.at;
      e.actor = d.actor;
      e.channel = d.channel;
      e.visibility = d.visibility;
      e.data = d.data;
      e.prev_hash = std::string(64, '0');
      e.hash = "h" + std::to_string(e.seq);
      auto next = Apply(state_, e);
      ASSERT_TRUE(next.has_value()) << next.error().message;
      state_ = *next;
      events_.push_back(e);
    }
  }

  template <class R>
  void Do(const R& result) {
    ASSERT_TRUE(result.has_value()) << result.error().message;
    Append(*result);
  }

  const CaseState& state() const { return state_; }
  const std::vector<Event>& events() const { return events_; }

 private:
  CaseState state_;
  std::vector<Event> events_;
};

template <class T>
void ExpectError(const Result<T>& r, ErrorCode code, std::string_view needle) {
  ASSERT_FALSE(r.has_value());
  EXPECT_STREQ(ErrorCodeName(r.error().code), ErrorCodeName(code)) << r.error().message;
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << r.error().message << " (wanted \"" << needle << "\")";
}

TEST(Commitments, OpeningStartsTheFirstLevelClocks) {
  Case c;
  const CaseCommitments& m = c.state().commitments;
  EXPECT_EQ(m.level_entered_at, kT0);
  EXPECT_EQ(m.contacts_at_level, 1);
  ASSERT_EQ(m.status_spans.size(), 1u);
  EXPECT_EQ(m.status_spans[0].status, CaseStatus::kNew);
  EXPECT_FALSE(m.responded_at.has_value());
}

TEST(Commitments, RepliesAndStatusChangesAreTracked) {
  Case c;
  c.Do(AddMessage(c.state(), kPriya, "Looking into it", Channel::kEmail, kT0 + 1h));
  c.Do(ChangeStatus(c.state(), kPriya, CaseStatus::kOnHold, "waiting for payments team", kT0 + 2h));
  c.Do(AddMessage(c.state(), kAsha, "Any news?", Channel::kWeb, kT0 + 3h));
  const CaseCommitments& m = c.state().commitments;
  EXPECT_EQ(m.responded_at, kT0 + 1h);
  EXPECT_EQ(m.last_update_at, kT0 + 1h);
  EXPECT_EQ(m.updates_at_level, 1);
  EXPECT_EQ(m.contacts_at_level, 2);
  ASSERT_EQ(m.status_spans.size(), 3u);  // new, open (first reply), on_hold
  EXPECT_EQ(m.status_spans[1].status, CaseStatus::kOpen);
  EXPECT_EQ(m.status_spans[2].status, CaseStatus::kOnHold);
  EXPECT_EQ(m.status_spans[2].since, kT0 + 2h);
}

TEST(Commitments, EscalationMovesLevelOwnerAndRestartsTheLevelClocks) {
  Case c;
  c.Do(Assign(c.state(), kPriya, {7, "Priya (L1)", "", ""}, kT0 + 1min));
  c.Do(AddMessage(c.state(), kPriya, "Checking", Channel::kEmail, kT0 + 1h));
  EscalateInput in;
  in.trigger = EscalationTrigger::kRepeatContact;
  in.to_level = 2;
  in.to_level_name = "L2 Escalations";
  in.owner_id = 8;
  in.owner_name = "Meera (L2)";
  in.reason = "third contact about the same cashback";
  c.Do(Escalate(c.state(), kSystem, in, kT0 + 5h));
  const CaseState& s = c.state();
  EXPECT_EQ(s.level, 2);
  EXPECT_EQ(s.owner_id, 8);
  EXPECT_EQ(s.owner_name, "Meera (L2)");
  EXPECT_EQ(s.transfers, 0);  // an escalation is counted as an escalation, not a transfer
  EXPECT_EQ(s.commitments.escalations, 1);
  EXPECT_EQ(s.commitments.level_entered_at, kT0 + 5h);
  EXPECT_FALSE(s.commitments.responded_at.has_value());
  EXPECT_EQ(s.commitments.contacts_at_level, 0);
  ASSERT_EQ(s.commitments.status_spans.size(), 1u);
  EXPECT_EQ(s.commitments.status_spans[0].status, CaseStatus::kOpen);
  ASSERT_TRUE(s.commitments.last_escalation);
  EXPECT_EQ(s.commitments.last_escalation->trigger, "repeat_contact");
  EXPECT_EQ(c.events().back().visibility, Visibility::kPublic);
  EXPECT_EQ(c.events().back().data.at("previous_owner_id").as_int64(), 7);
}

TEST(Commitments, EscalateRules) {
  Case c;
  EscalateInput in;
  in.trigger = EscalationTrigger::kCustomerRequest;
  in.to_level = 2;
  in.to_level_name = "L2 Escalations";
  in.reason = "";
  ExpectError(Escalate(c.state(), kAsha, in, kT0), ErrorCode::kInvalidArgument, "reason");
  in.reason = "Nobody answers";
  ExpectError(Escalate(c.state(), kRavi, in, kT0), ErrorCode::kNotFound, "no case 42");
  in.trigger = EscalationTrigger::kManual;
  ExpectError(Escalate(c.state(), kAsha, in, kT0), ErrorCode::kPermissionDenied, "manual");
  ExpectError(Escalate(c.state(), kSystem, in, kT0), ErrorCode::kPermissionDenied, "manual");
  in.trigger = EscalationTrigger::kSlaBreach;
  ExpectError(Escalate(c.state(), kPriya, in, kT0), ErrorCode::kPermissionDenied,
              "raised automatically");
  in.trigger = EscalationTrigger::kCustomerRequest;
  in.to_level = 1;
  ExpectError(Escalate(c.state(), kAsha, in, kT0), ErrorCode::kConflict, "already at level 1");
  in.to_level = 2;
  in.evidence = {"attachment:17", ""};
  ExpectError(Escalate(c.state(), kAsha, in, kT0), ErrorCode::kInvalidArgument, "evidence[1]");
  in.evidence = {"attachment:17", "data:text/html;base64,PGI+"};
  ExpectError(Escalate(c.state(), kAsha, in, kT0), ErrorCode::kInvalidArgument,
              "image/png, image/jpeg or image/webp");
  in.evidence = {"data:image/png;base64,iVBOR w0K"};
  ExpectError(Escalate(c.state(), kAsha, in, kT0), ErrorCode::kInvalidArgument, "not base64");
  in.evidence = {"data:image/jpeg;base64," + std::string(kMaxEvidenceImageChars, 'A')};
  ExpectError(Escalate(c.state(), kAsha, in, kT0), ErrorCode::kInvalidArgument, "at most 400 KiB");
  in.evidence = {"attachment:17"};
  auto ok = Escalate(c.state(), kAsha, in, kT0);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ((*ok)[0].channel, Channel::kWeb);
  EXPECT_EQ((*ok)[0].data.at("evidence").as_array().size(), 1u);
  EXPECT_TRUE((*ok)[0].data.at("owner_id").is_null());
}

TEST(Commitments, PromiseLifecycle) {
  Case c;
  ExpectError(MakePromise(c.state(), kAsha, {"x", kT0 + 1h}, kT0), ErrorCode::kPermissionDenied,
              "only staff");
  ExpectError(MakePromise(c.state(), kPriya, {"Cashback credited", kT0}, kT0),
              ErrorCode::kInvalidArgument, "in the future");
  ExpectError(MakePromise(c.state(), kPriya, {"", kT0 + 1h}, kT0), ErrorCode::kInvalidArgument,
              "what");
  c.Do(MakePromise(c.state(), kPriya, {"Cashback credited", kT0 + 48h}, kT0 + 1h));
  c.Do(MakePromise(c.state(), kPriya, {"Call back", kT0 + 4h}, kT0 + 1h));
  const CaseCommitments& m = c.state().commitments;
  ASSERT_EQ(m.promises.size(), 2u);
  EXPECT_EQ(m.promises[0].made_by_name, "Priya (L1)");
  EXPECT_EQ(m.promises[0].due_at, kT0 + 48h);
  EXPECT_EQ(m.OpenPromiseCount(), 2);
  EXPECT_EQ(m.last_update_at, kT0 + 1h);  // a promise tells the customer something

  EXPECT_EQ(OverduePromises(c.state(), kT0 + 3h), std::vector<int64_t>{});
  EXPECT_EQ(OverduePromises(c.state(), kT0 + 49h), (std::vector<int64_t>{2, 1}));
  ExpectError(BreakPromise(c.state(), kSystem, 1, "", kT0 + 5h), ErrorCode::kConflict,
              "cannot be broken automatically before then");
  ExpectError(BreakPromise(c.state(), kPriya, 1, " ", kT0 + 5h), ErrorCode::kInvalidArgument,
              "reason");
  c.Do(KeepPromise(c.state(), kPriya, 2, "Called at 14:00", kT0 + 3h));
  ExpectError(KeepPromise(c.state(), kPriya, 2, "", kT0 + 3h), ErrorCode::kConflict,
              "already kept");
  ExpectError(KeepPromise(c.state(), kPriya, 9, "", kT0 + 3h), ErrorCode::kNotFound,
              "no promise 9");
  c.Do(BreakPromise(c.state(), kSystem, 1, "", kT0 + 48h));
  const Promise* broken = c.state().commitments.FindPromise(1);
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->status, PromiseStatus::kBroken);
  EXPECT_TRUE(broken->broken_automatically);
  EXPECT_NE(broken->note.find("not kept by"), std::string::npos);
  EXPECT_EQ(c.state().commitments.BrokenPromiseCount(), 1);
}

TEST(Commitments, DecisionsAndAppeals) {
  Case c;
  ExpectError(AppealDecision(c.state(), kAsha, {"unfair", {}}, kT0), ErrorCode::kConflict,
              "no decision");
  DecisionInput d{DecisionOutcome::kCannotResolve, "Outside our control", "Contact the court", ""};
  ExpectError(MakeDecision(c.state(), kPriya, d, kT0), ErrorCode::kInvalidArgument,
              "external_route");
  d.outcome = DecisionOutcome::kDenied;
  d.external_route = "consumer_court";
  ExpectError(MakeDecision(c.state(), kPriya, d, kT0), ErrorCode::kInvalidArgument,
              "only a cannot_resolve");
  d.external_route = "";
  d.next_step = "";
  ExpectError(MakeDecision(c.state(), kPriya, d, kT0), ErrorCode::kInvalidArgument, "next_step");
  d.next_step = "You may appeal to L2 Escalations";
  c.Do(MakeDecision(c.state(), kPriya, d, kT0 + 1h));
  ASSERT_TRUE(c.state().commitments.latest_decision);
  EXPECT_EQ(c.state().commitments.latest_decision->outcome, DecisionOutcome::kDenied);
  EXPECT_EQ(c.state().commitments.responded_at, kT0 + 1h);
  ExpectError(AppealDecision(c.state(), kRavi, {"x", {}}, kT0), ErrorCode::kNotFound, "no case");
  c.Do(AppealDecision(c.state(), kAsha, {"The screenshot shows a fashion item", {"att:3"}},
                      kT0 + 2h));
  EXPECT_TRUE(c.state().commitments.latest_decision->appealed);
  EXPECT_EQ(c.state().commitments.appeals, 1);
  ExpectError(AppealDecision(c.state(), kAsha, {"again", {}}, kT0 + 3h), ErrorCode::kConflict,
              "already appealed");
  c.Do(MakeDecision(c.state(), kPriya,
                    {DecisionOutcome::kApproved, "Verified", "Credit within 2 days", ""},
                    kT0 + 4h));
  EXPECT_EQ(c.state().commitments.decisions, 2);
  ExpectError(AppealDecision(c.state(), kAsha, {"x", {}}, kT0 + 5h), ErrorCode::kConflict,
              "nothing to appeal");
}

TEST(Commitments, CreditWithinLimitIsGrantedAboveItIsRouted) {
  Case c;
  CreditAuthority l1{1, 50000, 2, "L2 Escalations"};
  ExpectError(RequestCredit(c.state(), kPriya, {100, "inr", "x"}, l1, kT0),
              ErrorCode::kInvalidArgument, "currency");
  ExpectError(RequestCredit(c.state(), kPriya, {0, "INR", "x"}, l1, kT0),
              ErrorCode::kInvalidArgument, "amount_minor");
  c.Do(RequestCredit(c.state(), kPriya, {20000, "INR", "Sorry for the wait"}, l1, kT0 + 1h));
  EXPECT_EQ(c.events().back().type, EventType::kCreditApproved);
  c.Do(RequestCredit(c.state(), kPriya, {150000, "INR", "Cashback exceeded"}, l1, kT0 + 2h));
  EXPECT_EQ(c.events().back().type, EventType::kCreditRequested);
  EXPECT_EQ(c.events().back().data.at("approver_level").as_int64(), 2);
  const Credit* pending = c.state().commitments.FindCredit(2);
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->status, CreditStatus::kPending);
  EXPECT_EQ(pending->approver_level, 2);

  ExpectError(ApproveCredit(c.state(), kPriya, 2, l1, kT0 + 3h), ErrorCode::kPermissionDenied,
              "waits for level 2");
  CreditAuthority l2_small{2, 100000, 3, "L3"};
  ExpectError(ApproveCredit(c.state(), kMeera, 2, l2_small, kT0 + 3h), ErrorCode::kPermissionDenied,
              "above the approver's limit");
  CreditAuthority l2{2, 500000, 2, "L2 Escalations"};
  ExpectError(ApproveCredit(c.state(), kMeera, 2, l2, kT0 + 3h, "bad\xff reason"),
              ErrorCode::kInvalidArgument, "reason");
  c.Do(ApproveCredit(c.state(), kMeera, 2, l2, kT0 + 3h, "  Courier lost the parcel twice "));
  EXPECT_EQ(c.events().back().data.at("approval_reason").as_string(), "Courier lost the parcel twice");
  EXPECT_EQ(c.events().back().data.at("reason").as_string(), "Cashback exceeded");
  EXPECT_EQ(c.state().commitments.FindCredit(2)->status, CreditStatus::kApproved);
  EXPECT_EQ(c.state().commitments.FindCredit(2)->settled_by_name, "Meera (L2)");
  ExpectError(DenyCredit(c.state(), kMeera, 2, "no", kT0 + 4h), ErrorCode::kConflict,
              "already approved");
  CreditAuthority none{1, 50000, 0, ""};
  ExpectError(RequestCredit(c.state(), kPriya, {90000000, "INR", "x"}, none, kT0),
              ErrorCode::kPermissionDenied, "no level may approve");
}

TEST(Commitments, SlaBreachIsRecordedOncePerKey) {
  Case c;
  SlaBreachInput in{SlaClockKind::kFirstResponse, "case:42:first_response:e0", kT0 + 4h};
  ExpectError(RecordSlaBreach(c.state(), kPriya, in, kT0 + 5h), ErrorCode::kPermissionDenied,
              "only the system");
  ExpectError(RecordSlaBreach(c.state(), kSystem, in, kT0 + 3h), ErrorCode::kInvalidArgument,
              "has not passed");
  c.Do(RecordSlaBreach(c.state(), kSystem, in, kT0 + 5h));
  EXPECT_TRUE(c.state().commitments.BreachRecorded(in.key));
  EXPECT_EQ(c.state().commitments.breaches, 1);
  ExpectError(RecordSlaBreach(c.state(), kSystem, in, kT0 + 6h), ErrorCode::kConflict,
              "already recorded");
}

TEST(Commitments, FoldRejectsInconsistentPayloads) {
  Case c;
  c.Do(MakePromise(c.state(), kPriya, {"Refund", kT0 + 48h}, kT0 + 1h));
  Event e = c.events().back();
  e.seq = c.state().last_seq + 1;
  e.type = EventType::kPromiseKept;
  e.data = {{"promise_id", 5}, {"note", ""}};
  auto r = Apply(c.state(), e);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("promise_id 5 was never made"), std::string::npos);
  e.type = EventType::kEscalated;
  e.data = {
      {"trigger", "manual"},          {"from_level", 2},     {"to_level", 3},
      {"to_level_name", "L3"},        {"owner_id", nullptr}, {"owner_name", ""},
      {"previous_owner_id", nullptr}, {"reason", "x"},       {"evidence", boost::json::array()}};
  r = Apply(c.state(), e);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("from_level is 2 but the case was at level 1"),
            std::string::npos);
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
}

TEST(Commitments, ReservedEmailEventsOnlyMoveTheHead) {
  Case c;
  Event e = c.events().back();
  e.seq = 2;
  e.type = EventType::kThreadTokenMismatch;
  e.data = {{"anything", 1}};
  e.hash = "h2";
  auto r = Apply(c.state(), e);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  CaseState expected = c.state();
  expected.last_seq = 2;
  expected.head_hash = "h2";
  EXPECT_EQ(*r, expected);
}

TEST(Commitments, JsonRoundTripIsLossless) {
  Case c;
  c.Do(AddMessage(c.state(), kPriya, "Checking", Channel::kEmail, kT0 + 1h));
  c.Do(MakePromise(c.state(), kPriya, {"Cashback credited", kT0 + 48h}, kT0 + 1h));
  c.Do(MakePromise(c.state(), kPriya, {"Call back", kT0 + 4h}, kT0 + 2h));
  c.Do(KeepPromise(c.state(), kPriya, 2, "Called", kT0 + 3h));
  c.Do(MakeDecision(c.state(), kPriya,
                    {DecisionOutcome::kCannotResolve, "Needs the bank", "Go to the ombudsman",
                     "banking_ombudsman"},
                    kT0 + 4h));
  c.Do(RequestCredit(c.state(), kPriya, {150000, "INR", "Goodwill"},
                     {1, 50000, 2, "L2 Escalations"}, kT0 + 5h));
  c.Do(RecordSlaBreach(c.state(), kSystem,
                       {SlaClockKind::kNextUpdate, "case:42:next_update:e0.u2", kT0 + 5h},
                       kT0 + 6h));
  EscalateInput in{EscalationTrigger::kSlaBreach, 2, "L2 Escalations", 8, "Meera", "late", {}};
  c.Do(Escalate(c.state(), kSystem, in, kT0 + 6h));
  c.Do(ChangeStatus(c.state(), kMeera, CaseStatus::kPending, "waiting for you", kT0 + 7h));
  const CaseCommitments& m = c.state().commitments;

  const boost::json::object json = ToJson(m);
  // Through text, as a database column would carry it.
  auto parsed = boost::json::parse(boost::json::serialize(json)).as_object();
  auto back = CommitmentsFromJson(parsed);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, m);
  EXPECT_EQ(json.at("promises").as_array().size(), 2u);
  EXPECT_EQ(json.at("latest_decision").at("external_route").as_string(), "banking_ombudsman");

  auto empty = CommitmentsFromJson(ToJson(CaseCommitments{}));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(*empty, CaseCommitments{});
}

TEST(Commitments, JsonErrorsNameThePath) {
  Case c;
  c.Do(MakePromise(c.state(), kPriya, {"Refund", kT0 + 48h}, kT0 + 1h));
  boost::json::object json = ToJson(c.state().commitments);
  json["promises"].as_array()[0].as_object()["due_at"] = "tomorrow";
  auto r = CommitmentsFromJson(json);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
  EXPECT_NE(r.error().message.find("commitments.promises[0].due_at"), std::string::npos)
      << r.error().message;
  json = ToJson(c.state().commitments);
  json.erase("appeals");
  r = CommitmentsFromJson(json);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("commitments.appeals: is missing"), std::string::npos);
  json = ToJson(c.state().commitments);
  json["status_spans"].as_array()[0].as_object()["status"] = "sleeping";
  r = CommitmentsFromJson(json);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("unknown status \"sleeping\""), std::string::npos);
}

}  // namespace
}  // namespace redress::domain
