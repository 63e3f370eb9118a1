#include "policy/business_calendar.h"

#include <date/tz.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace redress::policy {
namespace {

using std::chrono::days;
using std::chrono::microseconds;
using std::chrono::minutes;

constexpr int kMinutesPerDay = 24 * 60;
// A calendar with opening hours every week cannot go this long without an opening unless
// its holidays cover years; Create() caps the holiday list well below this.
constexpr int64_t kMaxDaysWithoutOpening = 100 * 366;
constexpr size_t kMaxHolidays = 2000;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

std::string Clock(int minute) {
  const int h = minute / 60;
  const int m = minute % 60;
  std::string text;
  text += static_cast<char>('0' + (h / 10) % 10);
  text += static_cast<char>('0' + h % 10);
  text += ':';
  text += static_cast<char>('0' + m / 10);
  text += static_cast<char>('0' + m % 10);
  return text;
}

const char* const kDayNames[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                  "friday", "saturday", "sunday"};

}  // namespace

Result<BusinessCalendar> BusinessCalendar::Create(CalendarSpec spec) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(spec.time_zone);
  } catch (const std::runtime_error&) {
    return Invalid("unknown time zone \"" + spec.time_zone + "\" (expected an IANA name such as " +
                   "\"Europe/Berlin\")");
  }
  bool any_hours = false;
  for (int day = 0; day < 7; ++day) {
    auto& intervals = spec.weekly[static_cast<size_t>(day)];
    std::sort(intervals.begin(), intervals.end(),
              [](const OpeningInterval& a, const OpeningInterval& b) {
                return a.start_minute < b.start_minute;
              });
    for (size_t i = 0; i < intervals.size(); ++i) {
      const OpeningInterval& iv = intervals[i];
      if (iv.start_minute < 0 || iv.end_minute > kMinutesPerDay ||
          iv.start_minute >= iv.end_minute) {
        return Invalid(std::string(kDayNames[day]) + ": opening hours " + Clock(iv.start_minute) +
                       "-" + Clock(iv.end_minute) +
                       " must start before they end, within 00:00-24:00");
      }
      if (i > 0 && intervals[i - 1].end_minute > iv.start_minute) {
        return Invalid(std::string(kDayNames[day]) + ": opening hours " +
                       Clock(intervals[i - 1].start_minute) + "-" +
                       Clock(intervals[i - 1].end_minute) + " and " + Clock(iv.start_minute) + "-" +
                       Clock(iv.end_minute) + " overlap");
      }
      any_hours = true;
    }
  }
  if (!any_hours) return Invalid("has no opening hours on any day of the week");
  if (spec.holidays.size() > kMaxHolidays) {
    return Invalid("has more than " + std::to_string(kMaxHolidays) + " holidays");
  }
  for (const auto& h : spec.holidays) {
    if (!h.ok()) return Invalid("holiday is not a valid date");
  }
  return BusinessCalendar(std::move(spec), zone);
}

BusinessCalendar::BusinessCalendar(CalendarSpec spec, const date::time_zone* zone)
    : spec_(std::move(spec)), zone_(zone) {
  for (const auto& h : spec_.holidays) {
    holiday_days_.push_back(std::chrono::sys_days(h).time_since_epoch().count());
  }
  std::sort(holiday_days_.begin(), holiday_days_.end());
  holiday_days_.erase(std::unique(holiday_days_.begin(), holiday_days_.end()), holiday_days_.end());
  always_open_ = holiday_days_.empty();
  for (const auto& day : spec_.weekly) {
    // Sorted and non-overlapping, so "one interval covering the day" is the only way.
    const bool whole =
        day.size() == 1 && day[0].start_minute == 0 && day[0].end_minute == kMinutesPerDay;
    always_open_ = always_open_ && whole;
  }
}

template <class Visit>
void BusinessCalendar::ForEachOpening(Timestamp from, Visit visit) const {
  // Start a day early: the local date of `from` may begin before it in UTC, and an
  // interval of the previous local date cannot end after `from` only if it ended by
  // midnight, which the check below skips cheaply.
  const auto local_from = zone_->to_local(from);
  const date::local_days first_day = date::floor<days>(local_from) - days(1);
  for (int64_t offset = 0; offset <= kMaxDaysWithoutOpening; ++offset) {
    const date::local_days day = first_day + days(offset);
    const int64_t day_number = day.time_since_epoch().count();
    if (std::binary_search(holiday_days_.begin(), holiday_days_.end(), day_number)) continue;
    const unsigned iso = date::weekday(day).iso_encoding();  // 1 = Monday
    for (const OpeningInterval& iv : spec_.weekly[iso - 1]) {
      const Timestamp open = std::chrono::time_point_cast<microseconds>(
          zone_->to_sys(day + minutes(iv.start_minute), date::choose::earliest));
      const Timestamp close = std::chrono::time_point_cast<microseconds>(
          zone_->to_sys(day + minutes(iv.end_minute), date::choose::earliest));
      if (close <= from || close <= open) continue;
      if (!visit(open, close)) return;
    }
  }
}

Timestamp BusinessCalendar::AddBusinessTime(Timestamp start, microseconds amount) const {
  if (amount <= microseconds::zero()) return start;
  if (always_open_) return start + amount;
  Timestamp result = start;
  microseconds remaining = amount;
  ForEachOpening(start, [&](Timestamp open, Timestamp close) {
    const Timestamp from = std::max(open, start);
    const microseconds available = close - from;
    if (remaining <= available) {
      result = from + remaining;
      return false;
    }
    remaining -= available;
    return true;
  });
  return result;
}

microseconds BusinessCalendar::BusinessTimeBetween(Timestamp from, Timestamp to) const {
  if (to <= from) return microseconds::zero();
  if (always_open_) return to - from;
  microseconds total{0};
  ForEachOpening(from, [&](Timestamp open, Timestamp close) {
    if (open >= to) return false;
    total += std::min(close, to) - std::max(open, from);
    return true;
  });
  return total;
}

bool BusinessCalendar::IsOpen(Timestamp t) const {
  if (always_open_) return true;
  bool open_now = false;
  ForEachOpening(t, [&](Timestamp open, Timestamp) {
    open_now = open <= t;
    return false;
  });
  return open_now;
}

}  // namespace redress::policy
