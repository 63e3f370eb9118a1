#include "policy/sla_clock.h"

#include <algorithm>

namespace redress::policy {
namespace {

using domain::CaseStatus;
using domain::SlaClockKind;
using std::chrono::microseconds;

struct ClockRun {
  std::optional<Timestamp> due;
  microseconds paused{0};
};

// Runs one clock from `start` for `target` of business time over the status spans,
// skipping (and measuring) the spans whose status pauses it.
ClockRun Run(const domain::CaseState& c, const EscalationPolicy& policy,
             const BusinessCalendar& calendar, SlaClockKind clock, Timestamp start,
             microseconds target, Timestamp now) {
  ClockRun run;
  const auto& spans = c.commitments.status_spans;
  // A state folded before spans existed (or built by hand) still has a current status.
  std::vector<domain::StatusSpan> fallback;
  const auto* list = &spans;
  if (spans.empty()) {
    fallback.push_back(domain::StatusSpan{c.status, c.commitments.level_entered_at});
    list = &fallback;
  }
  microseconds remaining = target;
  for (size_t i = 0; i < list->size(); ++i) {
    const bool last = i + 1 == list->size();
    const Timestamp end = last ? Timestamp::max() : (*list)[i + 1].since;
    if (end <= start) continue;
    const Timestamp begin = std::max((*list)[i].since, start);
    if (policy.Pauses((*list)[i].status, clock)) {
      if (begin < now) run.paused += calendar.BusinessTimeBetween(begin, std::min(end, now));
      continue;
    }
    if (run.due) continue;  // already found; keep measuring pauses only
    if (last) {
      run.due = calendar.AddBusinessTime(begin, remaining);
      continue;
    }
    const microseconds available = calendar.BusinessTimeBetween(begin, end);
    if (remaining <= available) {
      run.due = calendar.AddBusinessTime(begin, remaining);
    } else {
      remaining -= available;
    }
  }
  return run;
}

}  // namespace

const char* DeadlineKindName(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kFirstResponse:
      return "first_response";
    case DeadlineKind::kNextUpdate:
      return "next_update";
    case DeadlineKind::kResolution:
      return "resolution";
    case DeadlineKind::kPromise:
      return "promise";
  }
  return "unknown";
}

std::optional<SlaClockKind> ClockOf(DeadlineKind k) {
  switch (k) {
    case DeadlineKind::kFirstResponse:
      return SlaClockKind::kFirstResponse;
    case DeadlineKind::kNextUpdate:
      return SlaClockKind::kNextUpdate;
    case DeadlineKind::kResolution:
      return SlaClockKind::kResolution;
    case DeadlineKind::kPromise:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string DeadlineKey(const domain::CaseState& c, DeadlineKind kind, int64_t promise_id) {
  std::string key = "case:" + std::to_string(c.id) + ":" + DeadlineKindName(kind) + ":";
  if (kind == DeadlineKind::kPromise) return key + std::to_string(promise_id);
  key += "e" + std::to_string(c.commitments.escalations);
  if (kind == DeadlineKind::kNextUpdate) {
    key += ".u" + std::to_string(c.commitments.updates_at_level);
  }
  return key;
}

std::optional<Timestamp> LevelResponseDue(const domain::CaseState& c,
                                          const EscalationPolicy& policy, Timestamp now) {
  const Level& level = policy.LevelFor(c);
  const microseconds target = level.Targets(c.priority).first_response;
  return Run(c, policy, policy.CalendarOf(level), SlaClockKind::kFirstResponse,
             c.commitments.level_entered_at, target, now)
      .due;
}

SlaSnapshot ComputeSla(const domain::CaseState& c, const EscalationPolicy& policy, Timestamp now) {
  SlaSnapshot snapshot;
  if (c.status == CaseStatus::kClosed) return snapshot;
  snapshot.waiting_for_customer = c.status == CaseStatus::kPending;
  const domain::CaseCommitments& m = c.commitments;
  const Level& level = policy.LevelFor(c);
  const SlaTargets& targets = level.Targets(c.priority);
  const BusinessCalendar& calendar = policy.CalendarOf(level);

  auto add_clock = [&](DeadlineKind kind, Timestamp start) {
    const SlaClockKind clock = *ClockOf(kind);
    Deadline d;
    d.kind = kind;
    d.key = DeadlineKey(c, kind);
    d.target = targets.For(clock);
    const ClockRun run = Run(c, policy, calendar, clock, start, d.target, now);
    d.due_at = run.due;
    d.paused = run.paused;
    d.breached = run.due && *run.due <= now;
    d.recorded = m.BreachRecorded(d.key);
    snapshot.deadlines.push_back(std::move(d));
  };
  const bool solved = c.status == CaseStatus::kSolved;
  if (!solved) {
    if (!m.responded_at) {
      add_clock(DeadlineKind::kFirstResponse, m.level_entered_at);
    } else {
      add_clock(DeadlineKind::kNextUpdate, m.last_update_at.value_or(*m.responded_at));
    }
    add_clock(DeadlineKind::kResolution, m.level_entered_at);
  }
  for (const domain::Promise& p : m.promises) {
    if (p.status != domain::PromiseStatus::kOpen) continue;
    Deadline d;
    d.kind = DeadlineKind::kPromise;
    d.key = DeadlineKey(c, DeadlineKind::kPromise, p.id);
    d.due_at = p.due_at;
    d.breached = p.due_at <= now;
    d.promise_id = p.id;
    snapshot.deadlines.push_back(std::move(d));
  }
  for (const Deadline& d : snapshot.deadlines) {
    if (!d.due_at) continue;
    if (!snapshot.next_step_due || *d.due_at < *snapshot.next_step_due) {
      snapshot.next_step_due = d.due_at;
    }
    if (d.Pending() && (!snapshot.next_due || *d.due_at < *snapshot.next_due)) {
      snapshot.next_due = d.due_at;
    }
  }
  return snapshot;
}

}  // namespace redress::policy
