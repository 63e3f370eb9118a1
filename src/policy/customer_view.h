// What the customer sees of the escalation machinery on their case: who has it and at
// which level, when the next step is due (always a date unless the next step is theirs),
// every promise with its status (open ones first, then broken, then kept), the latest
// decision with the customer's next step, and the ladder: the level above, and when the
// customer may go there themselves; past the top, or after "cannot resolve", the external
// routes with their addresses. Nothing internal goes in: no member lists, no authority
// limits, no internal notes.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/case_state.h"
#include "policy/escalation_policy.h"

namespace redress::policy {

struct PromiseView {
  int64_t id = 0;
  std::string what;
  Timestamp due_at{};
  std::string made_by;
  domain::PromiseStatus status = domain::PromiseStatus::kOpen;
  std::optional<Timestamp> settled_at;
  bool overdue = false;  // open and past due (about to be marked broken)
};

struct DecisionView {
  domain::DecisionOutcome outcome = domain::DecisionOutcome::kApproved;
  std::string reason;
  std::string next_step;
  std::string decided_by;
  Timestamp at{};
  bool appealed = false;
  const ExternalRoute* external_route = nullptr;  // cannot_resolve only
};

struct LevelView {
  int level = 1;
  std::string name;
  std::string contact;
};

struct CustomerEscalationView {
  LevelView current;
  std::string owner_name;  // empty: waiting in the level's queue
  /// When the company's next step is due; overdue when in the past. None only when the
  /// case is solved or closed, or the next step is the customer's.
  std::optional<Timestamp> next_step_due;
  std::string next_step;  // "first_response", "next_update", "resolution", "promise", ""
  bool overdue = false;
  bool waiting_for_customer = false;
  std::vector<PromiseView> promises;
  std::optional<DecisionView> decision;
  std::optional<LevelView> next_level;
  bool may_escalate_now = false;
  std::optional<Timestamp> may_escalate_from;
  std::string escalation_note;  // why not yet, in words
  std::vector<const ExternalRoute*> external_routes;
  int64_t escalations = 0;
};

CustomerEscalationView BuildCustomerView(const domain::CaseState& c, const EscalationPolicy& policy,
                                         Timestamp now);

/// The JSON the API returns under "escalation" in the customer's case view.
boost::json::object ToJson(const CustomerEscalationView& view);

}  // namespace redress::policy
