// Lowercase hexadecimal text for bytes, as the stores move binary columns (PostgreSQL's
// bytea travels as hex) and as digests are printed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace redress {

/// Two lowercase hex digits per byte.
std::string EncodeHex(std::string_view bytes);

/// The bytes behind `hex` (either case); nullopt for an odd length or a non-hex digit.
std::optional<std::string> DecodeHex(std::string_view hex);

}  // namespace redress
