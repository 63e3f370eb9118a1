// Turning a trigger's decision into an `escalated` event's input: the new owner comes from
// the level's members in turn (policy::PickOwner), skipping staff who are deactivated or
// unknown, with the round-robin cursor kept per level in the store so owners rotate across
// restarts and nodes. Shared by the reactor (automatic triggers) and the API (a customer's
// request, an appeal, a manual escalation).
#pragma once

#include "core/result.h"
#include "domain/escalation_commands.h"
#include "policy/triggers.h"
#include "store/store.h"

namespace redress::app {

/// Picks the owner at `decision.level` and advances that level's cursor in `tx`.
Result<domain::EscalateInput> RouteEscalation(store::DecideTx& tx, store::Store& reads,
                                              const policy::EscalationDecision& decision);

}  // namespace redress::app
