#include "domain/commitments_fold.h"

#include <string>
#include <utility>

#include "domain/event_data.h"

namespace redress::domain {
namespace {

using Step = Result<void>;

tl::unexpected<Error> Problem(std::string message) {
  return Fail(ErrorCode::kCorruption, std::move(message));
}

// Assigns the value of a Result expression or returns its error.
#define REDRESS_DATA(out, expr)                     \
  auto out##_read = (expr);                         \
  if (!out##_read) return Fail(out##_read.error()); \
  auto out = std::move(*out##_read)

std::string Show(const std::optional<int64_t>& id) {
  return id ? std::to_string(*id) : std::string("null");
}

Step ApplyEscalated(CaseState& s, const Event& e) {
  REDRESS_DATA(trigger, DataString(e.data, "trigger"));
  REDRESS_DATA(from, DataInt(e.data, "from_level"));
  REDRESS_DATA(to, DataInt(e.data, "to_level"));
  REDRESS_DATA(to_name, DataString(e.data, "to_level_name"));
  REDRESS_DATA(owner_id, DataOptionalInt(e.data, "owner_id"));
  REDRESS_DATA(owner_name, DataString(e.data, "owner_name"));
  REDRESS_DATA(previous, DataOptionalInt(e.data, "previous_owner_id"));
  REDRESS_DATA(reason, DataString(e.data, "reason"));
  REDRESS_DATA(evidence, DataStringArray(e.data, "evidence"));
  (void)to_name;
  (void)reason;
  (void)evidence;
  if (from != s.level) {
    return Problem("data.from_level is " + std::to_string(from) + " but the case was at level " +
                   std::to_string(s.level));
  }
  if (to <= from || to > 1000) {
    return Problem("data.to_level " + std::to_string(to) + " is not above level " +
                   std::to_string(from));
  }
  if (previous != s.owner_id) {
    return Problem("data.previous_owner_id is " + Show(previous) + " but the case was owned by " +
                   Show(s.owner_id));
  }
  s.level = static_cast<int>(to);
  s.owner_id = owner_id;
  s.owner_name = owner_id ? std::string(owner_name) : std::string();

  // A new level owes its own first response, cadence and resolution: its clocks restart.
  CaseCommitments& c = s.commitments;
  ++c.escalations;
  c.last_escalation =
      EscalationRecord{std::string(trigger), static_cast<int>(from), static_cast<int>(to), e.at};
  c.level_entered_at = e.at;
  c.responded_at.reset();
  c.last_update_at.reset();
  c.updates_at_level = 0;
  c.contacts_at_level = 0;
  c.status_spans = {StatusSpan{s.status, e.at}};
  c.breached_keys.clear();
  return {};
}

Promise* FindPromise(CaseCommitments& c, int64_t id) {
  return const_cast<Promise*>(std::as_const(c).FindPromise(id));
}

Credit* FindCredit(CaseCommitments& c, int64_t id) {
  return const_cast<Credit*>(std::as_const(c).FindCredit(id));
}

Step ApplyPromiseMade(CaseState& s, const Event& e) {
  REDRESS_DATA(id, DataInt(e.data, "promise_id"));
  REDRESS_DATA(what, DataString(e.data, "what"));
  REDRESS_DATA(due_at, DataTimestamp(e.data, "due_at"));
  REDRESS_DATA(by_id, DataInt(e.data, "made_by_id"));
  REDRESS_DATA(by_name, DataString(e.data, "made_by_name"));
  CaseCommitments& c = s.commitments;
  const int64_t expected = static_cast<int64_t>(c.promises.size()) + 1;
  if (id != expected) {
    return Problem("data.promise_id is " + std::to_string(id) + " but the next promise is " +
                   std::to_string(expected));
  }
  Promise p;
  p.id = id;
  p.what = std::string(what);
  p.due_at = due_at;
  p.made_at = e.at;
  p.made_by_id = by_id;
  p.made_by_name = std::string(by_name);
  p.level = s.level;
  c.promises.push_back(std::move(p));
  // Telling the customer what will happen by when is an update.
  if (e.actor.kind == ActorKind::kStaff) NoteStaffUpdate(c, e.at);
  return {};
}

Result<Promise*> OpenPromise(CaseState& s, const Event& e) {
  REDRESS_DATA(id, DataInt(e.data, "promise_id"));
  Promise* p = FindPromise(s.commitments, id);
  if (p == nullptr) return Problem("data.promise_id " + std::to_string(id) + " was never made");
  if (p->status != PromiseStatus::kOpen) {
    return Problem("promise " + std::to_string(id) + " is already " + PromiseStatusName(p->status));
  }
  return p;
}

Step ApplyPromiseKept(CaseState& s, const Event& e) {
  REDRESS_DATA(note, DataString(e.data, "note"));
  REDRESS_DATA(p, OpenPromise(s, e));
  p->status = PromiseStatus::kKept;
  p->settled_at = e.at;
  p->note = std::string(note);
  if (e.actor.kind == ActorKind::kStaff) NoteStaffUpdate(s.commitments, e.at);
  return {};
}

Step ApplyPromiseBroken(CaseState& s, const Event& e) {
  REDRESS_DATA(automatic, DataBool(e.data, "automatic"));
  REDRESS_DATA(reason, DataString(e.data, "reason"));
  REDRESS_DATA(p, OpenPromise(s, e));
  p->status = PromiseStatus::kBroken;
  p->settled_at = e.at;
  p->broken_automatically = automatic;
  p->note = std::string(reason);
  return {};
}

Step ApplyDecisionMade(CaseState& s, const Event& e) {
  REDRESS_DATA(id, DataInt(e.data, "decision_id"));
  REDRESS_DATA(outcome_name, DataString(e.data, "outcome"));
  REDRESS_DATA(reason, DataString(e.data, "reason"));
  REDRESS_DATA(next_step, DataString(e.data, "next_step"));
  REDRESS_DATA(route, DataString(e.data, "external_route"));
  auto outcome = ParseDecisionOutcome(outcome_name);
  if (!outcome) return Problem("data.outcome \"" + std::string(outcome_name) + "\" is unknown");
  CaseCommitments& c = s.commitments;
  if (id != c.decisions + 1) {
    return Problem("data.decision_id is " + std::to_string(id) + " but the next decision is " +
                   std::to_string(c.decisions + 1));
  }
  Decision d;
  d.id = id;
  d.outcome = *outcome;
  d.reason = std::string(reason);
  d.next_step = std::string(next_step);
  d.external_route = std::string(route);
  d.level = s.level;
  d.decided_by_id = e.actor.id;
  d.decided_by_name = e.actor.name;
  d.at = e.at;
  c.latest_decision = std::move(d);
  ++c.decisions;
  NoteStaffUpdate(c, e.at);
  return {};
}

Step ApplyDecisionAppealed(CaseState& s, const Event& e) {
  REDRESS_DATA(id, DataInt(e.data, "decision_id"));
  REDRESS_DATA(reason, DataString(e.data, "reason"));
  REDRESS_DATA(evidence, DataStringArray(e.data, "evidence"));
  (void)reason;
  (void)evidence;
  CaseCommitments& c = s.commitments;
  if (!c.latest_decision || c.latest_decision->id != id) {
    return Problem("data.decision_id " + std::to_string(id) + " is not the latest decision");
  }
  if (c.latest_decision->appealed) {
    return Problem("decision " + std::to_string(id) + " was already appealed");
  }
  c.latest_decision->appealed = true;
  ++c.appeals;
  return {};
}

Step ApplyCreditRequested(CaseState& s, const Event& e) {
  REDRESS_DATA(id, DataInt(e.data, "credit_id"));
  REDRESS_DATA(amount, DataInt(e.data, "amount_minor"));
  REDRESS_DATA(currency, DataString(e.data, "currency"));
  REDRESS_DATA(reason, DataString(e.data, "reason"));
  REDRESS_DATA(by_level, DataInt(e.data, "requested_by_level"));
  REDRESS_DATA(limit, DataInt(e.data, "limit_minor"));
  REDRESS_DATA(approver, DataInt(e.data, "approver_level"));
  REDRESS_DATA(approver_name, DataString(e.data, "approver_level_name"));
  (void)limit;
  (void)approver_name;
  CaseCommitments& c = s.commitments;
  const int64_t expected = static_cast<int64_t>(c.credits.size()) + 1;
  if (id != expected) {
    return Problem("data.credit_id is " + std::to_string(id) + " but the next credit is " +
                   std::to_string(expected));
  }
  if (amount <= 0) return Problem("data.amount_minor must be positive");
  Credit x;
  x.id = id;
  x.amount_minor = amount;
  x.currency = std::string(currency);
  x.reason = std::string(reason);
  x.requested_by_level = static_cast<int>(by_level);
  x.approver_level = static_cast<int>(approver);
  x.requested_by_id = e.actor.id;
  x.requested_by_name = e.actor.name;
  x.requested_at = e.at;
  c.credits.push_back(std::move(x));
  return {};
}

// credit_approved settles a pending request, or (with the next unused id) records a credit
// granted outright within the actor's own authority.
Step ApplyCreditApproved(CaseState& s, const Event& e) {
  REDRESS_DATA(id, DataInt(e.data, "credit_id"));
  REDRESS_DATA(amount, DataInt(e.data, "amount_minor"));
  REDRESS_DATA(currency, DataString(e.data, "currency"));
  REDRESS_DATA(reason, DataString(e.data, "reason"));
  REDRESS_DATA(level, DataInt(e.data, "approved_by_level"));
  CaseCommitments& c = s.commitments;
  if (Credit* pending = FindCredit(c, id)) {
    if (pending->status != CreditStatus::kPending) {
      return Problem("credit " + std::to_string(id) + " is already " +
                     CreditStatusName(pending->status));
    }
    if (pending->amount_minor != amount || pending->currency != currency) {
      return Problem("credit " + std::to_string(id) + " was requested for a different amount");
    }
    pending->status = CreditStatus::kApproved;
    pending->settled_at = e.at;
    pending->settled_by_name = e.actor.name;
    return {};
  }
  const int64_t expected = static_cast<int64_t>(c.credits.size()) + 1;
  if (id != expected) {
    return Problem("data.credit_id is " + std::to_string(id) + " but the next credit is " +
                   std::to_string(expected));
  }
  if (amount <= 0) return Problem("data.amount_minor must be positive");
  Credit x;
  x.id = id;
  x.amount_minor = amount;
  x.currency = std::string(currency);
  x.reason = std::string(reason);
  x.status = CreditStatus::kApproved;
  x.requested_by_level = static_cast<int>(level);
  x.approver_level = static_cast<int>(level);
  x.requested_by_id = e.actor.id;
  x.requested_by_name = e.actor.name;
  x.requested_at = e.at;
  x.settled_at = e.at;
  x.settled_by_name = e.actor.name;
  c.credits.push_back(std::move(x));
  return {};
}

Step ApplyCreditDenied(CaseState& s, const Event& e) {
  REDRESS_DATA(id, DataInt(e.data, "credit_id"));
  REDRESS_DATA(reason, DataString(e.data, "reason"));
  Credit* x = FindCredit(s.commitments, id);
  if (x == nullptr) return Problem("data.credit_id " + std::to_string(id) + " was never requested");
  if (x->status != CreditStatus::kPending) {
    return Problem("credit " + std::to_string(id) + " is already " + CreditStatusName(x->status));
  }
  x->status = CreditStatus::kDenied;
  x->settled_at = e.at;
  x->settled_by_name = e.actor.name;
  x->settle_reason = std::string(reason);
  return {};
}

Step ApplySlaBreached(CaseState& s, const Event& e) {
  REDRESS_DATA(clock, DataString(e.data, "clock"));
  REDRESS_DATA(key, DataString(e.data, "key"));
  REDRESS_DATA(due_at, DataTimestamp(e.data, "due_at"));
  REDRESS_DATA(level, DataInt(e.data, "level"));
  (void)clock;
  (void)due_at;
  (void)level;
  CaseCommitments& c = s.commitments;
  if (c.BreachRecorded(key)) {
    return Problem("deadline " + std::string(key) + " was already recorded as breached");
  }
  c.breached_keys.emplace_back(key);
  ++c.breaches;
  return {};
}

#undef REDRESS_DATA

}  // namespace

void NoteStaffUpdate(CaseCommitments& c, Timestamp at) {
  if (!c.responded_at) c.responded_at = at;
  c.last_update_at = at;
  ++c.updates_at_level;
}

Result<void> ApplyCommitmentEvent(CaseState& s, const Event& e) {
  switch (e.type) {
    case EventType::kEscalated:
      return ApplyEscalated(s, e);
    case EventType::kPromiseMade:
      return ApplyPromiseMade(s, e);
    case EventType::kPromiseKept:
      return ApplyPromiseKept(s, e);
    case EventType::kPromiseBroken:
      return ApplyPromiseBroken(s, e);
    case EventType::kDecisionMade:
      return ApplyDecisionMade(s, e);
    case EventType::kDecisionAppealed:
      return ApplyDecisionAppealed(s, e);
    case EventType::kCreditRequested:
      return ApplyCreditRequested(s, e);
    case EventType::kCreditApproved:
      return ApplyCreditApproved(s, e);
    case EventType::kCreditDenied:
      return ApplyCreditDenied(s, e);
    case EventType::kSlaBreached:
      return ApplySlaBreached(s, e);
    default:
      return Problem("not an escalation event");
  }
}

}  // namespace redress::domain
