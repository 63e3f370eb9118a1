#include "domain/event_data.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

TEST(DataString, ReadsStringsAndNamesProblems) {
  boost::json::object data{{"subject", "Refund"}, {"n", 3}};
  auto s = DataString(data, "subject");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, "Refund");

  auto missing = DataString(data, "body");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kCorruption);
  EXPECT_EQ(missing.error().message, "data.body is missing");

  auto wrong = DataString(data, "n");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().message, "data.n must be a string, not int64");
}

TEST(DataInt, AcceptsInt64AndFittingUint64) {
  boost::json::object data{{"a", -4}, {"b", std::uint64_t{7}}, {"c", "7"}};
  data["big"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(DataInt(data, "a").value_or(0), -4);
  EXPECT_EQ(DataInt(data, "b").value_or(0), 7);
  auto c = DataInt(data, "c");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message, "data.c must be an integer, not string");
  auto big = DataInt(data, "big");
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().message, "data.big is out of range");
}

TEST(DataInt, RejectsDoubles) {
  boost::json::object data{{"x", 1.5}};
  EXPECT_FALSE(DataInt(data, "x").has_value());
}

TEST(DataOptionalInt, NullIsNoneButMissingIsAnError) {
  boost::json::object data{{"p", nullptr}, {"q", 9}, {"r", true}};
  auto p = DataOptionalInt(data, "p");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, std::nullopt);
  auto q = DataOptionalInt(data, "q");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(*q, std::optional<int64_t>(9));
  EXPECT_FALSE(DataOptionalInt(data, "missing").has_value());
  auto r = DataOptionalInt(data, "r");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "data.r must be an integer, not bool");
}

}  // namespace
}  // namespace redress::domain
