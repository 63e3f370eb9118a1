// RFC 3339 timestamps as used on the wire, in logs and in the canonical event encoding:
// always UTC, always microsecond precision, e.g. "2026-11-23T09:05:00.000000Z". One fixed
// width makes the canonical encoding unambiguous and lets strings sort as times.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace redress {

/// "YYYY-MM-DDTHH:MM:SS.ffffffZ" (27 characters).
std::string FormatTimestamp(Timestamp t);

/// Accepts any RFC 3339 date-time: fractional seconds of 0-9 digits (truncated to
/// microseconds), "Z" or a numeric offset ("+05:30"), "T" or "t" or " " as separator.
/// Rejects anything else with kInvalidArgument naming the problem.
Result<Timestamp> ParseTimestamp(std::string_view text);

Timestamp TimestampFromMicros(int64_t micros);
int64_t MicrosFromTimestamp(Timestamp t);

}  // namespace redress
