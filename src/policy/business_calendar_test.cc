#include "policy/business_calendar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/time_format.h"

namespace redress::policy {
namespace {

using namespace std::chrono_literals;
using std::chrono::year_month_day;

Timestamp At(const char* rfc3339) {
  auto t = ParseTimestamp(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(Timestamp{});
}

std::string Show(Timestamp t) { return FormatTimestamp(t); }

OpeningInterval Hours(int from_h, int from_m, int to_h, int to_m) {
  return {from_h * 60 + from_m, to_h * 60 + to_m};
}

BusinessCalendar Make(std::string zone, std::vector<OpeningInterval> weekday_hours,
                      std::vector<year_month_day> holidays = {}, bool saturday = false) {
  CalendarSpec spec;
  spec.name = "test";
  spec.time_zone = std::move(zone);
  for (int d = 0; d < 5; ++d) spec.weekly[static_cast<size_t>(d)] = weekday_hours;
  if (saturday) spec.weekly[5] = weekday_hours;
  spec.holidays = std::move(holidays);
  auto cal = BusinessCalendar::Create(std::move(spec));
  EXPECT_TRUE(cal.has_value()) << cal.error().message;
  return std::move(*cal);
}

BusinessCalendar AllWeek(std::string zone, std::vector<year_month_day> holidays = {}) {
  CalendarSpec spec;
  spec.name = "24x7";
  spec.time_zone = std::move(zone);
  for (auto& day : spec.weekly) day = {Hours(0, 0, 24, 0)};
  spec.holidays = std::move(holidays);
  auto cal = BusinessCalendar::Create(std::move(spec));
  EXPECT_TRUE(cal.has_value()) << cal.error().message;
  return std::move(*cal);
}

constexpr year_month_day Day(int y, unsigned m, unsigned d) {
  return year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// 2026-11-27 is a Friday; Berlin is on CET (UTC+1) then.
TEST(BusinessCalendar, FridayEveningStartContinuesOnMonday) {
  const auto berlin = Make("Europe/Berlin", {Hours(9, 0, 17, 0)});
  // 16:00 CET: one hour left on Friday, three more on Monday from 09:00.
  EXPECT_EQ(Show(berlin.AddBusinessTime(At("2026-11-27T15:00:00Z"), 4h)),
            "2026-11-30T11:00:00.000000Z");
  // After hours on Friday: the whole target lands on Monday.
  EXPECT_EQ(Show(berlin.AddBusinessTime(At("2026-11-27T19:30:00Z"), 4h)),
            "2026-11-30T12:00:00.000000Z");
  EXPECT_EQ(berlin.BusinessTimeBetween(At("2026-11-27T15:00:00Z"), At("2026-11-30T11:00:00Z")), 4h);
}

TEST(BusinessCalendar, StartBeforeOpeningAndAcrossABreak) {
  const auto berlin = Make("Europe/Berlin", {Hours(9, 0, 13, 0), Hours(14, 0, 18, 0)});
  // Monday 07:00 CET -> opens at 09:00, +30 min.
  EXPECT_EQ(Show(berlin.AddBusinessTime(At("2026-11-30T06:00:00Z"), 30min)),
            "2026-11-30T08:30:00.000000Z");
  // Monday 12:30 + 1h: 30 min before lunch, 30 min after it.
  EXPECT_EQ(Show(berlin.AddBusinessTime(At("2026-11-30T11:30:00Z"), 1h)),
            "2026-11-30T13:30:00.000000Z");
  EXPECT_EQ(berlin.BusinessTimeBetween(At("2026-11-30T11:30:00Z"), At("2026-11-30T13:30:00Z")), 1h);
  EXPECT_FALSE(berlin.IsOpen(At("2026-11-30T12:30:00Z")));  // 13:30 local: lunch
  EXPECT_TRUE(berlin.IsOpen(At("2026-11-30T13:00:00Z")));   // 14:00 local
  EXPECT_FALSE(berlin.IsOpen(At("2026-11-29T10:00:00Z")));  // Sunday
}

TEST(BusinessCalendar, HolidaysAreClosedAllDay) {
  // 2026-12-24 is a Thursday; the 25th (Friday) is a holiday; the 28th is Monday.
  const auto berlin = Make("Europe/Berlin", {Hours(9, 0, 17, 0)}, {Day(2026, 12, 25)});
  EXPECT_EQ(Show(berlin.AddBusinessTime(At("2026-12-24T15:00:00Z"), 2h)),
            "2026-12-28T09:00:00.000000Z");
  EXPECT_EQ(berlin.BusinessTimeBetween(At("2026-12-24T08:00:00Z"), At("2026-12-28T16:00:00Z")),
            16h);
  EXPECT_FALSE(berlin.IsOpen(At("2026-12-25T10:00:00Z")));
}

TEST(BusinessCalendar, BerlinSpringForwardWeekend) {
  // DST starts on Sunday 2026-03-29: Friday is UTC+1, Monday UTC+2.
  const auto berlin = Make("Europe/Berlin", {Hours(9, 0, 17, 0)});
  EXPECT_EQ(Show(berlin.AddBusinessTime(At("2026-03-27T15:00:00Z"), 2h)),
            "2026-03-30T08:00:00.000000Z");  // Monday 10:00 CEST
  // A 24x7 calendar (kept off the fast path by an unrelated holiday) counts the short day.
  const auto always = AllWeek("Europe/Berlin", {Day(2030, 1, 1)});
  EXPECT_FALSE(always.always_open());
  EXPECT_EQ(always.BusinessTimeBetween(At("2026-03-28T23:00:00Z"),   // Sun 00:00 CET
                                       At("2026-03-29T22:00:00Z")),  // Mon 00:00 CEST
            23h);
  EXPECT_EQ(Show(always.AddBusinessTime(At("2026-03-28T23:00:00Z"), 24h)),
            "2026-03-29T23:00:00.000000Z");
}

TEST(BusinessCalendar, BerlinFallBackDayHas25Hours) {
  const auto always = AllWeek("Europe/Berlin", {Day(2030, 1, 1)});
  EXPECT_EQ(always.BusinessTimeBetween(At("2026-10-24T22:00:00Z"),   // Sun 00:00 CEST
                                       At("2026-10-25T23:00:00Z")),  // Mon 00:00 CET
            25h);
  // Office hours straddling the change: Friday 16:00 CEST + 2h -> Monday 10:00 CET.
  const auto berlin = Make("Europe/Berlin", {Hours(9, 0, 17, 0)});
  EXPECT_EQ(Show(berlin.AddBusinessTime(At("2026-10-23T14:00:00Z"), 2h)),
            "2026-10-26T09:00:00.000000Z");
}

TEST(BusinessCalendar, NewYorkSpringForward) {
  // DST starts Sunday 2026-03-08 in New York: Friday UTC-5, Monday UTC-4.
  const auto ny = Make("America/New_York", {Hours(9, 0, 17, 0)});
  EXPECT_EQ(Show(ny.AddBusinessTime(At("2026-03-06T21:30:00Z"), 1h)),  // Fri 16:30 EST
            "2026-03-09T13:30:00.000000Z");                            // Mon 09:30 EDT
  // A night desk opening at 02:30 local has no 02:30 on the change night: it opens at 03:00.
  CalendarSpec spec;
  spec.name = "night";
  spec.time_zone = "America/New_York";
  for (auto& day : spec.weekly) day = {Hours(2, 30, 4, 0)};
  auto night = BusinessCalendar::Create(spec);
  ASSERT_TRUE(night.has_value());
  EXPECT_EQ(night->BusinessTimeBetween(At("2026-03-08T05:00:00Z"), At("2026-03-08T10:00:00Z")),
            1h);  // 03:00-04:00 EDT only
}

TEST(BusinessCalendar, KolkataHasNoDstAndAHalfHourOffset) {
  // 2026-11-28 is a Saturday; the desk works Monday to Saturday 09:30-18:30 IST (UTC+5:30).
  const auto kolkata = Make("Asia/Kolkata", {Hours(9, 30, 18, 30)}, {}, true);
  EXPECT_EQ(Show(kolkata.AddBusinessTime(At("2026-11-28T12:30:00Z"), 1h)),  // Sat 18:00 IST
            "2026-11-30T04:30:00.000000Z");                                 // Mon 10:00 IST
  // A full business week is 6 x 9 hours, whatever the season.
  EXPECT_EQ(kolkata.BusinessTimeBetween(At("2026-03-01T00:00:00Z"), At("2026-03-08T00:00:00Z")),
            54h);
  EXPECT_EQ(kolkata.BusinessTimeBetween(At("2026-10-25T00:00:00Z"), At("2026-11-01T00:00:00Z")),
            54h);
}

TEST(BusinessCalendar, AllWeekIsElapsedTime) {
  const auto always = AllWeek("Asia/Kolkata");
  EXPECT_TRUE(always.always_open());
  const Timestamp t = At("2026-11-27T19:13:07.123456Z");
  EXPECT_EQ(always.AddBusinessTime(t, 72h + 1us), t + 72h + 1us);
  EXPECT_EQ(always.BusinessTimeBetween(t, t + 5min), 5min);
  EXPECT_TRUE(always.IsOpen(t));
}

TEST(BusinessCalendar, ZeroAndNegativeSpans) {
  const auto berlin = Make("Europe/Berlin", {Hours(9, 0, 17, 0)});
  const Timestamp sunday = At("2026-11-29T10:00:00Z");
  EXPECT_EQ(berlin.AddBusinessTime(sunday, 0us), sunday);
  EXPECT_EQ(berlin.BusinessTimeBetween(sunday, sunday - 1h), 0us);
}

// Adding and then measuring must agree, from every hour of a week with a DST change in it.
TEST(BusinessCalendar, AddAndBetweenAreInverse) {
  const auto ny =
      Make("America/New_York", {Hours(8, 0, 12, 0), Hours(13, 0, 17, 30)}, {Day(2026, 3, 10)});
  const Timestamp start = At("2026-03-05T00:00:00Z");
  for (int hour = 0; hour < 24 * 8; ++hour) {
    const Timestamp from = start + std::chrono::hours(hour) + 17min;
    for (std::chrono::minutes amount : {1min, 45min, 240min, 660min, 1800min}) {
      const Timestamp due = ny.AddBusinessTime(from, amount);
      ASSERT_EQ(ny.BusinessTimeBetween(from, due), amount) << Show(from) << " + " << amount.count();
      ASSERT_TRUE(ny.IsOpen(due - 1us)) << Show(due);
    }
  }
}

TEST(BusinessCalendar, CreateRejectsBadCalendars) {
  CalendarSpec spec;
  spec.name = "x";
  spec.time_zone = "Mars/Olympus_Mons";
  spec.weekly[0] = {Hours(9, 0, 17, 0)};
  auto r = BusinessCalendar::Create(spec);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("unknown time zone \"Mars/Olympus_Mons\""), std::string::npos);

  spec.time_zone = "Europe/Berlin";
  spec.weekly[0] = {Hours(18, 0, 9, 0)};
  r = BusinessCalendar::Create(spec);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("monday: opening hours 18:00-09:00"), std::string::npos);

  spec.weekly[0] = {Hours(9, 0, 13, 0), Hours(12, 0, 17, 0)};
  r = BusinessCalendar::Create(spec);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("09:00-13:00 and 12:00-17:00 overlap"), std::string::npos);

  spec.weekly[0] = {};
  r = BusinessCalendar::Create(spec);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("no opening hours"), std::string::npos);

  spec.weekly[0] = {Hours(9, 0, 17, 0)};
  spec.holidays = {Day(2026, 2, 30)};
  r = BusinessCalendar::Create(spec);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("not a valid date"), std::string::npos);
}

}  // namespace
}  // namespace redress::policy
