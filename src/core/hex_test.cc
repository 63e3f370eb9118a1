#include "core/hex.h"

#include <gtest/gtest.h>

namespace redress {
namespace {

TEST(Hex, EveryByteValueSurvivesTheRoundTrip) {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  const std::string hex = EncodeHex(bytes);
  EXPECT_EQ(hex.size(), 512u);
  EXPECT_EQ(hex.substr(0, 6), "000102");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  EXPECT_EQ(DecodeHex(hex), bytes);
}

TEST(Hex, DecodeAcceptsUpperCase) { EXPECT_EQ(DecodeHex("A1fF"), std::string("\xA1\xFF")); }

TEST(Hex, DecodeRefusesOddLengthAndNonHexDigits) {
  EXPECT_EQ(DecodeHex("abc"), std::nullopt);
  EXPECT_EQ(DecodeHex("zz"), std::nullopt);
  EXPECT_EQ(DecodeHex("0g"), std::nullopt);
  EXPECT_EQ(DecodeHex(""), std::string());
}

}  // namespace
}  // namespace redress
