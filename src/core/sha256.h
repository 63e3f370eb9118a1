// SHA-256, the one digest Redress prints: event hashes (docs/event-chain.md), the stored
// hashes of tokens and secrets, content hashes of mail and attachments, request
// fingerprints. OpenSSL's implementation, because it uses the CPU's SHA extensions where
// there are any: on this project's 2-core machine it hashes an event's 600 bytes in 0.6 µs,
// libsodium's portable code in 1.7 µs, and every deadline a timer fires hashes two events
// on the store's one writer thread.
#pragma once

#include <string>
#include <string_view>

namespace redress {

/// The digest of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

}  // namespace redress
