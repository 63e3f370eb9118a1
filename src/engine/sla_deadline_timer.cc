#include "engine/sla_deadline_timer.h"

#include <optional>

#include "app/escalation_reactor.h"
#include "domain/escalation_commands.h"
#include "domain/promise_commands.h"
#include "policy/sla_clock.h"

namespace redress::engine {
namespace {

// Every fired deadline is an event; a case cannot owe more deadlines than this at once
// (three clocks and its open promises), so more rounds mean a bug, not a busy case.
constexpr int kMaxFiredPerTimer = 64;

// The first deadline due by `now` that is not on record yet.
std::optional<policy::Deadline> FirstDue(const domain::CaseState& state,
                                         const policy::EscalationPolicy& policy, Timestamp now) {
  for (const policy::Deadline& d : policy::ComputeSla(state, policy, now).deadlines) {
    if (d.Pending() && *d.due_at <= now) return d;
  }
  return std::nullopt;
}

}  // namespace

CaseTimerHandler SlaDeadlineHandler(const app::CaseService& cases,
                                    const app::PolicyHolder& policies) {
  return [&cases, &policies](store::WriteTx& tx, store::DueCase& timer,
                             Timestamp now) -> Result<void> {
    const int64_t case_id = timer.case_id;
    const auto policy = policies.Get();
    const domain::Principal system = domain::Principal::System();
    // Read (and on PostgreSQL locked) by the claim, in this same write.
    domain::CaseState state = std::move(timer.state);
    for (int fired = 0;; ++fired) {
      const std::optional<policy::Deadline> due = FirstDue(state, *policy, now);
      if (!due) {
        // Nothing (more) due: the reactor set the timer to what follows after each breach;
        // a timer that found nothing at all (its deadline moved or was met) is set here.
        if (fired == 0) return app::ScheduleDeadlines(tx, state, *policy, now);
        return {};
      }
      if (fired == kMaxFiredPerTimer) {
        return Fail(ErrorCode::kInternal, "case " + std::to_string(case_id) + ": more than " +
                                              std::to_string(kMaxFiredPerTimer) +
                                              " deadlines due at once");
      }
      auto recorded = cases.Apply(
          tx, system, std::move(state),
          [&](const domain::CaseState& current) -> Result<std::vector<domain::EventDraft>> {
            if (due->kind == policy::DeadlineKind::kPromise) {
              return domain::BreakPromise(current, system, due->promise_id, "", now);
            }
            return domain::RecordSlaBreach(
                current, system, {*policy::ClockOf(due->kind), due->key, *due->due_at}, now);
          },
          now);
      if (!recorded) return Fail(recorded.error());
      state = std::move(recorded->state);  // the case after the breach and its escalation
    }
  };
}

void RegisterSlaDeadlineTimers(JobRunner& runner, const app::CaseService& cases,
                               const app::PolicyHolder& policies) {
  runner.RegisterCaseTimers(SlaDeadlineHandler(cases, policies));
}

}  // namespace redress::engine
