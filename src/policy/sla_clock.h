// A case's deadlines, computed from its state, the policy and the time: nothing is stored
// but the events, so a restart, a replaced policy or a replayed log gives the same answer.
//
// Three SLA clocks per level (Zammad's model, per level): first response (from entering
// the level to its first public update), next update (from the latest public update, on
// the level's cadence) and resolution (from entering the level to solved). An escalation
// restarts all three for the new level. Time counts in the level's business calendar and
// stands still while the case is in a status the policy says pauses that clock (solved and
// closed stop every clock). Open promises are deadlines too.
//
// Every deadline has a stable key, "case:42:first_response:e1", whose last part is the
// generation (e = escalations so far, u = updates at this level). A scheduler keeps one
// timer per key: same key with a new due time = move the timer; a key that disappears =
// cancel it; on firing, record the breach (domain::RecordSlaBreach refuses a key already
// on record), so each deadline fires exactly once even across restarts.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/case_state.h"
#include "domain/escalation_commands.h"
#include "policy/escalation_policy.h"

namespace redress::policy {

enum class DeadlineKind { kFirstResponse, kNextUpdate, kResolution, kPromise };
/// "first_response", "next_update", "resolution", "promise"
const char* DeadlineKindName(DeadlineKind k);
/// The SLA clock of a deadline; none for promises.
std::optional<domain::SlaClockKind> ClockOf(DeadlineKind k);

struct Deadline {
  DeadlineKind kind = DeadlineKind::kFirstResponse;
  std::string key;
  /// None while the clock is paused: it has no due time until the case leaves the status.
  std::optional<Timestamp> due_at;
  std::chrono::microseconds target{0};  // business time allowed (0 for promises)
  std::chrono::microseconds paused{0};  // business time spent paused up to now
  bool breached = false;                // due_at <= now
  bool recorded = false;                // the breach is already on record (sla_breached)
  int64_t promise_id = 0;               // kPromise only

  /// Whether a scheduler should hold a timer for it.
  bool Pending() const { return due_at.has_value() && !recorded; }
};

struct SlaSnapshot {
  std::vector<Deadline> deadlines;  // live clocks and open promises, in kind order
  /// Earliest due time a scheduler must wake for (pending deadlines only).
  std::optional<Timestamp> next_due;
  /// Earliest due time of any live deadline, overdue ones included: what the customer is
  /// shown as "the next step is due by".
  std::optional<Timestamp> next_step_due;
  bool waiting_for_customer = false;  // status pending: the next step is the customer's
};

/// Computes the case's deadlines at `now`. A closed case has none. Invariant (tested):
/// unless the case is solved, closed or waiting for the customer, next_step_due is set.
SlaSnapshot ComputeSla(const domain::CaseState& c, const EscalationPolicy& policy, Timestamp now);

/// The key of a clock deadline for the case's current generation.
std::string DeadlineKey(const domain::CaseState& c, DeadlineKind kind, int64_t promise_id = 0);

/// When the level's first-response target falls due, counted from entering the level with
/// the level's pauses, whether or not it has been met (the customer's escalation right
/// depends on it). None while paused.
std::optional<Timestamp> LevelResponseDue(const domain::CaseState& c,
                                          const EscalationPolicy& policy, Timestamp now);

}  // namespace redress::policy
