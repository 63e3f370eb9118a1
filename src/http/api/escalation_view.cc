#include "http/api/escalation_view.h"

#include <boost/json/array.hpp>

#include "core/time_format.h"
#include "http/api/views.h"
#include "policy/customer_view.h"
#include "policy/sla_clock.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;

json::value Time(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return json::value(FormatTimestamp(*t));
}

json::object SlaView(const domain::CaseState& state, const policy::EscalationPolicy& policy,
                     Timestamp now) {
  const policy::SlaSnapshot sla = policy::ComputeSla(state, policy, now);
  json::object out{{"first_response_due", nullptr},
                   {"next_update_due", nullptr},
                   {"resolution_due", nullptr}};
  json::array breached;
  for (const std::string& key : state.commitments.breached_keys) {
    // Keys look like "case:42:next_update:e1.u2": the clock is the third part.
    const size_t first = key.find(':');
    const size_t second = first == std::string::npos ? first : key.find(':', first + 1);
    const size_t third = second == std::string::npos ? second : key.find(':', second + 1);
    if (third != std::string::npos) breached.emplace_back(key.substr(second + 1, third - second - 1));
  }
  bool paused = false;
  for (const policy::Deadline& d : sla.deadlines) {
    if (d.kind == policy::DeadlineKind::kPromise) continue;
    if (!d.due_at) paused = true;
    out[std::string(policy::DeadlineKindName(d.kind)) + "_due"] = Time(d.due_at);
  }
  out["breached"] = std::move(breached);
  out["paused"] = paused;
  out["next_due"] = Time(sla.next_step_due);
  return out;
}

json::array CreditsView(const domain::CaseState& state) {
  json::array out;
  for (const domain::Credit& c : state.commitments.credits) {
    out.emplace_back(json::object{{"id", c.id},
                                  {"amount", c.amount_minor},
                                  {"currency", c.currency},
                                  {"reason", c.reason},
                                  {"status", c.status == domain::CreditStatus::kPending
                                                 ? "requested"
                                                 : domain::CreditStatusName(c.status)},
                                  {"requested_by", c.requested_by_name},
                                  {"approver_level", c.approver_level},
                                  {"settled_by", c.settled_by_name},
                                  {"settle_reason", c.settle_reason}});
  }
  return out;
}

}  // namespace

void AddEscalationView(json::object& view, const domain::CaseState& state,
                       const domain::Principal& viewer, const app::Services& services) {
  if (services.policies == nullptr) return;
  const auto policy = services.policies->Get();
  const Timestamp now = services.clock.Now();
  json::object escalation = policy::ToJson(policy::BuildCustomerView(state, *policy, now));
  // The ladder's fields also at the top, as the API contract names them.
  if (const json::object* ladder = escalation["ladder"].if_object()) {
    const json::object copy = *ladder;
    escalation["next_level"] = copy.at("next_level");
    escalation["may_escalate_now"] = copy.at("may_escalate_now");
    escalation["may_escalate_from"] = copy.at("may_escalate_from");
    escalation["escalation_note"] = copy.at("note");
  }
  view["escalation"] = std::move(escalation);
  if (!viewer.IsStaff()) return;
  view["sla"] = SlaView(state, *policy, now);
  view["credits"] = CreditsView(state);
  view["level_name"] = policy->LevelFor(state).name;
}

json::object FullCaseView(const domain::CaseState& state, const domain::Principal& viewer,
                          const app::Services& services) {
  json::object view = CaseView(state, viewer);
  AddEscalationView(view, state, viewer, services);
  return view;
}

}  // namespace redress::http::api
