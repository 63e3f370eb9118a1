#include "auth/password.h"

#include <sodium.h>

#include <array>
#include <cstring>
#include <optional>

#include "auth/sodium.h"

namespace redress::auth {
namespace {

constexpr size_t kMinPasswordBytes = 8;
constexpr size_t kMaxPasswordBytes = 1024;

struct Params {
  unsigned long long opslimit;
  size_t memlimit;
};

Params ParamsFor(HashCost cost) {
  switch (cost) {
    case HashCost::kInteractive:
      return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
    case HashCost::kFast:
      // Still argon2id with a real salt, only cheap: tests and demo data hash thousands of
      // passwords and must not take minutes. 8 MiB keeps some memory hardness.
      return {crypto_pwhash_OPSLIMIT_MIN, size_t{8} << 20};
  }
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

// libsodium wants a NUL-terminated string in a buffer of crypto_pwhash_STRBYTES. Anything
// that cannot fit (or carries an embedded NUL) cannot be a hash libsodium produced.
using EncodedBuffer = std::array<char, crypto_pwhash_STRBYTES>;

std::optional<EncodedBuffer> ToBuffer(std::string_view encoded) {
  if (encoded.size() >= crypto_pwhash_STRBYTES) return std::nullopt;
  if (encoded.find('\0') != std::string_view::npos) return std::nullopt;
  EncodedBuffer buffer{};
  std::memcpy(buffer.data(), encoded.data(), encoded.size());
  return buffer;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, HashCost cost) {
  if (password.size() < kMinPasswordBytes) {
    return Fail(ErrorCode::kInvalidArgument, "password must be at least 8 bytes long",
                "password");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Fail(ErrorCode::kInvalidArgument, "password must be at most 1024 bytes long",
                "password");
  }
  EnsureSodium();
  const Params params = ParamsFor(cost);
  EncodedBuffer out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), params.opslimit,
                            params.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // The only documented failure is running out of memory for the argon2 matrix.
    return Fail(ErrorCode::kUnavailable, "password hashing failed: out of memory");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  // A password outside the accepted lengths can never have been hashed by HashPassword.
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) return false;
  std::optional<EncodedBuffer> buffer = ToBuffer(encoded);
  if (!buffer) return false;
  EnsureSodium();
  return crypto_pwhash_str_verify(buffer->data(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view encoded, HashCost cost) {
  std::optional<EncodedBuffer> buffer = ToBuffer(encoded);
  if (!buffer) return true;
  EnsureSodium();
  const Params params = ParamsFor(cost);
  // 0: same algorithm and parameters; 1: different parameters; -1: not an argon2id string.
  return crypto_pwhash_str_needs_rehash(buffer->data(), params.opslimit, params.memlimit) != 0;
}

}  // namespace redress::auth
