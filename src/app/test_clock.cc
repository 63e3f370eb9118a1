#include "app/test_clock.h"

#include <utility>

#include "core/time_format.h"

namespace redress::app {

Timestamp TestClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

Result<Timestamp> TestClock::Set(Timestamp t) { return MoveTo(t); }

Result<Timestamp> TestClock::Advance(std::chrono::microseconds d) {
  if (d.count() < 0) {
    return Fail(ErrorCode::kInvalidArgument, "the test clock only moves forward");
  }
  Timestamp target;
  {
    std::lock_guard lock(mu_);
    target = now_ + d;
  }
  return MoveTo(target);
}

void TestClock::OnMoved(std::function<void(Timestamp)> observer) {
  std::lock_guard lock(mu_);
  observers_.push_back(std::move(observer));
}

Result<Timestamp> TestClock::MoveTo(Timestamp t) {
  std::vector<std::function<void(Timestamp)>> observers;
  {
    std::lock_guard lock(mu_);
    if (t < now_) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the test clock only moves forward: it is " + FormatTimestamp(now_) +
                      ", cannot set it to " + FormatTimestamp(t));
    }
    now_ = t;
    observers = observers_;
  }
  for (const auto& observer : observers) observer(t);
  return t;
}

}  // namespace redress::app
