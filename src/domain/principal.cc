#include "domain/principal.h"

namespace redress::domain {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kCustomer: return "customer";
    case Role::kAgent: return "agent";
    case Role::kSupervisor: return "supervisor";
    case Role::kAdmin: return "admin";
    case Role::kSystem: return "system";
    case Role::kMailgate: return "mailgate";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role :
       {Role::kCustomer, Role::kAgent, Role::kSupervisor, Role::kAdmin, Role::kSystem,
        Role::kMailgate}) {
    if (name == RoleName(role)) return role;
  }
  return std::nullopt;
}

}  // namespace redress::domain
