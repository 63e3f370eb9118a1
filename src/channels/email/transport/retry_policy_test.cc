#include "channels/email/transport/retry_policy.h"

#include <gtest/gtest.h>

#include <random>

#include "core/clock.h"

namespace redress::email::transport {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp kStart{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1}};

TEST(RetryPolicyTest, BaseDelayDoublesFromTheFirstDelayUpToTheCap) {
  RetryPolicy policy;
  EXPECT_EQ(BaseRetryDelay(policy, 1), minutes(1));
  EXPECT_EQ(BaseRetryDelay(policy, 2), minutes(2));
  EXPECT_EQ(BaseRetryDelay(policy, 3), minutes(4));
  EXPECT_EQ(BaseRetryDelay(policy, 6), minutes(32));
  EXPECT_EQ(BaseRetryDelay(policy, 7), hours(1));     // 64 min capped
  EXPECT_EQ(BaseRetryDelay(policy, 5000), hours(1));  // no overflow
}

TEST(RetryPolicyTest, PermanentFailureGivesUpAtOnce) {
  RetryDecision decision =
      DecideRetry(RetryPolicy{}, FailureClass::kPermanent, 1, kStart, kStart, 0.5);
  EXPECT_TRUE(decision.give_up);
  EXPECT_NE(decision.reason.find("permanently"), std::string::npos);
}

TEST(RetryPolicyTest, JitterStaysWithinItsBounds) {
  RetryPolicy policy;  // 20 % jitter
  Timestamp now = kStart + minutes(10);
  auto delay_for = [&](double sample) {
    return DecideRetry(policy, FailureClass::kTemporary, 3, kStart, now, sample).next_attempt - now;
  };
  EXPECT_EQ(delay_for(0.0), microseconds(seconds(192)));  // 4 min * 0.8
  EXPECT_EQ(delay_for(0.5), microseconds(minutes(4)));
  EXPECT_LE(delay_for(0.999999), microseconds(seconds(288)));  // 4 min * 1.2
  EXPECT_GT(delay_for(0.999999), microseconds(seconds(287)));
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int i = 0; i < 1000; ++i) {
    auto delay = delay_for(uniform(random));
    ASSERT_GE(delay, microseconds(seconds(192)));
    ASSERT_LE(delay, microseconds(seconds(288)));
  }
}

TEST(RetryPolicyTest, TemporaryFailuresAreRetriedForFiveDaysWithALastAttemptAtTheDeadline) {
  RetryPolicy policy;
  FakeClock clock(kStart);
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int failed = 0;
  std::vector<Timestamp> attempts{clock.Now()};
  for (;;) {
    ++failed;
    RetryDecision decision =
        DecideRetry(policy, FailureClass::kTemporary, failed, kStart, clock.Now(), uniform(random));
    if (decision.give_up) {
      EXPECT_NE(decision.reason.find("120 hours"), std::string::npos) << decision.reason;
      break;
    }
    ASSERT_GT(decision.next_attempt, clock.Now());
    clock.Set(decision.next_attempt);
    attempts.push_back(clock.Now());
    ASSERT_LT(failed, 1000) << "never gave up";
  }
  EXPECT_EQ(attempts.back(), kStart + hours(24 * 5));  // the last retry sits on the deadline
  // 7 growing delays (1..32 min, then the cap) and about one an hour for the rest.
  EXPECT_GT(attempts.size(), 110u);
  EXPECT_LT(attempts.size(), 160u);
  EXPECT_LT(attempts[1] - attempts[0], microseconds(minutes(2)));
  for (size_t i = 8; i + 1 < attempts.size(); ++i) {
    ASSERT_GE(attempts[i] - attempts[i - 1], microseconds(minutes(48)));  // 1 h - 20 %
    ASSERT_LE(attempts[i] - attempts[i - 1], microseconds(minutes(72)));  // 1 h + 20 %
  }
}

TEST(RetryPolicyTest, FailureAfterTheDeadlineGivesUp) {
  RetryDecision decision = DecideRetry(RetryPolicy{}, FailureClass::kTemporary, 9, kStart,
                                       kStart + hours(24 * 5) + seconds(1), 0.5);
  EXPECT_TRUE(decision.give_up);
  RetryDecision just_before = DecideRetry(RetryPolicy{}, FailureClass::kTemporary, 9, kStart,
                                          kStart + hours(24 * 5) - seconds(1), 0.5);
  EXPECT_FALSE(just_before.give_up);
  EXPECT_EQ(just_before.next_attempt, kStart + hours(24 * 5));
}

TEST(RetryPolicyTest, UnworkablePoliciesAreRefusedNamingTheField) {
  EXPECT_TRUE(ValidateRetryPolicy(RetryPolicy{}));
  RetryPolicy policy;
  policy.jitter = 1.0;
  EXPECT_EQ(ValidateRetryPolicy(policy).error().field, "jitter");
  policy = RetryPolicy{};
  policy.multiplier = 0.5;
  EXPECT_EQ(ValidateRetryPolicy(policy).error().field, "multiplier");
  policy = RetryPolicy{};
  policy.max_delay = seconds(10);
  EXPECT_EQ(ValidateRetryPolicy(policy).error().field, "max_delay");
  policy = RetryPolicy{};
  policy.first_delay = seconds(0);
  EXPECT_EQ(ValidateRetryPolicy(policy).error().field, "first_delay");
  policy = RetryPolicy{};
  policy.give_up_after = seconds(0);
  EXPECT_EQ(ValidateRetryPolicy(policy).error().field, "give_up_after");
}

}  // namespace
}  // namespace redress::email::transport
