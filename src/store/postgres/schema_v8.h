// Schema version 8 of the PostgreSQL backend: the
// customer's value tier, set by staff and read by the escalation reactor when a case opens
// (the policy's [[triggers.value_tiers]]). Empty means no tier.
#pragma once

#include <string_view>

namespace redress::store::postgres {

inline constexpr std::string_view kSchemaV8 = R"sql(
ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT '';
)sql";

}  // namespace redress::store::postgres
