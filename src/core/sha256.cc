#include "core/sha256.h"

#include <openssl/sha.h>

#include <array>
#include <stdexcept>

namespace redress {

std::string Sha256Hex(std::string_view bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  // SHA256() is the one-shot form of the EVP digest; it fails only if OpenSSL cannot
  // allocate its context, which is as exceptional as std::bad_alloc.
  if (SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
             digest.data()) == nullptr) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(digest.size() * 2, '\0');
  for (size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kDigits[digest[i] >> 4];
    hex[2 * i + 1] = kDigits[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace redress
