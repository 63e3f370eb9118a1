#include "engine/sla_deadline_job.h"

#include <boost/json/parse.hpp>
#include <optional>

#include "app/escalation_reactor.h"
#include "domain/escalation_commands.h"
#include "domain/promise_commands.h"
#include "policy/sla_clock.h"

namespace redress::engine {
namespace {

// Every fired deadline is an event; a case cannot owe more deadlines than this at once
// (three clocks and its open promises), so more rounds mean a bug, not a busy case.
constexpr int kMaxFiredPerJob = 64;

Result<int64_t> CaseIdOf(const store::ClaimedJob& job) {
  boost::system::error_code ec;
  const boost::json::value payload = boost::json::parse(job.payload, ec);
  const boost::json::object* object = ec ? nullptr : payload.if_object();
  const boost::json::value* id = object ? object->if_contains("case_id") : nullptr;
  if (id == nullptr || !id->is_int64()) {
    return Fail(ErrorCode::kCorruption,
                "sla_deadline job " + job.key + ": payload must be {\"case_id\": N}, got " +
                    job.payload);
  }
  return id->as_int64();
}

// The first deadline due by `now` that is not on record yet.
std::optional<policy::Deadline> FirstDue(const domain::CaseState& state,
                                         const policy::EscalationPolicy& policy, Timestamp now) {
  for (const policy::Deadline& d : policy::ComputeSla(state, policy, now).deadlines) {
    if (d.Pending() && *d.due_at <= now) return d;
  }
  return std::nullopt;
}

}  // namespace

JobHandler SlaDeadlineHandler(const app::CaseService& cases, const app::PolicyHolder& policies) {
  return [&cases, &policies](store::WriteTx& tx, const store::ClaimedJob& job,
                             Timestamp now) -> Result<void> {
    auto case_id = CaseIdOf(job);
    if (!case_id) return Fail(case_id.error());
    const auto policy = policies.Get();
    const domain::Principal system = domain::Principal::System();
    auto loaded = tx.LoadCaseForUpdate(*case_id);
    if (!loaded) return Fail(loaded.error());
    domain::CaseState state = std::move(*loaded);
    for (int fired = 0;; ++fired) {
      const std::optional<policy::Deadline> due = FirstDue(state, *policy, now);
      if (!due) {
        // Nothing (more) due: the reactor scheduled what follows after each breach; a job
        // that found nothing at all still makes sure the next deadline has its job.
        if (fired == 0) return app::ScheduleDeadlines(tx, state, *policy, now);
        return {};
      }
      if (fired == kMaxFiredPerJob) {
        return Fail(ErrorCode::kInternal, "case " + std::to_string(*case_id) + ": more than " +
                                              std::to_string(kMaxFiredPerJob) +
                                              " deadlines due at once");
      }
      auto recorded = cases.Apply(
          tx, system, std::move(state),
          [&](const domain::CaseState& current) -> Result<std::vector<domain::EventDraft>> {
            if (due->kind == policy::DeadlineKind::kPromise) {
              return domain::BreakPromise(current, system, due->promise_id, "", now);
            }
            return domain::RecordSlaBreach(current, system,
                                           {*policy::ClockOf(due->kind), due->key, *due->due_at},
                                           now);
          },
          now);
      if (!recorded) return Fail(recorded.error());
      state = std::move(recorded->state);  // the case after the breach and its escalation
    }
  };
}

void RegisterSlaDeadlineJob(JobRunner& runner, const app::CaseService& cases,
                            const app::PolicyHolder& policies) {
  // The handler only reads and writes the database, so a burst of due deadlines is
  // written hundreds per commit, each case isolated by its own savepoint.
  runner.Register(app::kSlaDeadlineJobKind, SlaDeadlineHandler(cases, policies),
                  JobWrites::kBatched);
}

}  // namespace redress::engine
