#include "core/ascii.h"

#include <gtest/gtest.h>

namespace redress {
namespace {

TEST(TrimAsciiSpace, RemovesAllAsciiWhitespaceAtBothEnds) {
  EXPECT_EQ(TrimAsciiSpace("  \t\r\n hello world \v\f "), "hello world");
  EXPECT_EQ(TrimAsciiSpace("   "), "");
  EXPECT_EQ(TrimAsciiSpace(""), "");
  EXPECT_EQ(TrimAsciiSpace("x"), "x");
}

TEST(TrimAsciiSpace, KeepsNonAsciiSpaces) {
  EXPECT_EQ(TrimAsciiSpace("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");
}

TEST(AsciiLower, LowersOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Asha@Example.COM"), "asha@example.com");
  EXPECT_EQ(AsciiLower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // "ÉTÉ": only T lowers
  EXPECT_EQ(AsciiLower("[@Z`]"), "[@z`]");                          // neighbours of A-Z stay put
}

TEST(AsciiClasses, Boundaries) {
  EXPECT_TRUE(IsAsciiDigit('0'));
  EXPECT_TRUE(IsAsciiDigit('9'));
  EXPECT_FALSE(IsAsciiDigit('/'));
  EXPECT_FALSE(IsAsciiDigit(':'));
  EXPECT_TRUE(IsAsciiAlnum('z'));
  EXPECT_TRUE(IsAsciiAlnum('A'));
  EXPECT_FALSE(IsAsciiAlnum('_'));
  EXPECT_FALSE(IsAsciiAlpha('\xC3'));
}

}  // namespace
}  // namespace redress
