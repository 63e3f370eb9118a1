#include "policy/triggers.h"

#include <gtest/gtest.h>

#include <chrono>

#include "domain/decision_commands.h"
#include "domain/escalation_commands.h"
#include "domain/promise_commands.h"
#include "policy/routing.h"
#include "policy/test_case.h"

namespace redress::policy {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using domain::Channel;
using domain::EscalationTrigger;

const Timestamp kMonday9 = At("2026-11-30T08:00:00Z");  // 09:00 in Berlin

std::optional<EscalationDecision> Last(const TestCase& c, const EscalationPolicy& p,
                                       const CaseContext& ctx = {}) {
  return EvaluateEvent(c.state(), c.last(), p, ctx);
}

TEST(Triggers, TheThirdContactEscalates) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  EXPECT_FALSE(Last(c, *policy));
  c.Do(domain::AddMessage(c.state(), kAsha, "Second try", Channel::kPhone, kMonday9 + 1h));
  EXPECT_FALSE(Last(c, *policy));
  c.Do(domain::AddMessage(c.state(), kAsha, "Third try", Channel::kEmail, kMonday9 + 2h));
  auto d = Last(c, *policy);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kRepeatContact);
  EXPECT_EQ(d->to_level, 2);
  EXPECT_EQ(d->level->name, "L2 Escalations");
  EXPECT_EQ(d->reason, "This is your 3rd contact about this case at L1 Customer care");
  // The fourth contact at the same level does not escalate again.
  c.Do(domain::AddMessage(c.state(), kAsha, "Fourth", Channel::kEmail, kMonday9 + 3h));
  EXPECT_FALSE(Last(c, *policy));
}

TEST(Triggers, RepeatContactCountsPerLevelAndCanBeOff) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  domain::EscalateInput in{EscalationTrigger::kManual, 2, "L2", std::nullopt, "", "x", {}};
  c.Do(domain::Escalate(c.state(), kPriya, in, kMonday9 + 1h));
  c.Do(domain::AddMessage(c.state(), kAsha, "1", Channel::kWeb, kMonday9 + 2h));
  c.Do(domain::AddMessage(c.state(), kAsha, "2", Channel::kWeb, kMonday9 + 3h));
  EXPECT_FALSE(Last(c, *policy));
  c.Do(domain::AddMessage(c.state(), kAsha, "3", Channel::kWeb, kMonday9 + 4h));
  auto d = Last(c, *policy);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_level, 3);

  auto off = LoadEscalationPolicy(
      std::string(OfficePolicyText())
          .replace(OfficePolicyText().find("repeat_contact = 3"), 18, "repeat_contact = 0"));
  ASSERT_TRUE(off.has_value()) << off.error().message;
  EXPECT_FALSE(Last(c, **off));
}

TEST(Triggers, KeywordsValueTierAndPublicPosts) {
  auto policy = OfficePolicy();
  TestCase angry(kMonday9, "returns", domain::Priority::kNormal,
                 "I will take this to the Consumer Court.");
  auto d = Last(angry, *policy);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kKeyword);
  EXPECT_EQ(d->to_level, 3);

  TestCase vip(kMonday9);
  EXPECT_FALSE(Last(vip, *policy, CaseContext{"gold"}));
  d = Last(vip, *policy, CaseContext{"platinum"});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kValueTier);
  EXPECT_EQ(d->to_level, 2);

  // A keyword to level 3 beats the value tier's level 2 when both apply.
  TestCase both(kMonday9, "returns", domain::Priority::kNormal, "consumer court!");
  d = Last(both, *policy, CaseContext{"platinum"});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kKeyword);

  TestCase social(kMonday9);
  domain::Event post = social.last();
  post.type = domain::EventType::kMessageReceived;
  post.channel = Channel::kSocial;
  post.data = {{"body", "@shop refund me"}, {"public", true}};
  d = EvaluateEvent(social.state(), post, *policy);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kSocialMedia);
  post.data["public"] = false;  // a direct message is not a public post
  EXPECT_FALSE(EvaluateEvent(social.state(), post, *policy));
}

TEST(Triggers, BrokenPromiseAppealAndBreach) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  c.Do(
      domain::MakePromise(c.state(), kPriya, {"Cashback credited", kMonday9 + 24h}, kMonday9 + 1h));
  EXPECT_FALSE(Last(c, *policy));
  c.Do(domain::BreakPromise(c.state(), kSystem, 1, "", kMonday9 + 25h));
  auto d = Last(c, *policy);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kBrokenPromise);
  EXPECT_NE(d->reason.find("\"Cashback credited\""), std::string::npos);

  c.Do(domain::MakeDecision(
      c.state(), kPriya,
      {domain::DecisionOutcome::kDenied, "Not a fashion item", "Appeal to L2 Escalations", ""},
      kMonday9 + 26h));
  c.Do(domain::AppealDecision(c.state(), kAsha, {"It was, see screenshot", {"att:9"}},
                              kMonday9 + 27h));
  d = Last(c, *policy);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kAppeal);

  c.Do(domain::RecordSlaBreach(
      c.state(), kSystem,
      {domain::SlaClockKind::kResolution, "case:42:resolution:e0", kMonday9 + 28h},
      kMonday9 + 28h));
  d = Last(c, *policy);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->trigger, EscalationTrigger::kSlaBreach);
  EXPECT_NE(d->reason.find("resolution deadline"), std::string::npos);
}

TEST(Triggers, NothingAboveTheTop) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  domain::EscalateInput in{EscalationTrigger::kManual, 3, "L3", std::nullopt, "", "x", {}};
  c.Do(domain::Escalate(c.state(), kPriya, in, kMonday9 + 1h));
  c.Do(domain::MakeDecision(
      c.state(), kIyer, {domain::DecisionOutcome::kDenied, "No", "Ombudsman", ""}, kMonday9 + 2h));
  c.Do(domain::AppealDecision(c.state(), kAsha, {"unfair", {}}, kMonday9 + 3h));
  EXPECT_FALSE(Last(c, *policy));
  auto manual = DecideManual(c.state(), *policy, "up");
  ASSERT_FALSE(manual.has_value());
  EXPECT_NE(manual.error().message.find("is at level 3 of 3"), std::string::npos);
}

TEST(CustomerEscalation, AllowedOnceTheResponseTimeHasPassed) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  // The agent answers at once, but the customer's right follows the level's target (4h).
  c.Do(domain::AddMessage(c.state(), kPriya, "Rejected", Channel::kEmail, kMonday9 + 10min));
  CustomerEscalationWindow w = CustomerEscalation(c.state(), *policy, kMonday9 + 1h);
  EXPECT_FALSE(w.allowed_now);
  EXPECT_EQ(Show(w.allowed_from), "2026-11-30T12:00:00.000000Z");
  ASSERT_NE(w.next_level, nullptr);
  EXPECT_EQ(w.next_level->name, "L2 Escalations");
  auto early = DecideCustomerRequest(c.state(), *policy, "please", kMonday9 + 1h);
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  EXPECT_NE(early.error().message.find("(from 2026-11-30T12:00:00.000000Z)"), std::string::npos);
  // The note people read carries no machine timestamp: pages show allowed_from in the
  // viewer's own time zone beside it.
  EXPECT_EQ(w.why_not.find("2026-"), std::string::npos) << w.why_not;
  w = CustomerEscalation(c.state(), *policy, kMonday9 + 4h);
  EXPECT_TRUE(w.allowed_now);
  auto ok = DecideCustomerRequest(c.state(), *policy, "please", kMonday9 + 4h);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->trigger, EscalationTrigger::kCustomerRequest);
  EXPECT_EQ(ok->to_level, 2);
}

TEST(CustomerEscalation, AllowedAtOnceAfterADecision) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  c.Do(domain::MakeDecision(c.state(), kPriya,
                            {domain::DecisionOutcome::kDenied, "No return policy for small items",
                             "Escalate in the app with photos", ""},
                            kMonday9 + 30min));
  EXPECT_TRUE(CustomerEscalation(c.state(), *policy, kMonday9 + 31min).allowed_now);
}

TEST(CustomerEscalation, PausedWhileWaitingForTheCustomer) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  c.Do(domain::ChangeStatus(c.state(), kPriya, domain::CaseStatus::kPending, "photo?",
                            kMonday9 + 1h));
  const CustomerEscalationWindow w = CustomerEscalation(c.state(), *policy, kMonday9 + 2h);
  EXPECT_FALSE(w.allowed_now);
  EXPECT_FALSE(w.allowed_from.has_value());
  EXPECT_NE(w.why_not.find("waits for your reply"), std::string::npos);
}

TEST(Routing, RoundRobinSkipsTheUnavailable) {
  const std::vector<Member> members{{21, "Meera"}, {22, "Rohan"}, {23, "Divya"}};
  RoutingPick p = PickOwner(members, {}, 0);
  EXPECT_EQ(p.owner->user_id, 21);
  p = PickOwner(members, {}, p.next_cursor);
  EXPECT_EQ(p.owner->user_id, 22);
  const std::vector<int64_t> away{23};
  p = PickOwner(members, away, p.next_cursor);
  EXPECT_EQ(p.owner->user_id, 21);  // Divya is away: wraps to Meera
  EXPECT_EQ(p.next_cursor, 1u);
  const std::vector<int64_t> everyone{21, 22, 23};
  p = PickOwner(members, everyone, 1);
  EXPECT_FALSE(p.owner.has_value());
  EXPECT_EQ(p.next_cursor, 1u);
  EXPECT_FALSE(PickOwner({}, {}, 5).owner.has_value());
  EXPECT_EQ(PickOwner(members, {}, 7).owner->user_id, 22);  // cursor taken modulo size
}

TEST(Routing, CreditAuthorityFindsTheLowestLevelThatMayApprove) {
  auto policy = OfficePolicy();
  TestCase c(kMonday9);
  domain::CreditAuthority a = CreditAuthorityFor(*policy, c.state(), 1, 3000, "EUR");
  EXPECT_EQ(a.limit_minor, 5000);
  a = CreditAuthorityFor(*policy, c.state(), 1, 20000, "EUR");
  EXPECT_EQ(a.approver_level, 2);
  EXPECT_EQ(a.approver_level_name, "L2 Escalations");
  a = CreditAuthorityFor(*policy, c.state(), 1, 100000, "EUR");
  EXPECT_EQ(a.approver_level, 3);
  a = CreditAuthorityFor(*policy, c.state(), 1, 10000000, "EUR");
  EXPECT_EQ(a.approver_level, 0);
  a = CreditAuthorityFor(*policy, c.state(), 1, 100, "USD");  // no authority in USD anywhere
  EXPECT_EQ(a.limit_minor, 0);
  EXPECT_EQ(a.approver_level, 0);
}

}  // namespace
}  // namespace redress::policy
