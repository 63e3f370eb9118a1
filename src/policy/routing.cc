#include "policy/routing.h"

#include <algorithm>

namespace redress::policy {

RoutingPick PickOwner(std::span<const Member> members, std::span<const int64_t> unavailable,
                      size_t cursor) {
  RoutingPick pick;
  pick.next_cursor = cursor;
  if (members.empty()) return pick;
  for (size_t step = 0; step < members.size(); ++step) {
    const size_t index = (cursor + step) % members.size();
    const Member& m = members[index];
    if (std::find(unavailable.begin(), unavailable.end(), m.user_id) != unavailable.end()) {
      continue;
    }
    pick.owner = m;
    pick.next_cursor = (index + 1) % members.size();
    return pick;
  }
  return pick;
}

domain::EscalateInput ToEscalateInput(const EscalationDecision& decision, const RoutingPick& pick) {
  domain::EscalateInput in;
  in.trigger = decision.trigger;
  in.to_level = decision.to_level;
  in.to_level_name = decision.level != nullptr ? decision.level->name : std::string();
  if (pick.owner) {
    in.owner_id = pick.owner->user_id;
    in.owner_name = pick.owner->name;
  }
  in.reason = decision.reason;
  return in;
}

domain::CreditAuthority CreditAuthorityFor(const EscalationPolicy& policy,
                                           const domain::CaseState& c, int actor_level,
                                           int64_t amount_minor, std::string_view currency) {
  const Ladder& ladder = policy.LadderFor(c.category);
  const int top = static_cast<int>(ladder.levels.size());
  domain::CreditAuthority a;
  a.actor_level = std::clamp(actor_level, 1, top);
  a.limit_minor = policy.LevelAt(ladder, a.actor_level).CreditLimit(currency);
  for (int rank = a.actor_level + 1; rank <= top; ++rank) {
    const Level& level = policy.LevelAt(ladder, rank);
    if (level.CreditLimit(currency) >= amount_minor) {
      a.approver_level = rank;
      a.approver_level_name = level.name;
      break;
    }
  }
  return a;
}

}  // namespace redress::policy
