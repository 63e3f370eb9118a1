#include "domain/permissions.h"

namespace redress::domain {

bool CanReadCase(const Principal& p, const CaseState& c) {
  if (p.IsCustomer()) return p.id > 0 && c.customer_id == p.id;
  return p.IsStaff() || p.role == Role::kSystem;
}

bool CanSeeEvent(const Principal& p, const Event& e) {
  if (e.visibility == Visibility::kPublic) return true;
  return p.IsStaff() || p.role == Role::kSystem;
}

bool CanReadCustomer(const Principal& p, int64_t customer_id) {
  if (p.IsCustomer()) return p.id > 0 && customer_id == p.id;
  return p.IsStaff() || p.role == Role::kSystem;
}

bool IsStaff(const Principal& p) { return p.IsStaff(); }

bool IsSupervisorOrAdmin(const Principal& p) {
  return p.role == Role::kSupervisor || p.role == Role::kAdmin;
}

bool CanManageUsers(const Principal& p) { return p.role == Role::kAdmin; }

bool CanDeliverMail(const Principal& p) {
  return p.role == Role::kMailgate || p.role == Role::kAdmin;
}

}  // namespace redress::domain
