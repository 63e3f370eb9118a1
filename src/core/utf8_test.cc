#include "core/utf8.h"

#include <string>

#include <gtest/gtest.h>

namespace redress {
namespace {

TEST(ValidUtf8, AcceptsAsciiAndEveryEncodingLength) {
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_TRUE(ValidUtf8("plain ascii\n\t"));
  EXPECT_TRUE(ValidUtf8("caf\xC3\xA9"));                   // U+00E9, 2 bytes
  EXPECT_TRUE(ValidUtf8("\xE2\x82\xB9 refund"));           // U+20B9 rupee sign, 3 bytes
  EXPECT_TRUE(ValidUtf8("\xF0\x9F\x98\x80"));              // U+1F600, 4 bytes
  EXPECT_TRUE(ValidUtf8(std::string("nul\0inside", 10)));  // U+0000 is valid UTF-8
}

TEST(ValidUtf8, AcceptsBoundaryCodePoints) {
  EXPECT_TRUE(ValidUtf8("\x7F"));              // U+007F, last 1-byte
  EXPECT_TRUE(ValidUtf8("\xC2\x80"));          // U+0080, first 2-byte
  EXPECT_TRUE(ValidUtf8("\xDF\xBF"));          // U+07FF, last 2-byte
  EXPECT_TRUE(ValidUtf8("\xE0\xA0\x80"));      // U+0800, first 3-byte
  EXPECT_TRUE(ValidUtf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(ValidUtf8("\xEE\x80\x80"));      // U+E000, just above them
  EXPECT_TRUE(ValidUtf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(ValidUtf8("\xF0\x90\x80\x80"));  // U+10000, first 4-byte
  EXPECT_TRUE(ValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST(ValidUtf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(ValidUtf8("\xC0\xAF"));          // '/' in 2 bytes
  EXPECT_FALSE(ValidUtf8("\xC1\xBF"));          // U+007F in 2 bytes
  EXPECT_FALSE(ValidUtf8("\xE0\x80\xAF"));      // '/' in 3 bytes
  EXPECT_FALSE(ValidUtf8("\xE0\x9F\xBF"));      // U+07FF in 3 bytes
  EXPECT_FALSE(ValidUtf8("\xF0\x80\x80\xAF"));  // '/' in 4 bytes
  EXPECT_FALSE(ValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in 4 bytes
  EXPECT_FALSE(ValidUtf8("\xC0\x80"));          // "modified UTF-8" NUL
}

TEST(ValidUtf8, RejectsSurrogates) {
  EXPECT_FALSE(ValidUtf8("\xED\xA0\x80"));              // U+D800
  EXPECT_FALSE(ValidUtf8("\xED\xBF\xBF"));              // U+DFFF
  EXPECT_FALSE(ValidUtf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 pair for U+1F600
}

TEST(ValidUtf8, RejectsAboveMaxCodePointAndInvalidLeadBytes) {
  EXPECT_FALSE(ValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(ValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(ValidUtf8("\xF8\x88\x80\x80\x80"));  // old 5-byte form
  EXPECT_FALSE(ValidUtf8("\xFE"));
  EXPECT_FALSE(ValidUtf8("\xFF"));
}

TEST(ValidUtf8, RejectsTruncatedSequences) {
  EXPECT_FALSE(ValidUtf8("\xC3"));
  EXPECT_FALSE(ValidUtf8("abc\xE2\x82"));
  EXPECT_FALSE(ValidUtf8("\xF0\x9F\x98"));
  // A truncated sequence followed by ASCII: the ASCII byte is not a continuation.
  EXPECT_FALSE(ValidUtf8("\xE2\x82z"));
  EXPECT_FALSE(ValidUtf8("\xF0\x9F\x98 more"));
}

TEST(ValidUtf8, RejectsStrayContinuationBytes) {
  EXPECT_FALSE(ValidUtf8("\x80"));
  EXPECT_FALSE(ValidUtf8("ok\xBF"));
  EXPECT_FALSE(ValidUtf8("\xC3\xA9\xA9"));  // one continuation too many
}

TEST(ValidUtf8, Latin1IsNotUtf8) { EXPECT_FALSE(ValidUtf8("caf\xE9")); }

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("caf\xC3\xA9"), 4u);
  EXPECT_EQ(Utf8Length("\xE2\x82\xB9\xF0\x9F\x98\x80"), 2u);
}

TEST(HasControlChar, FindsC0DelAndC1) {
  EXPECT_FALSE(HasControlChar("Return rejected \xE2\x82\xB9 500"));
  EXPECT_FALSE(HasControlChar("\xC2\xA0"));  // U+00A0 NO-BREAK SPACE is not a control
  EXPECT_TRUE(HasControlChar("line\nbreak"));
  EXPECT_TRUE(HasControlChar("tab\there"));
  EXPECT_TRUE(HasControlChar(std::string("nul\0", 4)));
  EXPECT_TRUE(HasControlChar("del\x7F"));
  EXPECT_TRUE(HasControlChar("c1\xC2\x85"));  // U+0085 NEXT LINE
  EXPECT_TRUE(HasControlChar("c1\xC2\x9F"));
}

}  // namespace
}  // namespace redress
