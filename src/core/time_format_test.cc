#include "core/time_format.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace redress {
namespace {

using namespace std::chrono_literals;

Timestamp At(std::chrono::year_month_day ymd, std::chrono::microseconds in_day = {}) {
  return Timestamp(std::chrono::sys_days(ymd).time_since_epoch() + in_day);
}

Timestamp MustParse(std::string_view text) {
  auto t = ParseTimestamp(text);
  EXPECT_TRUE(t.has_value()) << text << ": " << t.error().message;
  return t.value_or(Timestamp{});
}

TEST(FormatTimestamp, EpochIsFixedWidthUtc) {
  EXPECT_EQ(FormatTimestamp(Timestamp{}), "1970-01-01T00:00:00.000000Z");
}

TEST(FormatTimestamp, AllFieldsAndMicroseconds) {
  const auto t = At(2026y / 11 / 23, 9h + 5min + 7s + 123456us);
  const std::string s = FormatTimestamp(t);
  EXPECT_EQ(s, "2026-11-23T09:05:07.123456Z");
  EXPECT_EQ(s.size(), 27u);
}

TEST(FormatTimestamp, BeforeEpochUsesFloorNotTruncation) {
  // One microsecond before the epoch is the last instant of 1969, not "1970-01-01 -0.000001".
  EXPECT_EQ(FormatTimestamp(TimestampFromMicros(-1)), "1969-12-31T23:59:59.999999Z");
}

TEST(FormatTimestamp, LeapDay) {
  EXPECT_EQ(FormatTimestamp(At(2024y / 2 / 29, 23h + 59min + 59s)), "2024-02-29T23:59:59.000000Z");
}

TEST(FormatTimestamp, StringsSortAsTimes) {
  const auto a = At(2026y / 1 / 9, 23h);
  const auto b = At(2026y / 1 / 10, 1h);
  EXPECT_LT(FormatTimestamp(a), FormatTimestamp(b));
}

TEST(ParseTimestamp, RoundTripsFormattedValues) {
  for (int64_t micros : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{1'700'000'000'123'456},
                         int64_t{951'782'400'000'000} /* 2000-02-29 */,
                         int64_t{253'402'300'799'999'999} /* 9999-12-31T23:59:59.999999 */,
                         int64_t{-62'167'219'200'000'000} /* 0000-01-01 */}) {
    const Timestamp t = TimestampFromMicros(micros);
    const std::string text = FormatTimestamp(t);
    auto parsed = ParseTimestamp(text);
    ASSERT_TRUE(parsed.has_value()) << text << ": " << parsed.error().message;
    EXPECT_EQ(MicrosFromTimestamp(*parsed), micros) << text;
  }
}

TEST(ParseTimestamp, KnownValue) {
  EXPECT_EQ(MustParse("2026-11-23T09:05:00Z"), At(2026y / 11 / 23, 9h + 5min));
}

TEST(ParseTimestamp, PositiveOffsetIsSubtracted) {
  EXPECT_EQ(MustParse("2026-11-23T10:00:00+05:30"), At(2026y / 11 / 23, 4h + 30min));
}

TEST(ParseTimestamp, NegativeOffsetIsAddedAndMayCrossMidnight) {
  EXPECT_EQ(MustParse("2026-11-23T20:15:00-08:00"), At(2026y / 11 / 24, 4h + 15min));
}

TEST(ParseTimestamp, OffsetCrossesYearBoundaryBackwards) {
  EXPECT_EQ(MustParse("2027-01-01T01:00:00+02:00"), At(2026y / 12 / 31, 23h));
}

TEST(ParseTimestamp, ZeroOffsetsEqualZ) {
  const auto z = MustParse("2026-11-23T09:05:00Z");
  EXPECT_EQ(MustParse("2026-11-23T09:05:00+00:00"), z);
  EXPECT_EQ(MustParse("2026-11-23T09:05:00-00:00"), z);
  EXPECT_EQ(MustParse("2026-11-23T09:05:00z"), z);
}

TEST(ParseTimestamp, AcceptsLowercaseTAndSpaceSeparators) {
  const auto expected = At(2026y / 11 / 23, 9h + 5min);
  EXPECT_EQ(MustParse("2026-11-23t09:05:00Z"), expected);
  EXPECT_EQ(MustParse("2026-11-23 09:05:00Z"), expected);
}

TEST(ParseTimestamp, FractionalDigitsZeroToNine) {
  const auto base = At(2026y / 3 / 1, 12h);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00Z"), base);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.1Z"), base + 100000us);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.12Z"), base + 120000us);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.123Z"), base + 123000us);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.1234Z"), base + 123400us);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.12345Z"), base + 123450us);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.123456Z"), base + 123456us);
  // Beyond microseconds the digits are truncated, never rounded up into the next second.
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.1234567Z"), base + 123456us);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.12345678Z"), base + 123456us);
  EXPECT_EQ(MustParse("2026-03-01T12:00:00.999999999Z"), base + 999999us);
}

TEST(ParseTimestamp, LeapYearFeb29) {
  EXPECT_EQ(MustParse("2024-02-29T00:00:00Z"), At(2024y / 2 / 29));
  EXPECT_EQ(MustParse("2000-02-29T00:00:00Z"), At(2000y / 2 / 29));
}

void ExpectInvalid(std::string_view text, std::string_view needle) {
  auto t = ParseTimestamp(text);
  ASSERT_FALSE(t.has_value()) << text << " parsed as " << FormatTimestamp(*t);
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument) << text;
  EXPECT_NE(t.error().message.find(needle), std::string::npos)
      << text << " -> " << t.error().message << " (wanted \"" << needle << "\")";
}

TEST(ParseTimestamp, RejectsImpossibleDates) {
  ExpectInvalid("2026-13-01T00:00:00Z", "month 13");
  ExpectInvalid("2026-00-01T00:00:00Z", "month 0");
  ExpectInvalid("2026-02-30T00:00:00Z", "day 30 does not exist in 2026-02");
  ExpectInvalid("2023-02-29T00:00:00Z", "day 29 does not exist in 2023-02");
  ExpectInvalid("1900-02-29T00:00:00Z", "day 29");  // divisible by 100, not by 400
  ExpectInvalid("2026-04-31T00:00:00Z", "day 31");
  ExpectInvalid("2026-04-00T00:00:00Z", "day 0");
}

TEST(ParseTimestamp, RejectsImpossibleTimes) {
  ExpectInvalid("2026-01-01T24:00:00Z", "hour 24");
  ExpectInvalid("2026-01-01T00:60:00Z", "minute 60");
  ExpectInvalid("2026-01-01T00:00:61Z", "second 61");
  ExpectInvalid("2026-12-31T23:59:60Z", "leap seconds");
}

TEST(ParseTimestamp, RejectsMissingOrBadZone) {
  ExpectInvalid("2026-01-01T00:00:00", "missing time zone");
  ExpectInvalid("2026-01-01T00:00:00.5", "missing time zone");
  ExpectInvalid("2026-01-01T00:00:00+0530", "+HH:MM");
  ExpectInvalid("2026-01-01T00:00:00+05", "+HH:MM");
  ExpectInvalid("2026-01-01T00:00:00+24:00", "out of range");
  ExpectInvalid("2026-01-01T00:00:00+05:60", "out of range");
  ExpectInvalid("2026-01-01T00:00:00UTC", "expected 'Z'");
  ExpectInvalid("2026-01-01T00:00:00ZZ", "unexpected characters");
  ExpectInvalid("2026-01-01T00:00:00Z ", "unexpected characters");
}

TEST(ParseTimestamp, RejectsBadFractions) {
  ExpectInvalid("2026-01-01T00:00:00.Z", "digits after the decimal point");
  ExpectInvalid("2026-01-01T00:00:00.1234567890Z", "more than 9");
  ExpectInvalid("2026-01-01T00:00:00,5Z", "expected 'Z'");
}

TEST(ParseTimestamp, RejectsGarbageAndWrongShapes) {
  ExpectInvalid("", "4-digit year");
  ExpectInvalid("yesterday", "4-digit year");
  ExpectInvalid("26-01-01T00:00:00Z", "4-digit year");
  ExpectInvalid("2026-1-01T00:00:00Z", "'-MM'");
  ExpectInvalid("2026-01-1T00:00:00Z", "'-DD'");
  ExpectInvalid("2026-01-01", "'T'");
  ExpectInvalid("2026-01-01X00:00:00Z", "'T'");
  ExpectInvalid("2026-01-01T0:00:00Z", "HH:MM:SS");
  ExpectInvalid("2026-01-01T00:00Z", "HH:MM:SS");
  ExpectInvalid(" 2026-01-01T00:00:00Z", "4-digit year");
  ExpectInvalid("+2026-01-01T00:00:00Z", "4-digit year");
}

TEST(ParseTimestamp, ErrorQuotesInputButTruncatesLongOnes) {
  const std::string long_text = "2026-01-01T00:00:00" + std::string(500, 'x');
  auto t = ParseTimestamp(long_text);
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().message.find("\"2026-01-01T00:00:00xxx"), std::string::npos);
  EXPECT_LT(t.error().message.size(), 200u);
}

TEST(TimestampMicros, RoundTrip) {
  for (int64_t micros : {int64_t{0}, int64_t{-5}, int64_t{1'798'000'000'000'001}}) {
    EXPECT_EQ(MicrosFromTimestamp(TimestampFromMicros(micros)), micros);
  }
  EXPECT_EQ(TimestampFromMicros(1'500'000), Timestamp{} + 1500ms);
}

}  // namespace
}  // namespace redress
