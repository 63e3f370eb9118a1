// Bearer tokens, session ids and CSRF tokens: 32 random bytes from libsodium, base64url
// without padding, behind a prefix that says what the string is ("rdt_" API token, "rds_"
// session, "rdc_" CSRF) so a leaked one is recognisable in a secret scanner. Only the
// SHA-256 of a token or session id is stored.
#pragma once

#include <string>
#include <string_view>

namespace redress::auth {

inline constexpr std::string_view kApiTokenPrefix = "rdt_";
inline constexpr std::string_view kSessionPrefix = "rds_";
inline constexpr std::string_view kCsrfPrefix = "rdc_";

/// prefix + 43 characters of base64url (256 bits of entropy).
std::string NewSecretToken(std::string_view prefix);

/// Lowercase hex SHA-256 of `token`.
std::string HashSecret(std::string_view token);

/// Constant-time equality for secrets of equal length; false if lengths differ.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace redress::auth
