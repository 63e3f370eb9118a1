#include "domain/promise_commands.h"

#include <algorithm>

#include "core/time_format.h"
#include "domain/command_rules.h"
#include "domain/text_fields.h"

namespace redress::domain {
namespace {

constexpr size_t kMaxNoteChars = 2000;

Result<const Promise*> FindOpen(const CaseState& state, int64_t id) {
  const Promise* p = state.commitments.FindPromise(id);
  if (p == nullptr) {
    return Fail(ErrorCode::kNotFound, CaseLabel(state) + " has no promise " + std::to_string(id));
  }
  if (p->status != PromiseStatus::kOpen) {
    return Fail(ErrorCode::kConflict,
                "promise " + std::to_string(id) + " is already " + PromiseStatusName(p->status));
  }
  return p;
}

}  // namespace

Result<std::vector<EventDraft>> MakePromise(const CaseState& state, const Principal& actor,
                                            const PromiseInput& input, Timestamp now) {
  if (auto ok = RequireStaff(actor, "make promises"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto what = CheckLine("what", input.what, 1, kMaxPromiseChars);
  if (!what) return Fail(what.error());
  if (input.due_at <= now) {
    return Invalid("due_at", "a promise must be due in the future (got " +
                                 FormatTimestamp(input.due_at) + ", now is " +
                                 FormatTimestamp(now) + ")");
  }
  if (input.due_at - now > kMaxPromiseHorizon) {
    return Invalid("due_at", "a promise must be due within 366 days");
  }
  const int64_t id = static_cast<int64_t>(state.commitments.promises.size()) + 1;
  return std::vector<EventDraft>{MakeDraft(EventType::kPromiseMade, actor, now,
                                           {{"promise_id", id},
                                            {"what", *what},
                                            {"due_at", FormatTimestamp(input.due_at)},
                                            {"made_by_id", actor.id},
                                            {"made_by_name", actor.display_name}})};
}

Result<std::vector<EventDraft>> KeepPromise(const CaseState& state, const Principal& actor,
                                            int64_t promise_id, const std::string& note,
                                            Timestamp now) {
  if (auto ok = RequireStaff(actor, "mark promises kept"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto p = FindOpen(state, promise_id);
  if (!p) return Fail(p.error());
  auto trimmed = CheckShortText("note", note, kMaxNoteChars, false);
  if (!trimmed) return Fail(trimmed.error());
  return std::vector<EventDraft>{MakeDraft(EventType::kPromiseKept, actor, now,
                                           {{"promise_id", promise_id}, {"note", *trimmed}})};
}

Result<std::vector<EventDraft>> BreakPromise(const CaseState& state, const Principal& actor,
                                             int64_t promise_id, const std::string& reason,
                                             Timestamp now) {
  const bool automatic = actor.role == Role::kSystem;
  if (!automatic && !actor.IsStaff()) return Denied("only staff can mark promises broken");
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto p = FindOpen(state, promise_id);
  if (!p) return Fail(p.error());
  auto trimmed = CheckShortText("reason", reason, kMaxNoteChars, !automatic);
  if (!trimmed) return Fail(trimmed.error());
  std::string why = *trimmed;
  if (automatic) {
    if ((*p)->due_at > now) {
      return Fail(ErrorCode::kConflict, "promise " + std::to_string(promise_id) + " is due at " +
                                            FormatTimestamp((*p)->due_at) +
                                            "; it cannot be broken automatically before then");
    }
    if (why.empty()) why = "not kept by " + FormatTimestamp((*p)->due_at);
  }
  return std::vector<EventDraft>{
      MakeDraft(EventType::kPromiseBroken, actor, now,
                {{"promise_id", promise_id}, {"automatic", automatic}, {"reason", why}})};
}

std::vector<int64_t> OverduePromises(const CaseState& state, Timestamp now) {
  std::vector<const Promise*> due;
  for (const Promise& p : state.commitments.promises) {
    if (p.status == PromiseStatus::kOpen && p.due_at <= now) due.push_back(&p);
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const Promise* a, const Promise* b) { return a->due_at < b->due_at; });
  std::vector<int64_t> ids;
  for (const Promise* p : due) ids.push_back(p->id);
  return ids;
}

}  // namespace redress::domain
