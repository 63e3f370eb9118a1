// How domain objects look on the wire (docs/api.md). The viewer matters: a customer gets
// the public projection of their case (no internal counts, the head of the chain they can
// see), staff get everything.
#pragma once

#include <boost/json/object.hpp>

#include "domain/case_state.h"
#include "domain/customer.h"
#include "domain/event.h"
#include "domain/principal.h"
#include "domain/user.h"

namespace redress::http::api {

boost::json::object CaseView(const domain::CaseState& state, const domain::Principal& viewer);
boost::json::object EventView(const domain::Event& event);
boost::json::object CustomerView(const domain::Customer& customer);
boost::json::object UserView(const domain::User& user);
boost::json::object PrincipalView(const domain::Principal& principal);

}  // namespace redress::http::api
