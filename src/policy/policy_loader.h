// Loading the escalation matrix from TOML (etc/escalation.example.toml, every key explained
// in docs/escalation.md). Loading either yields a complete, cross-checked policy or one
// error that names the file, the line and the problem; a caller replacing a running policy
// keeps the old one on error, so an invalid matrix never takes effect.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "policy/escalation_policy.h"

namespace redress::policy {

/// Parses and validates `toml_text`. `source_name` (a file name) prefixes every message:
/// "escalation.toml:14: levels.l2.sla.normal.first_response: must be a positive duration
/// such as \"4h\" or \"1h30m\" (got \"-4h\")". Errors are kInvalidArgument.
Result<std::shared_ptr<const EscalationPolicy>> LoadEscalationPolicy(
    std::string_view toml_text, std::string source_name = "escalation.toml");

/// Reads the file and loads it; an unreadable file is kNotFound naming the path.
Result<std::shared_ptr<const EscalationPolicy>> LoadEscalationPolicyFile(const std::string& path);

/// "4h", "90m", "1h30m": a positive whole number of minutes of business time.
Result<std::chrono::minutes> ParseBusinessDuration(std::string_view text);

}  // namespace redress::policy
