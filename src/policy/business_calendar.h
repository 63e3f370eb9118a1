// Business time: the hours a level works, in its own time zone, minus its holidays. SLA
// targets are counted in business time, so "first response within 4h" at a 09:00-18:00
// desk opened on Friday at 17:00 is due on Monday at 12:00.
//
// Time zones come from Howard Hinnant's date/tz library (Debian: libhowardhinnant-date-dev,
// built with USE_OS_TZDB so it reads the system's tzdata in /usr/share/zoneinfo). It is the
// library std::chrono's C++20 time-zone support was standardised from, which libstdc++ 12
// lacks; the switch to std::chrono::locate_zone later is a change of namespace. Nothing
// here reads the process's TZ: the zone is an explicit input (docs/escalation.md).
//
// Opening hours are wall-clock intervals per weekday that do not cross midnight (an
// overnight shift is two intervals). Each day's intervals are turned into UTC instants on
// their own date, so a day on which DST starts or ends has its true length: the 24x7
// calendar's Sunday of the spring change is 23 hours long. A wall-clock time that does not
// exist (02:30 on the spring-forward night) maps to the instant of the change; one that
// exists twice maps to its earlier occurrence.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace date {
class time_zone;
}

namespace redress::policy {

/// [start_minute, end_minute) of local wall-clock time, 0 <= start < end <= 1440.
struct OpeningInterval {
  int start_minute = 0;
  int end_minute = 0;

  bool operator==(const OpeningInterval&) const = default;
};

struct CalendarSpec {
  std::string name;
  std::string time_zone;  // IANA name, "Europe/Berlin"
  /// Index 0 is Monday, 6 Sunday. An empty day is closed.
  std::array<std::vector<OpeningInterval>, 7> weekly;
  std::vector<std::chrono::year_month_day> holidays;  // local dates, closed all day
};

class BusinessCalendar {
 public:
  /// Validates and builds a calendar. kInvalidArgument (message only, no position: the
  /// loader adds that) for an unknown time zone, an interval outside 00:00-24:00 or empty,
  /// overlapping intervals on one day, no opening hours at all, or an invalid holiday.
  static Result<BusinessCalendar> Create(CalendarSpec spec);

  /// The instant at which `amount` of business time has passed since `start`. Zero gives
  /// `start` itself; otherwise the result is always inside opening hours (or at the end
  /// of an interval). `amount` must not be negative.
  Timestamp AddBusinessTime(Timestamp start, std::chrono::microseconds amount) const;

  /// Business time in [from, to); zero when to <= from.
  std::chrono::microseconds BusinessTimeBetween(Timestamp from, Timestamp to) const;

  /// Whether `t` falls inside opening hours.
  bool IsOpen(Timestamp t) const;

  const std::string& name() const { return spec_.name; }
  const std::string& time_zone() const { return spec_.time_zone; }
  /// Open every minute of every day with no holidays: business time is elapsed time.
  bool always_open() const { return always_open_; }

 private:
  BusinessCalendar(CalendarSpec spec, const date::time_zone* zone);

  // Calls visit(open_from, open_to) for the UTC opening intervals that end after `from`,
  // in time order, until visit returns false.
  template <class Visit>
  void ForEachOpening(Timestamp from, Visit visit) const;

  CalendarSpec spec_;
  const date::time_zone* zone_;        // owned by the tz database, lives for the whole process
  std::vector<int64_t> holiday_days_;  // days since 1970-01-01 (local dates), sorted
  bool always_open_ = false;
};

}  // namespace redress::policy
