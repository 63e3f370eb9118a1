// The server's clock in test-clock mode (`redress serve --test-clock`), after Stripe's test
// clocks: time stands still until an admin sets or advances it through the API, so that
// acceptance tests can walk a case through days of SLA deadlines without sleeping.
//
// It exists only when the server was started with --test-clock: without that flag the
// composition root uses SystemClock and the test-clock routes are never registered, so no
// request, config key or environment variable can turn it on in a running server.
//
// Time only moves forward. Events carry the time they happened and every SLA computation
// assumes "now" never decreases; a clock that could go back would let a test build a case
// history that no real server could.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace redress::app {

class TestClock final : public Clock {
 public:
  explicit TestClock(Timestamp start) : now_(start) {}

  Timestamp Now() const override;

  /// Moves the clock to `t`. kInvalidArgument if `t` is before the current time.
  Result<Timestamp> Set(Timestamp t);
  /// Moves the clock forward by `d` (which must not be negative).
  Result<Timestamp> Advance(std::chrono::microseconds d);

  /// Called after every move, outside the lock, with the new time: the scheduler uses it
  /// to look for deadlines that are now due. Register before the server starts.
  void OnMoved(std::function<void(Timestamp)> observer);

 private:
  Result<Timestamp> MoveTo(Timestamp t);

  mutable std::mutex mu_;
  Timestamp now_;
  std::vector<std::function<void(Timestamp)>> observers_;
};

}  // namespace redress::app
