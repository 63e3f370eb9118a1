// Who owns a case when it enters a level: the level's members in turn (round robin),
// skipping those who are unavailable (away, at capacity). Pure: the caller keeps the
// cursor per level (in memory or in the store) and passes who is unavailable now.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "domain/credit_commands.h"
#include "domain/escalation_commands.h"
#include "policy/escalation_policy.h"
#include "policy/triggers.h"

namespace redress::policy {

struct RoutingPick {
  std::optional<Member> owner;  // none: nobody available; the level's queue holds the case
  size_t next_cursor = 0;       // pass this next time for the same level
};

/// Starting at members[cursor % size], the first member not in `unavailable`. The next
/// cursor points after the chosen member, so load spreads evenly; with nobody available
/// the cursor stays.
RoutingPick PickOwner(std::span<const Member> members, std::span<const int64_t> unavailable,
                      size_t cursor);

/// The input for domain::Escalate from a trigger's decision and the routing pick.
domain::EscalateInput ToEscalateInput(const EscalationDecision& decision, const RoutingPick& pick);

/// The actor's goodwill authority for `amount_minor` of `currency` on this case: their own
/// level's limit, and the lowest level above them whose limit covers the amount (0 if
/// none). Staff levels are ranks in the case's ladder.
domain::CreditAuthority CreditAuthorityFor(const EscalationPolicy& policy,
                                           const domain::CaseState& c, int actor_level,
                                           int64_t amount_minor, std::string_view currency);

}  // namespace redress::policy
