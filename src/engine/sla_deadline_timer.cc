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

PreparedCaseTimerHandler SlaDeadlineHandler(const app::CaseService& cases,
                                            const app::PolicyHolder& policies) {
  return [&cases, &policies](store::DecideTx& tx, store::DueCase& timer,
                             Timestamp now) -> Result<TimerWrite> {
    const int64_t case_id = timer.case_id;
    const auto policy = policies.Get();
    const domain::Principal system = domain::Principal::System();
    // Read (and on PostgreSQL locked) by the claim, in the write this is decided for.
    domain::CaseState state = std::move(timer.state);
    // One change per deadline due, each decided on the case as the one before left it.
    std::vector<app::PreparedChange> changes;
    for (int fired = 0;; ++fired) {
      const domain::CaseState& current = changes.empty() ? state : changes.back().change.state;
      const std::optional<policy::Deadline> due = FirstDue(current, *policy, now);
      if (!due) {
        // Nothing (more) due: the reactor set the timer to what follows after each breach;
        // a timer that found nothing at all (its deadline moved or was met) is set here.
        if (fired == 0) {
          return TimerWrite(
              [case_id, times = app::DueTimes(current, *policy, now)](store::WriteTx& write) {
                return write.SetCaseDue(case_id, times);
              });
        }
        break;
      }
      if (fired == kMaxFiredPerTimer) {
        return Fail(ErrorCode::kInternal, "case " + std::to_string(case_id) + ": more than " +
                                              std::to_string(kMaxFiredPerTimer) +
                                              " deadlines due at once");
      }
      auto prepared = cases.Prepare(
          tx, system, changes.empty() ? std::move(state) : domain::CaseState(current),
          [&](const domain::CaseState& before) -> Result<std::vector<domain::EventDraft>> {
            if (due->kind == policy::DeadlineKind::kPromise) {
              return domain::BreakPromise(before, system, due->promise_id, "", now);
            }
            return domain::RecordSlaBreach(
                before, system, {*policy::ClockOf(due->kind), due->key, *due->due_at}, now);
          },
          now);
      if (!prepared) return Fail(prepared.error());
      changes.push_back(std::move(*prepared));  // the case after the breach and its escalation
    }
    return TimerWrite(
        [&cases, changes = std::move(changes), now](store::WriteTx& write) mutable -> Result<void> {
          for (app::PreparedChange& change : changes) {
            if (auto recorded = cases.Record(write, std::move(change), now); !recorded) {
              return Fail(recorded.error());
            }
          }
          return {};
        });
  };
}

void RegisterSlaDeadlineTimers(JobRunner& runner, const app::CaseService& cases,
                               const app::PolicyHolder& policies) {
  runner.RegisterPreparedCaseTimers(SlaDeadlineHandler(cases, policies));
}

}  // namespace redress::engine
