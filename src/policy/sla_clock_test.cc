#include "policy/sla_clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "domain/escalation_commands.h"
#include "domain/promise_commands.h"
#include "policy/test_case.h"

namespace redress::policy {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using domain::CaseStatus;
using domain::Channel;

// 2026-11-27 is a Friday; Berlin is UTC+1.
const Timestamp kFriday16 = At("2026-11-27T15:00:00Z");

const Deadline* Find(const SlaSnapshot& s, DeadlineKind kind) {
  for (const Deadline& d : s.deadlines) {
    if (d.kind == kind) return &d;
  }
  return nullptr;
}

TEST(SlaClock, NewCaseOwesAFirstResponseInBusinessTime) {
  auto policy = OfficePolicy();
  TestCase c(kFriday16);
  const SlaSnapshot s = ComputeSla(c.state(), *policy, kFriday16 + 1min);
  const Deadline* first = Find(s, DeadlineKind::kFirstResponse);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->key, "case:42:first_response:e0");
  EXPECT_EQ(Show(first->due_at), "2026-11-30T11:00:00.000000Z");  // Monday 12:00
  EXPECT_EQ(first->target, 4h);
  EXPECT_FALSE(first->breached);
  const Deadline* resolution = Find(s, DeadlineKind::kResolution);
  ASSERT_NE(resolution, nullptr);
  EXPECT_EQ(resolution->key, "case:42:resolution:e0");
  // 1h on Friday, 8h each on Mon, Tue; 7h on Wednesday: Wednesday 16:00.
  EXPECT_EQ(Show(resolution->due_at), "2026-12-02T15:00:00.000000Z");
  EXPECT_EQ(Find(s, DeadlineKind::kNextUpdate), nullptr);
  EXPECT_EQ(Show(s.next_due), "2026-11-30T11:00:00.000000Z");
  EXPECT_EQ(s.next_step_due, s.next_due);

  const SlaSnapshot late = ComputeSla(c.state(), *policy, At("2026-11-30T11:00:00Z"));
  EXPECT_TRUE(Find(late, DeadlineKind::kFirstResponse)->breached);
}

TEST(SlaClock, EachUpdateStartsANewCadenceGeneration) {
  auto policy = OfficePolicy();
  TestCase c(kFriday16);
  const Timestamp monday10 = At("2026-11-30T09:00:00Z");
  c.Do(domain::AddMessage(c.state(), kPriya, "We are checking", Channel::kEmail, monday10));
  SlaSnapshot s = ComputeSla(c.state(), *policy, monday10);
  EXPECT_EQ(Find(s, DeadlineKind::kFirstResponse), nullptr);
  const Deadline* update = Find(s, DeadlineKind::kNextUpdate);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->key, "case:42:next_update:e0.u1");
  EXPECT_EQ(Show(update->due_at), "2026-12-02T09:00:00.000000Z");  // 16h later: Wed 10:00

  const Timestamp tuesday = At("2026-12-01T10:00:00Z");
  c.Do(domain::AddMessage(c.state(), kPriya, "Still on it", Channel::kEmail, tuesday));
  s = ComputeSla(c.state(), *policy, tuesday);
  update = Find(s, DeadlineKind::kNextUpdate);
  EXPECT_EQ(update->key, "case:42:next_update:e0.u2");
  EXPECT_EQ(Show(update->due_at), "2026-12-03T10:00:00.000000Z");
  // Customer messages do not move the company's clocks.
  c.Do(domain::AddMessage(c.state(), kAsha, "Any news?", Channel::kWeb, tuesday + 1h));
  EXPECT_EQ(ComputeSla(c.state(), *policy, tuesday + 1h).deadlines[0].key,
            "case:42:next_update:e0.u2");
}

TEST(SlaClock, PendingPausesAndResumesWithTheSameKey) {
  auto policy = OfficePolicy();
  const Timestamp monday9 = At("2026-11-30T08:00:00Z");
  TestCase c(monday9);
  // One hour in, the agent asks the customer for a photo (pending pauses every clock).
  c.Do(domain::ChangeStatus(c.state(), kPriya, CaseStatus::kPending, "need a photo", monday9 + 1h));
  SlaSnapshot s = ComputeSla(c.state(), *policy, monday9 + 3h);
  EXPECT_TRUE(s.waiting_for_customer);
  const Deadline* first = Find(s, DeadlineKind::kFirstResponse);
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(first->due_at.has_value());
  EXPECT_EQ(first->paused, 2h);
  EXPECT_FALSE(s.next_due.has_value());
  // The customer answers at 14:00 local: the case reopens, 3 hours remain.
  c.Do(domain::AddMessage(c.state(), kAsha, "Photo attached", Channel::kWeb, monday9 + 5h));
  s = ComputeSla(c.state(), *policy, monday9 + 5h);
  first = Find(s, DeadlineKind::kFirstResponse);
  EXPECT_EQ(first->key, "case:42:first_response:e0");
  EXPECT_EQ(Show(first->due_at), "2026-11-30T16:00:00.000000Z");  // 14:00 + 3h = 17:00
  EXPECT_EQ(first->paused, 4h);
  EXPECT_FALSE(s.waiting_for_customer);
}

TEST(SlaClock, OnHoldPausesOnlyResolution) {
  auto policy = OfficePolicy();
  const Timestamp monday9 = At("2026-11-30T08:00:00Z");
  TestCase c(monday9);
  c.Do(domain::AddMessage(c.state(), kPriya, "Asked the warehouse", Channel::kEmail, monday9 + 1h));
  c.Do(domain::ChangeStatus(c.state(), kPriya, CaseStatus::kOnHold, "warehouse", monday9 + 1h));
  const SlaSnapshot s = ComputeSla(c.state(), *policy, monday9 + 30h);
  EXPECT_FALSE(Find(s, DeadlineKind::kResolution)->due_at.has_value());
  const Deadline* update = Find(s, DeadlineKind::kNextUpdate);
  ASSERT_TRUE(update->due_at.has_value());  // the customer still has a date
  EXPECT_EQ(Show(update->due_at), "2026-12-02T09:00:00.000000Z");
  EXPECT_EQ(s.next_step_due, update->due_at);
}

TEST(SlaClock, EscalationRestartsTheClocksWithTheNewLevelsTargets) {
  auto policy = OfficePolicy();
  const Timestamp monday9 = At("2026-11-30T08:00:00Z");
  TestCase c(monday9);
  c.Do(domain::AddMessage(c.state(), kPriya, "Rejected", Channel::kEmail, monday9 + 1h));
  domain::EscalateInput in{domain::EscalationTrigger::kRepeatContact,
                           2,
                           "L2 Escalations",
                           21,
                           "Meera",
                           "third contact",
                           {}};
  c.Do(domain::Escalate(c.state(), kSystem, in, monday9 + 2h));
  const SlaSnapshot s = ComputeSla(c.state(), *policy, monday9 + 2h);
  const Deadline* first = Find(s, DeadlineKind::kFirstResponse);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->key, "case:42:first_response:e1");
  EXPECT_EQ(first->target, 2h);
  EXPECT_EQ(Show(first->due_at), "2026-11-30T12:00:00.000000Z");
  EXPECT_EQ(Find(s, DeadlineKind::kResolution)->key, "case:42:resolution:e1");
  EXPECT_EQ(Find(s, DeadlineKind::kResolution)->target, 40h);
}

TEST(SlaClock, RecordedBreachIsNoLongerPendingButStillShown) {
  auto policy = OfficePolicy();
  const Timestamp monday9 = At("2026-11-30T08:00:00Z");
  TestCase c(monday9);
  const Timestamp late = monday9 + 5h;
  SlaSnapshot s = ComputeSla(c.state(), *policy, late);
  const Deadline first = *Find(s, DeadlineKind::kFirstResponse);
  EXPECT_TRUE(first.breached);
  EXPECT_TRUE(first.Pending());
  c.Do(domain::RecordSlaBreach(
      c.state(), kSystem, {domain::SlaClockKind::kFirstResponse, first.key, *first.due_at}, late));
  s = ComputeSla(c.state(), *policy, late);
  EXPECT_TRUE(Find(s, DeadlineKind::kFirstResponse)->recorded);
  EXPECT_FALSE(Find(s, DeadlineKind::kFirstResponse)->Pending());
  EXPECT_EQ(s.next_step_due, first.due_at);                           // overdue, and said so
  EXPECT_EQ(s.next_due, Find(s, DeadlineKind::kResolution)->due_at);  // scheduler moves on
  // A second firing of the same deadline is refused, so it is recorded exactly once.
  auto again = domain::RecordSlaBreach(
      c.state(), kSystem, {domain::SlaClockKind::kFirstResponse, first.key, *first.due_at}, late);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST(SlaClock, SolvedStopsClocksAndReopeningResumesResolution) {
  auto policy = OfficePolicy();
  const Timestamp monday9 = At("2026-11-30T08:00:00Z");
  TestCase c(monday9);
  c.Do(domain::AddMessage(c.state(), kPriya, "Refunded", Channel::kEmail, monday9 + 1h));
  c.Do(domain::ChangeStatus(c.state(), kPriya, CaseStatus::kSolved, "refunded", monday9 + 2h));
  SlaSnapshot s = ComputeSla(c.state(), *policy, monday9 + 3h);
  EXPECT_TRUE(s.deadlines.empty());
  EXPECT_FALSE(s.next_step_due.has_value());
  // Tuesday 09:00: the refund did not arrive; the customer writes, the case reopens.
  const Timestamp tuesday9 = At("2026-12-01T08:00:00Z");
  c.Do(domain::AddMessage(c.state(), kAsha, "No refund yet", Channel::kWeb, tuesday9));
  s = ComputeSla(c.state(), *policy, tuesday9);
  const Deadline* resolution = Find(s, DeadlineKind::kResolution);
  ASSERT_NE(resolution, nullptr);
  EXPECT_EQ(resolution->paused, 6h);  // solved from Monday 11:00 to closing at 17:00
  // 2h used on Monday, 22h left from Tuesday 09:00: Tue 8h, Wed 8h, Thu 6h -> Thu 15:00.
  EXPECT_EQ(Show(resolution->due_at), "2026-12-03T14:00:00.000000Z");
}

TEST(SlaClock, OpenPromisesAreDeadlines) {
  auto policy = OfficePolicy();
  const Timestamp monday9 = At("2026-11-30T08:00:00Z");
  TestCase c(monday9);
  c.Do(domain::MakePromise(c.state(), kPriya, {"Cashback credited", monday9 + 48h}, monday9 + 1h));
  SlaSnapshot s = ComputeSla(c.state(), *policy, monday9 + 1h);
  const Deadline* promise = Find(s, DeadlineKind::kPromise);
  ASSERT_NE(promise, nullptr);
  EXPECT_EQ(promise->key, "case:42:promise:1");
  EXPECT_EQ(promise->due_at, monday9 + 48h);
  c.Do(domain::KeepPromise(c.state(), kPriya, 1, "credited", monday9 + 2h));
  s = ComputeSla(c.state(), *policy, monday9 + 2h);
  EXPECT_EQ(Find(s, DeadlineKind::kPromise), nullptr);
}

TEST(SlaClock, ClosedCaseHasNoDeadlines) {
  auto policy = OfficePolicy();
  TestCase c(kFriday16);
  c.Do(domain::ChangeStatus(c.state(), kPriya, CaseStatus::kClosed, "spam", kFriday16 + 1h));
  EXPECT_TRUE(ComputeSla(c.state(), *policy, kFriday16 + 2h).deadlines.empty());
}

// Deadlines are recomputed, never stored: refolding the log (a restart) or reading the
// commitments back from their JSON column gives the same keys and due times, breaches
// already on record included.
TEST(SlaClock, DeadlinesSurviveARestart) {
  auto policy = OfficePolicy();
  const Timestamp monday9 = At("2026-11-30T08:00:00Z");
  TestCase c(monday9);
  c.Do(domain::AddMessage(c.state(), kPriya, "Looking", Channel::kEmail, monday9 + 1h));
  c.Do(domain::ChangeStatus(c.state(), kPriya, CaseStatus::kPending, "photo?", monday9 + 2h));
  c.Do(domain::AddMessage(c.state(), kAsha, "Photo", Channel::kWeb, monday9 + 4h));
  c.Do(domain::MakePromise(c.state(), kPriya, {"Pickup booked", monday9 + 30h}, monday9 + 5h));
  const Timestamp later = monday9 + 60h;
  const SlaSnapshot before = ComputeSla(c.state(), *policy, later);
  const Deadline& overdue = before.deadlines[0];
  ASSERT_TRUE(overdue.breached);
  c.Do(domain::RecordSlaBreach(c.state(), kSystem,
                               {*ClockOf(overdue.kind), overdue.key, *overdue.due_at}, later));
  const SlaSnapshot live = ComputeSla(c.state(), *policy, later);

  auto refolded = domain::Fold(c.events());
  ASSERT_TRUE(refolded.has_value()) << refolded.error().message;
  domain::CaseState from_column = c.state();
  auto column = domain::CommitmentsFromJson(domain::ToJson(c.state().commitments));
  ASSERT_TRUE(column.has_value());
  from_column.commitments = *column;
  for (const domain::CaseState* s : {&*refolded, &from_column}) {
    const SlaSnapshot again = ComputeSla(*s, *policy, later);
    ASSERT_EQ(again.deadlines.size(), live.deadlines.size());
    for (size_t i = 0; i < live.deadlines.size(); ++i) {
      EXPECT_EQ(again.deadlines[i].key, live.deadlines[i].key);
      EXPECT_EQ(again.deadlines[i].due_at, live.deadlines[i].due_at);
      EXPECT_EQ(again.deadlines[i].recorded, live.deadlines[i].recorded);
      EXPECT_EQ(again.deadlines[i].paused, live.deadlines[i].paused);
    }
    EXPECT_EQ(again.next_due, live.next_due);
  }
  EXPECT_TRUE(live.deadlines[0].recorded);
}

// Whatever happens to a case, while the company owes the next step it has a date.
TEST(SlaClock, NeverAPendingStateWithoutADueTime) {
  auto policy = OfficePolicy();
  std::mt19937 random(20261201);
  for (int run = 0; run < 40; ++run) {
    Timestamp now = At("2026-11-27T15:00:00Z") + std::chrono::minutes(random() % 10000);
    TestCase c(now);
    for (int step = 0; step < 30; ++step) {
      now += std::chrono::minutes(1 + random() % 600);
      const domain::CaseState& s = c.state();
      switch (random() % 6) {
        case 0:
          c.Do(domain::AddMessage(s, kAsha, "hello?", Channel::kWeb, now));
          break;
        case 1:
          c.Do(domain::AddMessage(s, kPriya, "update", Channel::kEmail, now));
          break;
        case 2:
          if (s.status != CaseStatus::kPending) {
            c.Do(domain::ChangeStatus(s, kPriya, CaseStatus::kPending, "", now));
          }
          break;
        case 3:
          if (s.status != CaseStatus::kOnHold) {
            c.Do(domain::ChangeStatus(s, kPriya, CaseStatus::kOnHold, "", now));
          }
          break;
        case 4:
          if (s.status != CaseStatus::kOpen && s.status != CaseStatus::kNew) {
            c.Do(domain::ChangeStatus(s, kPriya, CaseStatus::kOpen, "", now));
          }
          break;
        case 5:
          if (s.level < 3) {
            domain::EscalateInput in{domain::EscalationTrigger::kManual,
                                     s.level + 1,
                                     "next",
                                     std::nullopt,
                                     "",
                                     "test",
                                     {}};
            c.Do(domain::Escalate(s, kMeera, in, now));
          }
          break;
      }
      const SlaSnapshot snap = ComputeSla(c.state(), *policy, now);
      const CaseStatus st = c.state().status;
      if (st != CaseStatus::kPending && st != CaseStatus::kSolved && st != CaseStatus::kClosed) {
        ASSERT_TRUE(snap.next_step_due.has_value())
            << "run " << run << " step " << step << " status " << domain::CaseStatusName(st);
      }
      for (const Deadline& d : snap.deadlines) {
        // Keys are unique within a snapshot.
        for (const Deadline& other : snap.deadlines) {
          if (&d != &other) {
            ASSERT_NE(d.key, other.key);
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace redress::policy
