#include "policy/customer_view.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "core/time_format.h"
#include "policy/sla_clock.h"
#include "policy/triggers.h"

namespace redress::policy {
namespace {

int StatusOrder(domain::PromiseStatus s) {
  switch (s) {
    case domain::PromiseStatus::kOpen:
      return 0;
    case domain::PromiseStatus::kBroken:
      return 1;
    case domain::PromiseStatus::kKept:
      return 2;
  }
  return 3;
}

boost::json::value Time(const std::optional<Timestamp>& t) {
  return t ? boost::json::value(FormatTimestamp(*t)) : boost::json::value(nullptr);
}

boost::json::object LevelJson(const LevelView& l) {
  return {{"level", l.level}, {"name", l.name}, {"contact", l.contact}};
}

boost::json::object RouteJson(const ExternalRoute& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"kind", ExternalRouteKindName(r.kind)},
          {"address", r.address},
          {"note", r.note}};
}

}  // namespace

CustomerEscalationView BuildCustomerView(const domain::CaseState& c, const EscalationPolicy& policy,
                                         Timestamp now) {
  CustomerEscalationView v;
  const Ladder& ladder = policy.LadderFor(c.category);
  const Level& level = policy.LevelFor(c);
  v.current = LevelView{c.level, level.name, level.contact};
  v.owner_name = c.owner_id ? c.owner_name : std::string();
  v.escalations = c.commitments.escalations;

  const SlaSnapshot sla = ComputeSla(c, policy, now);
  v.waiting_for_customer = sla.waiting_for_customer;
  v.next_step_due = sla.next_step_due;
  for (const Deadline& d : sla.deadlines) {
    if (d.due_at && d.due_at == sla.next_step_due) {
      v.next_step = DeadlineKindName(d.kind);
      break;
    }
  }
  v.overdue = v.next_step_due && *v.next_step_due <= now;

  for (const domain::Promise& p : c.commitments.promises) {
    v.promises.push_back(PromiseView{p.id, p.what, p.due_at, p.made_by_name, p.status, p.settled_at,
                                     p.status == domain::PromiseStatus::kOpen && p.due_at <= now});
  }
  std::stable_sort(v.promises.begin(), v.promises.end(),
                   [](const PromiseView& a, const PromiseView& b) {
                     if (StatusOrder(a.status) != StatusOrder(b.status)) {
                       return StatusOrder(a.status) < StatusOrder(b.status);
                     }
                     return a.status == domain::PromiseStatus::kOpen && a.due_at < b.due_at;
                   });

  bool cannot_resolve = false;
  if (const auto& d = c.commitments.latest_decision) {
    DecisionView dv{d->outcome, d->reason,   d->next_step, d->decided_by_name,
                    d->at,      d->appealed, nullptr};
    if (d->outcome == domain::DecisionOutcome::kCannotResolve) {
      cannot_resolve = true;
      dv.external_route = policy.FindExternalRoute(d->external_route);
    }
    v.decision = dv;
  }

  const CustomerEscalationWindow window = CustomerEscalation(c, policy, now);
  if (window.next_level != nullptr) {
    v.next_level = LevelView{c.level + 1, window.next_level->name, window.next_level->contact};
  }
  v.may_escalate_now = window.allowed_now;
  v.may_escalate_from = window.allowed_from;
  v.escalation_note = window.why_not;
  if (cannot_resolve || window.next_level == nullptr) {
    v.external_routes = ladder.external;
  }
  return v;
}

boost::json::object ToJson(const CustomerEscalationView& v) {
  boost::json::array promises;
  for (const PromiseView& p : v.promises) {
    promises.push_back(boost::json::object{{"id", p.id},
                                           {"what", p.what},
                                           {"due_at", FormatTimestamp(p.due_at)},
                                           {"made_by", p.made_by},
                                           {"status", domain::PromiseStatusName(p.status)},
                                           {"settled_at", Time(p.settled_at)},
                                           {"overdue", p.overdue}});
  }
  boost::json::value decision(nullptr);
  if (v.decision) {
    decision = boost::json::object{
        {"outcome", domain::DecisionOutcomeName(v.decision->outcome)},
        {"reason", v.decision->reason},
        {"next_step", v.decision->next_step},
        {"decided_by", v.decision->decided_by},
        {"at", FormatTimestamp(v.decision->at)},
        {"appealed", v.decision->appealed},
        {"external_route", v.decision->external_route != nullptr
                               ? boost::json::value(RouteJson(*v.decision->external_route))
                               : boost::json::value(nullptr)}};
  }
  boost::json::array routes;
  for (const ExternalRoute* r : v.external_routes) routes.push_back(RouteJson(*r));
  return {{"level", LevelJson(v.current)},
          {"owner_name", v.owner_name},
          {"next_step_due", Time(v.next_step_due)},
          {"next_step", v.next_step},
          {"overdue", v.overdue},
          {"waiting_for_customer", v.waiting_for_customer},
          {"promises", std::move(promises)},
          {"decision", std::move(decision)},
          {"ladder", boost::json::object{{"next_level", v.next_level ? boost::json::value(
                                                                           LevelJson(*v.next_level))
                                                                     : boost::json::value(nullptr)},
                                         {"may_escalate_now", v.may_escalate_now},
                                         {"may_escalate_from", Time(v.may_escalate_from)},
                                         {"note", v.escalation_note}}},
          {"external_routes", std::move(routes)},
          {"escalations", v.escalations}};
}

}  // namespace redress::policy
