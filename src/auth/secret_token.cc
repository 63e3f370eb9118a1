#include "auth/secret_token.h"

#include <sodium.h>

#include <array>

#include "auth/sodium.h"
#include "core/sha256.h"

namespace redress::auth {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

}  // namespace

std::string NewSecretToken(std::string_view prefix) {
  EnsureSodium();
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  // The encoded length macro counts the terminating NUL.
  std::array<char, sodium_base64_ENCODED_LEN(kTokenBytes, kBase64Variant)> encoded{};
  sodium_bin2base64(encoded.data(), encoded.size(), bytes.data(), bytes.size(), kBase64Variant);
  sodium_memzero(bytes.data(), bytes.size());
  std::string token;
  token.reserve(prefix.size() + encoded.size() - 1);
  token.append(prefix);
  token.append(encoded.data());
  sodium_memzero(encoded.data(), encoded.size());
  return token;
}

std::string HashSecret(std::string_view token) { return Sha256Hex(token); }


bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  EnsureSodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace redress::auth
