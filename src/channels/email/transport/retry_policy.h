// When to try an outbound message again, and when to stop. Pure: the outbound queue (a
// durable store job) keeps the attempt count and the time of the first attempt, asks
// DecideRetry after each failure, and stores the answer; time and randomness are inputs,
// so a FakeClock walks the whole schedule in a test.
//
// Schedule: the n-th retry waits first_delay * multiplier^(n-1), capped at max_delay, and
// stretched or shrunk by up to ±jitter so that messages that failed together (a smarthost
// outage) do not all come back in the same second. A temporary failure is retried until
// give_up_after has passed since the first attempt (5 days by default, like Postfix's
// maximal_queue_lifetime); the last retry is placed exactly at that deadline, so a message
// is never abandoned without one attempt at the end. A permanent failure is never retried.
#pragma once

#include <chrono>
#include <string>

#include "channels/email/transport/failure_class.h"
#include "core/clock.h"
#include "core/result.h"

namespace redress::email::transport {

struct RetryPolicy {
  std::chrono::seconds first_delay{std::chrono::minutes(1)};
  double multiplier = 2.0;
  std::chrono::seconds max_delay{std::chrono::hours(1)};
  double jitter = 0.2;  // fraction of the delay, in [0, 1)
  std::chrono::seconds give_up_after{std::chrono::hours(24 * 5)};
};

/// kInvalidArgument naming the field if the policy cannot work (delays not positive,
/// multiplier below 1, max_delay below first_delay, jitter outside [0, 1)).
Result<void> ValidateRetryPolicy(const RetryPolicy& policy);

/// The delay after the `failed_attempts`-th failure before jitter: first_delay for 1,
/// first_delay * multiplier for 2, ... never more than max_delay. failed_attempts >= 1.
std::chrono::microseconds BaseRetryDelay(const RetryPolicy& policy, int failed_attempts);

struct RetryDecision {
  bool give_up = false;
  Timestamp next_attempt{};  // meaningful when !give_up
  std::string reason;        // why we give up ("" when retrying), for the bounce and the case
};

/// What to do after the `failed_attempts`-th failed attempt (counting the first try as
/// attempt 1) of a message first tried at `first_attempt`, failing at `now` with `failure`.
/// `jitter_sample` is a uniform random number in [0, 1) from the caller: 0 gives the
/// shortest delay (base * (1 - jitter)), values near 1 the longest (base * (1 + jitter)).
RetryDecision DecideRetry(const RetryPolicy& policy, FailureClass failure, int failed_attempts,
                          Timestamp first_attempt, Timestamp now, double jitter_sample);

}  // namespace redress::email::transport
