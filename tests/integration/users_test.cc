// Staff accounts through the API: listing (staff) and creation (admin), validation, and
// that a created account is usable at once (login, assignment).
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class UsersTest : public ServerTest {
 protected:
  static const json::value* FindByEmail(const json::array& items, const std::string& email) {
    for (const json::value& item : items) {
      if (Str(item, "/email") == email) return &item;
    }
    return nullptr;
  }
};

TEST_F(UsersTest, StaffListEveryAccountWithoutSecrets) {
  HttpResponse r = Client().Get("/api/v1/users", Bearer(agent1().token));
  ASSERT_EQ(r.status, 200) << r.Describe();
  json::array items = Array(Body(r), "/items");
  for (const StaffAccount* account : {&agent1(), &agent2(), &supervisor(), &admin()}) {
    const json::value* user = FindByEmail(items, account->email);
    ASSERT_NE(user, nullptr) << account->email << " missing from " << r.body;
    EXPECT_EQ(Int(*user, "/id"), account->id);
    EXPECT_EQ(Str(*user, "/name"), account->name);
    EXPECT_EQ(Str(*user, "/role"), account->role);
    EXPECT_EQ(Int(*user, "/level"), account->level);
    EXPECT_EQ(At(*user, "/active") ? *At(*user, "/active") : json::value(), json::value(true));
  }
  EXPECT_EQ(r.body.find("argon2"), std::string::npos) << "password hashes leaked";
  EXPECT_EQ(r.body.find("password"), std::string::npos) << r.body;
}

TEST_F(UsersTest, AdminCreatesAUsableAccount) {
  std::string email = UniqueEmail("grievance");
  json::object body{{"email", email},
                    {"name", "Gita (Grievance officer)"},
                    {"role", "supervisor"},
                    {"level", 3},
                    {"password", "a long enough passphrase"}};
  HttpResponse r = Client().Post("/api/v1/users", body, Bearer(admin().token));
  ASSERT_EQ(r.status, 201) << r.Describe();
  json::value user = Body(r);
  ASSERT_TRUE(Int(user, "/id")) << r.body;
  EXPECT_EQ(Str(user, "/email"), email);
  EXPECT_EQ(Str(user, "/name"), "Gita (Grievance officer)");
  EXPECT_EQ(Str(user, "/role"), "supervisor");
  EXPECT_EQ(Int(user, "/level"), 3);
  EXPECT_EQ(r.body.find("a long enough passphrase"), std::string::npos);
  EXPECT_EQ(r.body.find("argon2"), std::string::npos);

  HttpResponse login =
      Client().Post("/api/v1/auth/login",
                    json::object{{"email", email}, {"password", "a long enough passphrase"}});
  ASSERT_EQ(login.status, 200) << login.Describe();
  EXPECT_EQ(Int(Body(login), "/principal/id"), *Int(user, "/id"));
  EXPECT_EQ(Int(Body(login), "/principal/level"), 3);

  // The new account can own cases straight away.
  TestCustomer customer = NewCustomer();
  json::value opened = OpenCase(agent1().token, customer.id);
  ASSERT_TRUE(opened.is_object());
  HttpResponse assigned = CaseAction(agent1().token, *Int(opened, "/id"), "assign",
                                     json::object{{"owner_id", *Int(user, "/id")}});
  ASSERT_EQ(assigned.status, 200) << assigned.Describe();
  EXPECT_EQ(Str(Body(assigned), "/case/owner/name"), "Gita (Grievance officer)");

  HttpResponse listed = Client().Get("/api/v1/users", Bearer(supervisor().token));
  EXPECT_NE(FindByEmail(Array(Body(listed), "/items"), email), nullptr) << listed.body;
}

TEST_F(UsersTest, LevelDefaultsToTheFrontLine) {
  HttpResponse r = Client().Post(
      "/api/v1/users",
      json::object{{"email", UniqueEmail("l1")}, {"name", "New hire"}, {"role", "agent"}},
      Bearer(admin().token));
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(Int(Body(r), "/level"), 1);
  EXPECT_EQ(At(Body(r), "/active") ? *At(Body(r), "/active") : json::value(), json::value(true));
}

TEST_F(UsersTest, TakenEmailIsAConflict) {
  HttpResponse r = Client().Post(
      "/api/v1/users", json::object{{"email", agent1().email}, {"name", "Twin"}, {"role", "agent"}},
      Bearer(admin().token));
  EXPECT_TRUE(IsProblem(r, 409, "conflict"));
}

TEST_F(UsersTest, InvalidUsersAre422NamingTheField) {
  struct Case {
    json::object body;
    const char* field;
  };
  std::vector<Case> cases = {
      {{{"email", UniqueEmail()}, {"name", "C"}, {"role", "customer"}}, "role"},
      {{{"email", UniqueEmail()}, {"name", "S"}, {"role", "system"}}, "role"},
      {{{"email", UniqueEmail()}, {"name", "B"}, {"role", "overlord"}}, "role"},
      {{{"email", "not an email"}, {"name", "E"}, {"role", "agent"}}, "email"},
      {{{"name", "No email"}, {"role", "agent"}}, "email"},
      {{{"email", UniqueEmail()}, {"role", "agent"}}, "name"},
      {{{"email", UniqueEmail()}, {"name", "No role"}}, "role"},
      {{{"email", UniqueEmail()}, {"name", "L"}, {"role", "agent"}, {"level", 0}}, "level"},
      {{{"email", UniqueEmail()}, {"name", "L"}, {"role", "agent"}, {"level", "2"}}, "level"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Client().Post("/api/v1/users", c.body, Bearer(admin().token));
    ASSERT_TRUE(IsProblem(r, 422, "invalid-argument")) << json::serialize(c.body);
    EXPECT_EQ(Str(Body(r), "/field"), c.field) << r.body;
  }
}

}  // namespace
}  // namespace redress::testing
