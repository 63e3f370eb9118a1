#include "core/time_format.h"

#include <chrono>
#include <cstdint>
#include <string>

#include "core/ascii.h"

namespace redress {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Writes `value` as exactly `width` decimal digits (value must fit).
void PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

std::string FormatYear(int year) {
  if (year >= 0 && year <= 9999) {
    std::string out(4, '0');
    PutDigits(out.data(), year, 4);
    return out;
  }
  // Outside RFC 3339's range; still print something unambiguous rather than truncating.
  return std::to_string(year);
}

// A cursor over the text being parsed; every failure names what was expected and where.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  size_t pos() const { return pos_; }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void Skip() { ++pos_; }

  // Reads exactly `width` digits.
  bool Digits(int width, int& value) {
    if (text_.size() - pos_ < static_cast<size_t>(width)) return false;
    value = 0;
    for (int i = 0; i < width; ++i) {
      const char c = text_[pos_ + static_cast<size_t>(i)];
      if (!IsAsciiDigit(c)) return false;
      value = value * 10 + (c - '0');
    }
    pos_ += static_cast<size_t>(width);
    return true;
  }

  bool Literal(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

tl::unexpected<Error> Invalid(std::string_view text, const std::string& problem) {
  constexpr size_t kMaxQuoted = 40;
  std::string quoted(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) quoted += "...";
  return Fail(ErrorCode::kInvalidArgument, "invalid timestamp \"" + quoted + "\": " + problem +
                                               " (expected RFC 3339, e.g. 2026-11-23T09:05:00Z)");
}

}  // namespace

std::string FormatTimestamp(Timestamp t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss<microseconds> hms{t - day};

  std::string out = FormatYear(static_cast<int>(ymd.year()));
  const size_t base = out.size();
  out.resize(base + 23);  // "-MM-DDTHH:MM:SS.ffffffZ"
  char* p = out.data() + base;
  p[0] = '-';
  PutDigits(p + 1, static_cast<unsigned>(ymd.month()), 2);
  p[3] = '-';
  PutDigits(p + 4, static_cast<unsigned>(ymd.day()), 2);
  p[6] = 'T';
  PutDigits(p + 7, hms.hours().count(), 2);
  p[9] = ':';
  PutDigits(p + 10, hms.minutes().count(), 2);
  p[12] = ':';
  PutDigits(p + 13, hms.seconds().count(), 2);
  p[15] = '.';
  PutDigits(p + 16, hms.subseconds().count(), 6);
  p[22] = 'Z';
  return out;
}

Result<Timestamp> ParseTimestamp(std::string_view text) {
  Parser in(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!in.Digits(4, year)) return Invalid(text, "expected a 4-digit year at the start");
  if (!in.Literal('-') || !in.Digits(2, month)) {
    return Invalid(text, "expected '-MM' after the year");
  }
  if (!in.Literal('-') || !in.Digits(2, day)) {
    return Invalid(text, "expected '-DD' after the month");
  }
  if (month < 1 || month > 12) {
    return Invalid(text, "month " + std::to_string(month) + " is not between 1 and 12");
  }
  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) {
    return Invalid(text, "day " + std::to_string(day) + " does not exist in " +
                             std::to_string(year) + "-" + std::string(text.substr(5, 2)));
  }

  const char separator = in.Peek();
  if (in.AtEnd() || (separator != 'T' && separator != 't' && separator != ' ')) {
    return Invalid(text, "expected 'T' between the date and the time");
  }
  in.Skip();
  if (!in.Digits(2, hour) || !in.Literal(':') || !in.Digits(2, minute) || !in.Literal(':') ||
      !in.Digits(2, second)) {
    return Invalid(text, "expected the time as HH:MM:SS");
  }
  if (hour > 23) return Invalid(text, "hour " + std::to_string(hour) + " is not between 0 and 23");
  if (minute > 59) {
    return Invalid(text, "minute " + std::to_string(minute) + " is not between 0 and 59");
  }
  if (second == 60) return Invalid(text, "leap seconds are not supported");
  if (second > 59) {
    return Invalid(text, "second " + std::to_string(second) + " is not between 0 and 59");
  }

  int64_t micros = 0;
  if (in.Literal('.')) {
    int digits = 0;
    while (IsAsciiDigit(in.Peek())) {
      // Digits past the sixth are truncated, as the header promises.
      if (digits < 6) micros = micros * 10 + (in.Peek() - '0');
      ++digits;
      in.Skip();
    }
    if (digits == 0) return Invalid(text, "expected digits after the decimal point");
    if (digits > 9) return Invalid(text, "more than 9 fractional digits");
    for (int i = digits; i < 6; ++i) micros *= 10;
  }

  minutes offset{0};
  const char zone = in.Peek();
  if (in.AtEnd()) {
    return Invalid(text, "missing time zone; add 'Z' for UTC or an offset like +05:30");
  } else if (zone == 'Z' || zone == 'z') {
    in.Skip();
  } else if (zone == '+' || zone == '-') {
    in.Skip();
    int offset_hours = 0, offset_minutes = 0;
    if (!in.Digits(2, offset_hours) || !in.Literal(':') || !in.Digits(2, offset_minutes)) {
      return Invalid(text, "expected the offset as +HH:MM or -HH:MM");
    }
    if (offset_hours > 23 || offset_minutes > 59) {
      return Invalid(text,
                     "offset " + std::string(text.substr(in.pos() - 6, 6)) + " is out of range");
    }
    offset = hours{offset_hours} + minutes{offset_minutes};
    if (zone == '-') offset = -offset;
  } else {
    return Invalid(text, "expected 'Z' or an offset like +05:30 after the time");
  }
  if (!in.AtEnd()) return Invalid(text, "unexpected characters after the time zone");

  // Local time minus its offset is UTC: 10:00+05:30 is 04:30Z.
  return Timestamp(std::chrono::sys_days(date).time_since_epoch() + hours{hour} + minutes{minute} +
                   seconds{second} + microseconds{micros} - offset);
}

Timestamp TimestampFromMicros(int64_t micros) { return Timestamp(microseconds(micros)); }

int64_t MicrosFromTimestamp(Timestamp t) { return t.time_since_epoch().count(); }

}  // namespace redress
