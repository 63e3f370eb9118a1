// Time is an input. Nothing in Redress reads the system clock directly: it asks a Clock,
// so that SLA and ordering logic can be tested by moving a FakeClock instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace redress {

/// Microseconds since the Unix epoch, UTC. Microseconds because SQLite and PostgreSQL both
/// store them exactly and two events in one millisecond must still order.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  /// Current time. Thread-safe.
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

/// A clock that only moves when told to. Thread-safe, so a test can advance it while a
/// server thread reads it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_us_(start.time_since_epoch().count()) {}
  Timestamp Now() const override {
    return Timestamp(std::chrono::microseconds(now_us_.load(std::memory_order_acquire)));
  }
  void Set(Timestamp t) { now_us_.store(t.time_since_epoch().count(), std::memory_order_release); }
  void Advance(std::chrono::microseconds d) { now_us_.fetch_add(d.count(), std::memory_order_acq_rel); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace redress
