#include "auth/secret_token.h"

#include "core/sha256.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace redress::auth {
namespace {

bool IsBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

TEST(SecretTokenTest, PrefixAndLength) {
  for (std::string_view prefix : {kApiTokenPrefix, kSessionPrefix, kCsrfPrefix}) {
    std::string token = NewSecretToken(prefix);
    EXPECT_EQ(token.rfind(prefix, 0), 0u) << token;
    EXPECT_EQ(token.size(), prefix.size() + 43) << token;
  }
}

TEST(SecretTokenTest, UniqueAndBase64UrlCharset) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string token = NewSecretToken(kApiTokenPrefix);
    for (char c : token.substr(kApiTokenPrefix.size())) {
      ASSERT_TRUE(IsBase64Url(c)) << "bad character '" << c << "' in " << token;
    }
    seen.insert(std::move(token));
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(SecretTokenTest, HashSecretIsTheHexSha256OfTheToken) {
  EXPECT_EQ(HashSecret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashSecret("rdr_x"), Sha256Hex("rdr_x"));
}

TEST(SecretTokenTest, SecretsEqual) {
  EXPECT_TRUE(SecretsEqual("rdt_abc", "rdt_abc"));
  EXPECT_FALSE(SecretsEqual("rdt_abc", "rdt_abd"));
  EXPECT_FALSE(SecretsEqual("rdt_abc", "rdt_ab"));
  EXPECT_FALSE(SecretsEqual("", "x"));
  EXPECT_TRUE(SecretsEqual("", ""));
  std::string token = NewSecretToken(kSessionPrefix);
  EXPECT_TRUE(SecretsEqual(token, std::string(token)));
  EXPECT_FALSE(SecretsEqual(token, NewSecretToken(kSessionPrefix)));
}

}  // namespace
}  // namespace redress::auth
