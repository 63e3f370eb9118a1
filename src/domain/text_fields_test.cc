#include "domain/text_fields.h"

#include <string>

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

TEST(CheckLine, TrimsAndReturnsStoredValue) {
  auto v = CheckLine("subject", "  Return rejected \t", 1, 300);
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(*v, "Return rejected");
}

TEST(CheckLine, EmptyAfterTrimIsNamedByField) {
  auto v = CheckLine("subject", " \t ", 1, 300);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(v.error().field, "subject");
  EXPECT_EQ(v.error().message, "subject: must not be empty");
}

TEST(CheckLine, MinimumZeroAllowsEmpty) {
  auto v = CheckLine("category", "   ", 0, 100);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "");
}

TEST(CheckLine, CountsCodePointsNotBytes) {
  std::string three_hundred;
  for (int i = 0; i < 300; ++i) three_hundred += "\xE2\x82\xB9";  // 900 bytes, 300 characters
  EXPECT_TRUE(CheckLine("subject", three_hundred, 1, 300).has_value());
  auto v = CheckLine("subject", three_hundred + "x", 1, 300);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().message, "subject: must be at most 300 characters (got 301)");
}

TEST(CheckLine, RejectsInnerControlCharactersButNotTrimmedOnes) {
  EXPECT_TRUE(CheckLine("subject", "ok\n", 1, 300).has_value());
  auto v = CheckLine("subject", "two\nlines", 1, 300);
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message.find("control characters"), std::string::npos);
  EXPECT_FALSE(CheckLine("subject", "c1\xC2\x85x", 1, 300).has_value());
}

TEST(CheckLine, RejectsInvalidUtf8) {
  auto v = CheckLine("name", "caf\xE9", 1, 200);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().message, "name: is not valid UTF-8");
}

TEST(CheckShortText, KeepsInnerNewlinesAndEnforcesLimit) {
  auto v = CheckShortText("reason", " line one\nline two ", 2000, false);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "line one\nline two");
  EXPECT_TRUE(CheckShortText("reason", "", 2000, false).has_value());
  EXPECT_FALSE(CheckShortText("reason", " ", 2000, true).has_value());
  EXPECT_TRUE(CheckShortText("reason", std::string(2000, 'a'), 2000, true).has_value());
  auto too_long = CheckShortText("reason", std::string(2001, 'a'), 2000, false);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().field, "reason");
}

TEST(CheckBody, LimitIsBytesAndBoundaryIsInclusive) {
  EXPECT_TRUE(CheckBody("body", std::string(10, 'a'), 10, true).has_value());
  auto v = CheckBody("body", std::string(11, 'a'), 10, true);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().message, "body: must be at most 10 bytes (got 11)");
  EXPECT_EQ(v.error().field, "body");
}

TEST(CheckBody, RequiresSomethingOtherThanWhitespace) {
  EXPECT_FALSE(CheckBody("body", "", 10, true).has_value());
  EXPECT_FALSE(CheckBody("body", " \n\t", 10, true).has_value());
  EXPECT_TRUE(CheckBody("body", "", 10, false).has_value());
  EXPECT_TRUE(CheckBody("body", "\n x \n", 10, true).has_value());
}

TEST(CheckBody, RejectsInvalidUtf8) {
  auto v = CheckBody("handoff_note", "\xED\xA0\x80", 100, true);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().field, "handoff_note");
}

TEST(QuoteForMessage, QuotesTruncatesOnCodePointsAndHidesInvalidBytes) {
  EXPECT_EQ(QuoteForMessage("abc"), "\"abc\"");
  EXPECT_EQ(QuoteForMessage("abcdef", 4), "\"abcd...\"");
  // The cut would split the 3-byte rupee sign; it backs off to the code point before it.
  EXPECT_EQ(QuoteForMessage("ab\xE2\x82\xB9", 4), "\"ab...\"");
  EXPECT_EQ(QuoteForMessage("bad\xFF"), "(invalid UTF-8)");
}

}  // namespace
}  // namespace redress::domain
