#include "app/test_clock.h"

#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/time_format.h"

namespace redress::app {
namespace {

using namespace std::chrono_literals;

Timestamp At(const char* text) { return ParseTimestamp(text).value(); }

TEST(TestClockTest, StandsStillUntilMoved) {
  TestClock clock(At("2026-03-02T09:00:00Z"));
  const Timestamp first = clock.Now();
  std::this_thread::sleep_for(2ms);  // real time passes; the test clock must not notice
  EXPECT_EQ(clock.Now(), first);
}

TEST(TestClockTest, AdvancesAndSetsForward) {
  TestClock clock(At("2026-03-02T09:00:00Z"));
  ASSERT_TRUE(clock.Advance(std::chrono::hours(49)));
  EXPECT_EQ(FormatTimestamp(clock.Now()), "2026-03-04T10:00:00.000000Z");
  ASSERT_TRUE(clock.Set(At("2026-03-10T00:00:00Z")));
  EXPECT_EQ(FormatTimestamp(clock.Now()), "2026-03-10T00:00:00.000000Z");
  ASSERT_TRUE(clock.Set(At("2026-03-10T00:00:00Z")));  // standing still is allowed
}

TEST(TestClockTest, RefusesToGoBack) {
  TestClock clock(At("2026-03-02T09:00:00Z"));
  auto back = clock.Set(At("2026-03-02T08:59:59Z"));
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(back.error().message.find("only moves forward"), std::string::npos);
  EXPECT_FALSE(clock.Advance(-1us));
  EXPECT_EQ(FormatTimestamp(clock.Now()), "2026-03-02T09:00:00.000000Z");
}

TEST(TestClockTest, ObserversHearEveryMoveWithTheNewTime) {
  TestClock clock(At("2026-03-02T09:00:00Z"));
  std::vector<Timestamp> heard;
  clock.OnMoved([&heard](Timestamp t) { heard.push_back(t); });
  ASSERT_TRUE(clock.Advance(1h));
  ASSERT_TRUE(clock.Set(At("2026-03-03T00:00:00Z")));
  EXPECT_FALSE(clock.Set(At("2026-03-01T00:00:00Z")));  // refused: not heard
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(FormatTimestamp(heard[0]), "2026-03-02T10:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(heard[1]), "2026-03-03T00:00:00.000000Z");
}

TEST(TestClockTest, ObserverMayReadTheClock) {
  // The observer runs outside the lock: reading Now() from it must not deadlock.
  TestClock clock(At("2026-03-02T09:00:00Z"));
  Timestamp seen{};
  clock.OnMoved([&](Timestamp) { seen = clock.Now(); });
  ASSERT_TRUE(clock.Advance(5min));
  EXPECT_EQ(FormatTimestamp(seen), "2026-03-02T09:05:00.000000Z");
}

}  // namespace
}  // namespace redress::app
