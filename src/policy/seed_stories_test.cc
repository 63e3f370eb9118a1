// The stories in shared/seeds/, replayed at the domain level with the wiring the case
// service and the scheduler will have: every appended event goes through EvaluateEvent,
// an escalation is routed round robin and appended in the same step, and a scheduler tick
// fires each due deadline once (RecordSlaBreach / BreakPromise) on a fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "domain/credit_commands.h"
#include "domain/decision_commands.h"
#include "domain/escalation_commands.h"
#include "domain/promise_commands.h"
#include "policy/customer_view.h"
#include "policy/routing.h"
#include "policy/sla_clock.h"
#include "policy/test_case.h"
#include "policy/triggers.h"

namespace redress::policy {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using domain::Channel;
using domain::EscalationTrigger;
using domain::EventType;

class Desk {
 public:
  Desk(std::shared_ptr<const EscalationPolicy> policy, Timestamp opened,
       std::string category = "returns", std::string body = "Return rejected",
       CaseContext context = {})
      : policy_(std::move(policy)),
        context_(std::move(context)),
        case_(opened, category, domain::Priority::kNormal, std::move(body)) {
    AfterAppend(0);
  }

  // Appends a command's events and lets the triggers react, as the case service would.
  template <class R>
  void Do(const R& result) {
    const size_t before = case_.events().size();
    case_.Do(result);
    AfterAppend(before);
  }

  // One scheduler pass at `now`: fires every pending deadline that is due. Returns how
  // many fired. Repeats while firing changed the clocks (an escalation starts new ones).
  int Tick(Timestamp now) {
    int fired = 0;
    for (bool again = true; again;) {
      again = false;
      const SlaSnapshot sla = ComputeSla(case_.state(), *policy_, now);
      for (const Deadline& d : sla.deadlines) {
        if (!d.Pending() || *d.due_at > now) continue;
        ++fired;
        again = true;
        if (d.kind == DeadlineKind::kPromise) {
          Do(domain::BreakPromise(case_.state(), kSystem, d.promise_id, "", now));
        } else {
          Do(domain::RecordSlaBreach(case_.state(), kSystem, {*ClockOf(d.kind), d.key, *d.due_at},
                                     now));
        }
        break;  // the state changed: recompute before firing anything else
      }
    }
    return fired;
  }

  const domain::CaseState& state() const { return case_.state(); }
  const std::vector<domain::Event>& events() const { return case_.events(); }
  const EscalationPolicy& policy() const { return *policy_; }
  std::vector<int64_t> unavailable;

  std::vector<const domain::Event*> OfType(EventType type) const {
    std::vector<const domain::Event*> out;
    for (const auto& e : case_.events()) {
      if (e.type == type) out.push_back(&e);
    }
    return out;
  }

 private:
  void AfterAppend(size_t from) {
    for (size_t i = from; i < case_.events().size(); ++i) {
      const domain::Event& e = case_.events()[i];
      auto decision = EvaluateEvent(case_.state(), e, *policy_, context_);
      if (!decision) continue;
      size_t& cursor = cursors_[decision->level->id];
      const RoutingPick pick = PickOwner(decision->level->members, unavailable, cursor);
      cursor = pick.next_cursor;
      case_.Do(domain::Escalate(case_.state(), kSystem, ToEscalateInput(*decision, pick), e.at));
    }
  }

  std::shared_ptr<const EscalationPolicy> policy_;
  CaseContext context_;
  TestCase case_;
  std::map<std::string, size_t> cursors_;
};

const Timestamp kMonday9 = At("2026-11-30T08:00:00Z");  // 09:00 in Berlin

// Flipkart: "2 return requests rejected ... third time lucky": the third contact about the
// same problem goes to the escalations team, which then updates daily.
TEST(SeedStories, ReturnRejectedTwiceIsEscalatedAtTheThirdContact) {
  Desk desk(OfficePolicy(), kMonday9, "returns", "Return request rejected for technical reasons");
  desk.Do(domain::Assign(desk.state(), kPriya, {7, "Priya", "", ""}, kMonday9 + 5min));
  desk.Do(domain::AddMessage(desk.state(), kPriya, "The return was rejected for technical reasons",
                             Channel::kEmail, kMonday9 + 1h));
  desk.Do(domain::AddMessage(desk.state(), kAsha, "I requested the return again; rejected again",
                             Channel::kWeb, kMonday9 + 26h));
  EXPECT_EQ(desk.state().level, 1);
  desk.Do(domain::AddMessage(desk.state(), kAsha, "Third time: please accept the return",
                             Channel::kPhone, kMonday9 + 48h));
  ASSERT_EQ(desk.OfType(EventType::kEscalated).size(), 1u);
  const domain::Event& escalated = *desk.OfType(EventType::kEscalated)[0];
  EXPECT_EQ(escalated.seq, desk.OfType(EventType::kMessageReceived).back()->seq + 1);
  EXPECT_EQ(escalated.data.at("trigger").as_string(), "repeat_contact");
  EXPECT_EQ(escalated.data.at("from_level").as_int64(), 1);
  EXPECT_EQ(escalated.data.at("to_level").as_int64(), 2);
  EXPECT_EQ(escalated.data.at("owner_name").as_string(), "Meera");
  EXPECT_EQ(escalated.data.at("previous_owner_id").as_int64(), 7);
  EXPECT_EQ(escalated.visibility, domain::Visibility::kPublic);
  EXPECT_EQ(desk.state().level, 2);
  EXPECT_EQ(desk.state().owner_name, "Meera");

  // The escalations team owes a first response in 2 business hours, then daily updates.
  const SlaSnapshot sla = ComputeSla(desk.state(), desk.policy(), kMonday9 + 48h);
  EXPECT_EQ(sla.deadlines[0].key, "case:42:first_response:e1");
  EXPECT_EQ(Show(sla.next_step_due), "2026-12-02T10:00:00.000000Z");  // Wed 09:00 + 2h
}

// Amazon: the cashback was confirmed in writing, then denied. A promise that passes its
// due time is broken automatically, on record, and escalates, exactly once.
TEST(SeedStories, CashbackPromisePastItsDueTimeIsBrokenAndEscalates) {
  Desk desk(OfficePolicy(), kMonday9, "payments", "Cashback not credited on dispatch");
  desk.Do(domain::AddMessage(desk.state(), kPriya, "Confirmed: the backpack qualifies",
                             Channel::kEmail, kMonday9 + 1h));
  // Monday 10:00: the promise, in writing, for Wednesday 09:00 (it also counts as the
  // update the case owed; the next one would be due Wednesday 10:00).
  desk.Do(domain::MakePromise(
      desk.state(), kPriya, {"Cashback of 150.00 INR credited to your Pay balance", kMonday9 + 48h},
      kMonday9 + 1h));
  EXPECT_EQ(desk.Tick(kMonday9 + 47h), 0);
  EXPECT_EQ(desk.state().commitments.promises[0].status, domain::PromiseStatus::kOpen);
  EXPECT_EQ(desk.Tick(kMonday9 + 48h), 1);
  const domain::Promise& p = desk.state().commitments.promises[0];
  EXPECT_EQ(p.status, domain::PromiseStatus::kBroken);
  EXPECT_TRUE(p.broken_automatically);
  auto escalations = desk.OfType(EventType::kEscalated);
  ASSERT_EQ(escalations.size(), 1u);
  EXPECT_EQ(escalations[0]->data.at("trigger").as_string(), "broken_promise");
  EXPECT_EQ(escalations[0]->data.at("reason").as_string(),
            "The promise \"Cashback of 150.00 INR credited to your Pay balance\" due "
            "2026-12-02T08:00:00.000000Z was not kept");
  EXPECT_EQ(desk.state().level, 2);
  // Exactly once: later ticks find nothing new for the same deadlines.
  const size_t events = desk.events().size();
  EXPECT_EQ(desk.Tick(kMonday9 + 48h), 0);
  EXPECT_EQ(desk.Tick(kMonday9 + 48h + 1h), 0);  // L2's first response is due at 11:00
  EXPECT_EQ(desk.events().size(), events);
  EXPECT_EQ(desk.OfType(EventType::kPromiseBroken).size(), 1u);
}

// Same story with nothing but the promise pending: the broken promise is the trigger.
TEST(SeedStories, BrokenPromiseAloneEscalatesOneLevel) {
  Desk desk(OfficePolicy(), kMonday9, "payments", "Cashback not credited");
  desk.Do(
      domain::AddMessage(desk.state(), kPriya, "Will be credited", Channel::kEmail, kMonday9 + 1h));
  desk.Do(domain::MakePromise(desk.state(), kPriya, {"Cashback credited", kMonday9 + 3h},
                              kMonday9 + 2h));
  EXPECT_EQ(desk.Tick(kMonday9 + 3h), 1);
  auto escalations = desk.OfType(EventType::kEscalated);
  ASSERT_EQ(escalations.size(), 1u);
  EXPECT_EQ(escalations[0]->data.at("trigger").as_string(), "broken_promise");
  EXPECT_EQ(desk.state().level, 2);
}

// Flipkart's escalations team "resolved the issue swiftly with daily updates": a missed
// daily update is itself a breach, recorded and escalated.
TEST(SeedStories, EscalatedCaseThatMissesItsDailyUpdateBreaches) {
  Desk desk(OfficePolicy(), kMonday9, "returns", "Pickup delayed again");
  domain::EscalateInput in{EscalationTrigger::kManual, 2, "L2 Escalations", 21, "Meera",
                           "pickup delayed twice",     {}};
  desk.Do(domain::Escalate(desk.state(), kPriya, in, kMonday9));
  desk.Do(domain::AddMessage(desk.state(), kMeera, "Pickup booked for tomorrow", Channel::kEmail,
                             kMonday9 + 1h));
  // Daily cadence: the next update is due one business day (8h) later, Tuesday 10:00.
  SlaSnapshot sla = ComputeSla(desk.state(), desk.policy(), kMonday9 + 2h);
  ASSERT_EQ(sla.deadlines[0].kind, DeadlineKind::kNextUpdate);
  EXPECT_EQ(Show(sla.deadlines[0].due_at), "2026-12-01T09:00:00.000000Z");
  EXPECT_EQ(desk.Tick(At("2026-12-01T08:59:59Z")), 0);
  EXPECT_EQ(desk.Tick(At("2026-12-01T09:00:00Z")), 1);
  auto breaches = desk.OfType(EventType::kSlaBreached);
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0]->data.at("clock").as_string(), "next_update");
  EXPECT_EQ(breaches[0]->data.at("key").as_string(), "case:42:next_update:e1.u1");
  EXPECT_EQ(breaches[0]->visibility, domain::Visibility::kPublic);
  auto escalations = desk.OfType(EventType::kEscalated);
  ASSERT_EQ(escalations.size(), 2u);
  EXPECT_EQ(escalations[1]->data.at("trigger").as_string(), "sla_breach");
  EXPECT_EQ(desk.state().level, 3);
  EXPECT_EQ(desk.state().owner_name, "S. Iyer");
}

// Pepperfry: "only after using the escalation option in the app, backed by appropriate
// photos": the customer escalates with evidence once the level's time is up, and an
// appeal of a denial goes up a level.
TEST(SeedStories, CustomerEscalatesWithAPhotoAndAppealsADenial) {
  Desk desk(OfficePolicy(), kMonday9, "returns", "Small item arrived broken");
  desk.Do(
      domain::MakeDecision(desk.state(), kPriya,
                           {domain::DecisionOutcome::kDenied, "No return policy for small items",
                            "You may escalate to L2 Escalations", ""},
                           kMonday9 + 30min));
  auto decision = DecideCustomerRequest(desk.state(), desk.policy(), "The item is broken: photo",
                                        kMonday9 + 1h);
  ASSERT_TRUE(decision.has_value()) << decision.error().message;
  domain::EscalateInput in = ToEscalateInput(*decision, PickOwner(decision->level->members, {}, 0));
  in.evidence = {"attachment:photo-1.jpg"};
  desk.Do(domain::Escalate(desk.state(), kAsha, in, kMonday9 + 1h));
  EXPECT_EQ(desk.state().level, 2);
  const domain::Event& by_customer = *desk.OfType(EventType::kEscalated).back();
  EXPECT_EQ(by_customer.actor.kind, domain::ActorKind::kCustomer);
  EXPECT_EQ(by_customer.data.at("evidence").as_array()[0].as_string(), "attachment:photo-1.jpg");

  desk.Do(domain::MakeDecision(desk.state(), kMeera,
                               {domain::DecisionOutcome::kDenied, "Quality issues are excluded",
                                "Appeal to the grievance officer", ""},
                               kMonday9 + 2h));
  desk.Do(
      domain::AppealDecision(desk.state(), kAsha, {"The photos show a defect", {}}, kMonday9 + 3h));
  EXPECT_EQ(desk.state().level, 3);
  EXPECT_EQ(desk.OfType(EventType::kEscalated).back()->data.at("trigger").as_string(), "appeal");
}

// "Agents can grant goodwill credit within their level's authority; larger amounts go up."
TEST(SeedStories, CreditAboveTheLimitGoesToTheNextLevel) {
  Desk desk(OfficePolicy(), kMonday9, "refunds", "Refund lost between web shop and store");
  const domain::CaseState& s = desk.state();
  desk.Do(domain::RequestCredit(s, kPriya, {3000, "EUR", "Sorry for the calls"},
                                CreditAuthorityFor(desk.policy(), s, kPriya.level, 3000, "EUR"),
                                kMonday9 + 1h));
  EXPECT_EQ(desk.events().back().type, EventType::kCreditApproved);
  desk.Do(domain::RequestCredit(
      desk.state(), kPriya, {10000, "EUR", "USD 100 gift card"},
      CreditAuthorityFor(desk.policy(), desk.state(), kPriya.level, 10000, "EUR"), kMonday9 + 2h));
  const domain::Event& requested = desk.events().back();
  ASSERT_EQ(requested.type, EventType::kCreditRequested);
  EXPECT_EQ(requested.data.at("approver_level").as_int64(), 2);
  EXPECT_EQ(requested.data.at("approver_level_name").as_string(), "L2 Escalations");
  EXPECT_EQ(requested.data.at("limit_minor").as_int64(), 5000);
  auto by_l1 = domain::ApproveCredit(
      desk.state(), kArjun, 2,
      CreditAuthorityFor(desk.policy(), desk.state(), kArjun.level, 10000, "EUR"), kMonday9 + 3h);
  ASSERT_FALSE(by_l1.has_value());
  EXPECT_EQ(by_l1.error().code, ErrorCode::kPermissionDenied);
  desk.Do(domain::ApproveCredit(
      desk.state(), kMeera, 2,
      CreditAuthorityFor(desk.policy(), desk.state(), kMeera.level, 10000, "EUR"), kMonday9 + 3h));
  EXPECT_EQ(desk.state().commitments.FindCredit(2)->status, domain::CreditStatus::kApproved);
}

// Tata Sky: "social media came to the rescue": a public post escalates at once.
TEST(SeedStories, PublicPostEscalatesAtOnce) {
  Desk desk(OfficePolicy(), kMonday9, "billing", "Unstated relocation charges");
  domain::Event post;  // as the social adapter will record it
  auto draft = domain::AddMessage(desk.state(), kAsha, "@tatasky reverse these charges",
                                  Channel::kSocial, kMonday9 + 1h);
  ASSERT_TRUE(draft.has_value());
  (*draft)[0].data["public"] = true;
  desk.Do(draft);
  ASSERT_EQ(desk.OfType(EventType::kEscalated).size(), 1u);
  EXPECT_EQ(desk.OfType(EventType::kEscalated)[0]->data.at("trigger").as_string(), "social_media");
}

TEST(CustomerView, ShowsLevelOwnerDueTimePromisesAndTheLadder) {
  Desk desk(OfficePolicy(), kMonday9, "payments", "Cashback");
  desk.Do(domain::AddMessage(desk.state(), kPriya, "Checking", Channel::kEmail, kMonday9 + 1h));
  desk.Do(
      domain::MakePromise(desk.state(), kPriya, {"Call you back", kMonday9 + 5h}, kMonday9 + 1h));
  desk.Do(domain::MakePromise(desk.state(), kPriya, {"Cashback credited", kMonday9 + 48h},
                              kMonday9 + 1h));
  desk.Do(domain::KeepPromise(desk.state(), kPriya, 1, "called", kMonday9 + 2h));
  CustomerEscalationView v = BuildCustomerView(desk.state(), desk.policy(), kMonday9 + 2h);
  EXPECT_EQ(v.current.name, "L1 Customer care");
  EXPECT_EQ(v.owner_name, "");
  ASSERT_EQ(v.promises.size(), 2u);
  EXPECT_EQ(v.promises[0].what, "Cashback credited");  // open first
  EXPECT_EQ(v.promises[1].status, domain::PromiseStatus::kKept);
  // The open promise (Wednesday 09:00) comes before the next update (Wednesday 10:00).
  EXPECT_EQ(v.next_step_due, kMonday9 + 48h);
  EXPECT_EQ(v.next_step, "promise");
  ASSERT_TRUE(v.next_level.has_value());
  EXPECT_EQ(v.next_level->name, "L2 Escalations");
  EXPECT_EQ(v.next_level->contact, "escalations@shop.example");
  EXPECT_FALSE(v.may_escalate_now);
  EXPECT_EQ(Show(v.may_escalate_from), "2026-11-30T12:00:00.000000Z");
  EXPECT_TRUE(v.external_routes.empty());

  const boost::json::object json = ToJson(v);
  EXPECT_EQ(json.at("level").at("name").as_string(), "L1 Customer care");
  EXPECT_EQ(json.at("ladder").at("may_escalate_from").as_string(), "2026-11-30T12:00:00.000000Z");
  EXPECT_EQ(json.at("promises").as_array().size(), 2u);
  EXPECT_FALSE(json.contains("members"));
}

TEST(CustomerView, CannotResolveShowsTheExternalRoute) {
  Desk desk(OfficePolicy(), kMonday9, "payments", "Bank charge");
  desk.Do(domain::MakeDecision(desk.state(), kPriya,
                               {domain::DecisionOutcome::kCannotResolve, "The bank holds the money",
                                "Complain to the ombudsman", "ombudsman"},
                               kMonday9 + 1h));
  const CustomerEscalationView v = BuildCustomerView(desk.state(), desk.policy(), kMonday9 + 1h);
  ASSERT_TRUE(v.decision.has_value());
  ASSERT_NE(v.decision->external_route, nullptr);
  EXPECT_EQ(v.decision->external_route->address, "https://ombudsman.example");
  ASSERT_EQ(v.external_routes.size(), 1u);
  EXPECT_TRUE(v.may_escalate_now);  // a decision was given
  const boost::json::object json = ToJson(v);
  EXPECT_EQ(json.at("decision").at("external_route").at("kind").as_string(), "ombudsman");
}

TEST(CustomerView, WaitingForTheCustomerHasNoCompanyDueTime) {
  Desk desk(OfficePolicy(), kMonday9);
  desk.Do(domain::ChangeStatus(desk.state(), kPriya, domain::CaseStatus::kPending, "photo?",
                               kMonday9 + 1h));
  const CustomerEscalationView v = BuildCustomerView(desk.state(), desk.policy(), kMonday9 + 2h);
  EXPECT_TRUE(v.waiting_for_customer);
  EXPECT_FALSE(v.next_step_due.has_value());
  EXPECT_EQ(ToJson(v).at("next_step_due").is_null(), true);
}

}  // namespace
}  // namespace redress::policy
