#include "channels/email/transport/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace redress::email::transport {

using std::chrono::microseconds;

Result<void> ValidateRetryPolicy(const RetryPolicy& policy) {
  if (policy.first_delay.count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "the first retry delay must be positive",
                "first_delay");
  }
  if (!(policy.multiplier >= 1.0)) {
    return Fail(ErrorCode::kInvalidArgument, "the backoff multiplier must be at least 1",
                "multiplier");
  }
  if (policy.max_delay < policy.first_delay) {
    return Fail(ErrorCode::kInvalidArgument,
                "the longest retry delay must not be shorter than the first", "max_delay");
  }
  if (!(policy.jitter >= 0.0 && policy.jitter < 1.0)) {
    return Fail(ErrorCode::kInvalidArgument, "the jitter must be a fraction in [0, 1)", "jitter");
  }
  if (policy.give_up_after.count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "the give-up time must be positive", "give_up_after");
  }
  return {};
}

microseconds BaseRetryDelay(const RetryPolicy& policy, int failed_attempts) {
  double first = static_cast<double>(microseconds(policy.first_delay).count());
  double cap = static_cast<double>(microseconds(policy.max_delay).count());
  // Computed in double and capped before converting, so attempt 500 cannot overflow.
  double delay = first * std::pow(policy.multiplier, std::max(0, failed_attempts - 1));
  return microseconds(static_cast<int64_t>(std::min(delay, cap)));
}

RetryDecision DecideRetry(const RetryPolicy& policy, FailureClass failure, int failed_attempts,
                          Timestamp first_attempt, Timestamp now, double jitter_sample) {
  if (failure == FailureClass::kPermanent) {
    return {true, {}, "the server refused the message permanently"};
  }
  Timestamp deadline = first_attempt + microseconds(policy.give_up_after);
  if (now >= deadline) {
    auto hours = std::chrono::duration_cast<std::chrono::hours>(policy.give_up_after).count();
    return {true,
            {},
            "still failing after " + std::to_string(failed_attempts) + " attempts over " +
                std::to_string(hours) + " hours"};
  }
  double sample = std::clamp(jitter_sample, 0.0, 1.0);
  double factor = 1.0 - policy.jitter + 2.0 * policy.jitter * sample;
  double base = static_cast<double>(BaseRetryDelay(policy, failed_attempts).count());
  Timestamp next = now + microseconds(static_cast<int64_t>(base * factor));
  return {false, std::min(next, deadline), {}};
}

}  // namespace redress::email::transport
