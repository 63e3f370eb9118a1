// Who is calling. Every request, CLI action and background job acts as a Principal, and
// every permission decision is a pure function of the Principal and the thing touched
// (see permissions.h), so the rules can be tested without a server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace redress::domain {

/// kMailgate is an account for a mail transfer agent (`redress mailgate --url`): it may only
/// deliver inbound mail (POST /api/v1/inbound/email) and reads nothing, so the token kept on
/// the mail host opens no case to whoever reads it there.
enum class Role { kCustomer, kAgent, kSupervisor, kAdmin, kSystem, kMailgate };

/// "customer", "agent", "supervisor", "admin", "system", "mailgate"
const char* RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Principal {
  Role role = Role::kCustomer;
  /// customer id for kCustomer, user id for staff, 0 for kSystem.
  int64_t id = 0;
  std::string display_name;
  /// Escalation level of staff (1 = front line). 0 for customers and the system.
  int level = 0;

  bool IsStaff() const { return role == Role::kAgent || role == Role::kSupervisor || role == Role::kAdmin; }
  bool IsCustomer() const { return role == Role::kCustomer; }

  static Principal System() { return Principal{Role::kSystem, 0, "Redress", 0}; }
};

}  // namespace redress::domain
