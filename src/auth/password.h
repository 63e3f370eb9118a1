// Password hashing with argon2id (libsodium crypto_pwhash_str), which embeds its own salt
// and cost parameters in the encoded string, so costs can be raised later without a
// migration: NeedsRehash tells when a stored hash is weaker than today's setting.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace redress::auth {

/// Cost presets: kInteractive for real accounts; kFast only for tests and the demo data
/// loader, where thousands of hashes would otherwise take minutes.
enum class HashCost { kInteractive, kFast };

/// Passwords must be 8..1024 bytes; kInvalidArgument otherwise.
Result<std::string> HashPassword(std::string_view password, HashCost cost = HashCost::kInteractive);

/// True if `password` matches `encoded`. A malformed `encoded` is false, never a crash.
/// Runs in time independent of where a mismatch occurs.
bool VerifyPassword(std::string_view encoded, std::string_view password);

bool NeedsRehash(std::string_view encoded, HashCost cost = HashCost::kInteractive);

}  // namespace redress::auth
