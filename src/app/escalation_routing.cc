#include "app/escalation_routing.h"

#include <set>
#include <vector>

#include "policy/routing.h"

namespace redress::app {

Result<domain::EscalateInput> RouteEscalation(store::DecideTx& tx, store::Store& reads,
                                              const policy::EscalationDecision& decision) {
  if (decision.level == nullptr) {
    return Fail(ErrorCode::kInternal, "an escalation decision without a level");
  }
  const policy::Level& level = *decision.level;
  std::vector<int64_t> unavailable;
  if (!level.members.empty()) {
    auto users = reads.ListUsers();
    if (!users) return Fail(users.error());
    std::set<int64_t> active;
    for (const auto& user : *users) {
      if (user.active) active.insert(user.id);
    }
    // A member the policy names but the user table does not (a typo, a departed agent)
    // cannot own a case: treat them like someone away.
    for (const auto& member : level.members) {
      if (!active.contains(member.user_id)) unavailable.push_back(member.user_id);
    }
  }
  auto cursor = tx.LoadRoutingCursor(level.id);
  if (!cursor) return Fail(cursor.error());
  const policy::RoutingPick pick =
      policy::PickOwner(level.members, unavailable, static_cast<size_t>(*cursor));
  if (pick.owner) {
    if (auto saved = tx.SaveRoutingCursor(level.id, static_cast<int64_t>(pick.next_cursor));
        !saved) {
      return Fail(saved.error());
    }
  }
  return policy::ToEscalateInput(decision, pick);
}

}  // namespace redress::app
