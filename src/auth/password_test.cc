#include "auth/password.h"

#include <string>

#include <gtest/gtest.h>

namespace redress::auth {
namespace {

TEST(PasswordTest, HashIsArgon2idAndVerifies) {
  Result<std::string> hash = HashPassword("correct horse battery", HashCost::kFast);
  ASSERT_TRUE(hash.has_value()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterz"));
  EXPECT_FALSE(VerifyPassword(*hash, "Correct horse battery"));
}

TEST(PasswordTest, InteractiveCostIsArgon2idAndCurrent) {
  Result<std::string> hash = HashPassword("s3cret-enough", HashCost::kInteractive);
  ASSERT_TRUE(hash.has_value()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "s3cret-enough"));
  EXPECT_FALSE(NeedsRehash(*hash, HashCost::kInteractive));
}

TEST(PasswordTest, SamePasswordHashesDifferently) {
  Result<std::string> a = HashPassword("the same password", HashCost::kFast);
  Result<std::string> b = HashPassword("the same password", HashCost::kFast);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "the same password"));
  EXPECT_TRUE(VerifyPassword(*b, "the same password"));
}

TEST(PasswordTest, MalformedEncodedIsFalse) {
  EXPECT_FALSE(VerifyPassword("", "password123"));
  EXPECT_FALSE(VerifyPassword("not a hash", "password123"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=8192,t=1,p=1$", "password123"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "password123"));

  Result<std::string> hash = HashPassword("password123", HashCost::kFast);
  ASSERT_TRUE(hash.has_value());
  std::string truncated = hash->substr(0, hash->size() - 5);
  EXPECT_FALSE(VerifyPassword(truncated, "password123"));
  std::string with_nul = *hash;
  with_nul[12] = '\0';
  EXPECT_FALSE(VerifyPassword(with_nul, "password123"));
}

TEST(PasswordTest, LengthLimits) {
  Result<std::string> too_short = HashPassword("1234567", HashCost::kFast);
  ASSERT_FALSE(too_short.has_value());
  EXPECT_EQ(too_short.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(too_short.error().field, "password");

  Result<std::string> too_long = HashPassword(std::string(1025, 'x'), HashCost::kFast);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);

  EXPECT_TRUE(HashPassword("12345678", HashCost::kFast).has_value());
  Result<std::string> longest = HashPassword(std::string(1024, 'x'), HashCost::kFast);
  ASSERT_TRUE(longest.has_value());
  EXPECT_TRUE(VerifyPassword(*longest, std::string(1024, 'x')));
  EXPECT_FALSE(VerifyPassword(*longest, std::string(1025, 'x')));
}

TEST(PasswordTest, NeedsRehashWhenWeakerThanRequested) {
  Result<std::string> fast = HashPassword("password123", HashCost::kFast);
  ASSERT_TRUE(fast.has_value());
  EXPECT_TRUE(NeedsRehash(*fast, HashCost::kInteractive));
  EXPECT_FALSE(NeedsRehash(*fast, HashCost::kFast));
  EXPECT_TRUE(NeedsRehash("garbage", HashCost::kFast));
}

}  // namespace
}  // namespace redress::auth
