// The fold of the escalation, promise, decision, credit and SLA events into
// CaseState::commitments (and into the level and owner columns). Split from case_state.cc
// only to keep each file about one thing; Apply() in case_state.h is still the only entry.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"

namespace redress::domain {

/// Applies one of escalated, promise_*, decision_*, credit_*, sla_breached. Errors are
/// kCorruption describing the problem alone (Apply adds the case and seq).
Result<void> ApplyCommitmentEvent(CaseState& s, const Event& e);

/// A public message from staff to the customer: counts as the level's response and
/// restarts the update cadence.
void NoteStaffUpdate(CaseCommitments& c, Timestamp at);

}  // namespace redress::domain
