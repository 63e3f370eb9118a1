// Who may see what. Pure functions of the principal and the thing, used by every route
// and by the CLI, so that the rules live in one place and are tested here, not per route.
#pragma once

#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"

namespace redress::domain {

/// Staff and the system read every case; a customer only their own. Callers answer
/// kNotFound (not kPermissionDenied) when this is false, so a customer cannot even learn
/// that another customer's case number exists.
bool CanReadCase(const Principal& p, const CaseState& c);

/// Internal events (notes, and any later internal type) never reach a customer.
bool CanSeeEvent(const Principal& p, const Event& e);

/// Customers see only their own customer record; staff see all.
bool CanReadCustomer(const Principal& p, int64_t customer_id);

/// Creating customers, listing all cases, notes, assignment and status: staff only.
bool IsStaff(const Principal& p);

/// Changing what shapes other staff's work (canned replies, a customer's value tier):
/// supervisors and admins.
bool IsSupervisorOrAdmin(const Principal& p);

/// Managing users and tokens: admins only.
bool CanManageUsers(const Principal& p);

/// Handing inbound mail to the server (POST /api/v1/inbound/email): a mailgate account
/// (the MTA's) or an admin. A mailgate account may do nothing else (the dispatcher refuses
/// it every other route), so its token, which lives on the mail host, reads no case.
bool CanDeliverMail(const Principal& p);

}  // namespace redress::domain
