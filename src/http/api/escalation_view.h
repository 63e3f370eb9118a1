// The escalation part of a case on the wire (docs/api.md, "Case view: escalation"): what
// the customer sees (policy::BuildCustomerView: level, owner, next step and its due time,
// promises, decision, the ladder) for everyone who may read the case, and for staff also
// the SLA clocks, the goodwill credits and the level's name.
#pragma once

#include <boost/json/object.hpp>

#include "app/services.h"
#include "domain/case_state.h"
#include "domain/principal.h"

namespace redress::http::api {

/// Adds "escalation" (and for staff "sla", "credits", "level_name") to `view`, a CaseView
/// of `state`. Does nothing when the server runs without a policy (services.policies null).
void AddEscalationView(boost::json::object& view, const domain::CaseState& state,
                       const domain::Principal& viewer, const app::Services& services);

/// CaseView with the escalation fields: what GET /cases/{id} and every case action return.
boost::json::object FullCaseView(const domain::CaseState& state, const domain::Principal& viewer,
                                 const app::Services& services);

}  // namespace redress::http::api
