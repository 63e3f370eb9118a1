#include "domain/permissions.h"

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

const Principal kCustomer3{Role::kCustomer, 3, "Asha Rao", 0};
const Principal kCustomer4{Role::kCustomer, 4, "Ravi", 0};
const Principal kAgent{Role::kAgent, 7, "Priya (L1)", 1};
const Principal kSupervisor{Role::kSupervisor, 8, "Meera", 2};
const Principal kAdmin{Role::kAdmin, 1, "Admin", 1};

CaseState CaseOf(int64_t customer_id) {
  CaseState c;
  c.id = 1042;
  c.customer_id = customer_id;
  return c;
}

Event EventWith(Visibility v) {
  Event e;
  e.visibility = v;
  return e;
}

TEST(CanReadCase, CustomerOnlyTheirOwn) {
  EXPECT_TRUE(CanReadCase(kCustomer3, CaseOf(3)));
  EXPECT_FALSE(CanReadCase(kCustomer4, CaseOf(3)));
}

TEST(CanReadCase, CustomerWithoutIdReadsNothing) {
  // A default-constructed case has customer_id 0; an unset principal must not match it.
  EXPECT_FALSE(CanReadCase(Principal{Role::kCustomer, 0, "", 0}, CaseOf(0)));
}

TEST(CanReadCase, StaffAndSystemReadEverything) {
  for (const Principal& p : {kAgent, kSupervisor, kAdmin, Principal::System()}) {
    EXPECT_TRUE(CanReadCase(p, CaseOf(3))) << RoleName(p.role);
  }
}

TEST(CanSeeEvent, InternalEventsNeverReachCustomers) {
  EXPECT_FALSE(CanSeeEvent(kCustomer3, EventWith(Visibility::kInternal)));
  EXPECT_TRUE(CanSeeEvent(kCustomer3, EventWith(Visibility::kPublic)));
  for (const Principal& p : {kAgent, kSupervisor, kAdmin, Principal::System()}) {
    EXPECT_TRUE(CanSeeEvent(p, EventWith(Visibility::kInternal))) << RoleName(p.role);
    EXPECT_TRUE(CanSeeEvent(p, EventWith(Visibility::kPublic))) << RoleName(p.role);
  }
}

TEST(CanReadCustomer, CustomersSeeOnlyThemselves) {
  EXPECT_TRUE(CanReadCustomer(kCustomer3, 3));
  EXPECT_FALSE(CanReadCustomer(kCustomer3, 4));
  EXPECT_FALSE(CanReadCustomer(Principal{Role::kCustomer, 0, "", 0}, 0));
  EXPECT_TRUE(CanReadCustomer(kAgent, 3));
  EXPECT_TRUE(CanReadCustomer(kAdmin, 4));
}

TEST(IsStaff, AgentsSupervisorsAdminsOnly) {
  EXPECT_TRUE(IsStaff(kAgent));
  EXPECT_TRUE(IsStaff(kSupervisor));
  EXPECT_TRUE(IsStaff(kAdmin));
  EXPECT_FALSE(IsStaff(kCustomer3));
  EXPECT_FALSE(IsStaff(Principal::System()));
}

TEST(IsSupervisorOrAdmin, NotAgentsCustomersOrTheSystem) {
  EXPECT_TRUE(IsSupervisorOrAdmin(kSupervisor));
  EXPECT_TRUE(IsSupervisorOrAdmin(kAdmin));
  EXPECT_FALSE(IsSupervisorOrAdmin(kAgent));
  EXPECT_FALSE(IsSupervisorOrAdmin(kCustomer3));
  EXPECT_FALSE(IsSupervisorOrAdmin(Principal::System()));
}

TEST(CanManageUsers, AdminsOnly) {
  EXPECT_TRUE(CanManageUsers(kAdmin));
  EXPECT_FALSE(CanManageUsers(kSupervisor));
  EXPECT_FALSE(CanManageUsers(kAgent));
  EXPECT_FALSE(CanManageUsers(kCustomer3));
  EXPECT_FALSE(CanManageUsers(Principal::System()));
}

TEST(CanDeliverMail, MailgateAccountsAndAdminsOnly) {
  const Principal mailgate{Role::kMailgate, 3, "Postfix on mx1", 0};
  EXPECT_TRUE(CanDeliverMail(mailgate));
  EXPECT_TRUE(CanDeliverMail(kAdmin));
  EXPECT_FALSE(CanDeliverMail(kSupervisor));
  EXPECT_FALSE(CanDeliverMail(kAgent));
  EXPECT_FALSE(CanDeliverMail(kCustomer3));
}

TEST(CanReadCase, AMailgateAccountReadsNothing) {
  // Its user id equals customer 3's id: it must not pass for that customer.
  const Principal mailgate{Role::kMailgate, 3, "Postfix on mx1", 0};
  EXPECT_FALSE(CanReadCase(mailgate, CaseOf(3)));
  EXPECT_FALSE(CanReadCustomer(mailgate, 3));
  EXPECT_FALSE(IsStaff(mailgate));
}

}  // namespace
}  // namespace redress::domain
