#include "domain/principal.h"

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

TEST(Role, NamesRoundTrip) {
  for (Role role :
       {Role::kCustomer, Role::kAgent, Role::kSupervisor, Role::kAdmin, Role::kSystem,
        Role::kMailgate}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role) << RoleName(role);
  }
}

TEST(Role, StableNames) {
  EXPECT_STREQ(RoleName(Role::kCustomer), "customer");
  EXPECT_STREQ(RoleName(Role::kAgent), "agent");
  EXPECT_STREQ(RoleName(Role::kSupervisor), "supervisor");
  EXPECT_STREQ(RoleName(Role::kAdmin), "admin");
  EXPECT_STREQ(RoleName(Role::kSystem), "system");
  EXPECT_STREQ(RoleName(Role::kMailgate), "mailgate");
}

TEST(Role, ParseIsExact) {
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole(" agent"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
}

TEST(Principal, StaffAndCustomerPredicates) {
  EXPECT_TRUE((Principal{Role::kAgent, 1, "a", 1}).IsStaff());
  EXPECT_TRUE((Principal{Role::kSupervisor, 1, "s", 2}).IsStaff());
  EXPECT_TRUE((Principal{Role::kAdmin, 1, "ad", 1}).IsStaff());
  EXPECT_FALSE((Principal{Role::kCustomer, 1, "c", 0}).IsStaff());
  EXPECT_FALSE(Principal::System().IsStaff());
  EXPECT_FALSE(Principal::System().IsCustomer());
}

}  // namespace
}  // namespace redress::domain
