// Who may see and do what: customers are fenced into their own records (and another
// customer's case does not even exist for them), internal notes never reach customers,
// roles gate staff actions, credentials are checked, session cookies need CSRF tokens, and
// no malformed input on any POST route can provoke a server error.
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class SecurityTest : public ServerTest {
 protected:
  // Customer A with a case, customer B with a case.
  void SetUpTwoCustomers() {
    a_ = NewCustomer("Customer A");
    b_ = NewCustomer("Customer B");
    ASSERT_FALSE(a_.token.empty());
    ASSERT_FALSE(b_.token.empty());
    a_case_ = Int(OpenCase(a_.token, 0, "A's problem"), "/id").value_or(0);
    b_case_ = Int(OpenCase(b_.token, 0, "B's problem"), "/id").value_or(0);
    ASSERT_NE(a_case_, 0);
    ASSERT_NE(b_case_, 0);
  }

  static std::string CasePath(int64_t id, std::string_view tail = {}) {
    std::string path = "/api/v1/cases/" + std::to_string(id);
    if (!tail.empty()) path += "/" + std::string(tail);
    return path;
  }

  TestCustomer a_;
  TestCustomer b_;
  int64_t a_case_ = 0;
  int64_t b_case_ = 0;
};

// ---- customers are fenced in

TEST_F(SecurityTest, AnotherCustomersCaseIsNotFoundNotForbidden) {
  ASSERT_NO_FATAL_FAILURE(SetUpTwoCustomers());
  HttpResponse get = Client().Get(CasePath(b_case_), Bearer(a_.token));
  EXPECT_TRUE(IsProblem(get, 404, "not-found"));
  HttpResponse events = Client().Get(CasePath(b_case_, "events"), Bearer(a_.token));
  EXPECT_TRUE(IsProblem(events, 404, "not-found"));
  HttpResponse post = Client().Post(CasePath(b_case_, "messages"),
                                    json::object{{"body", "let me in"}}, Bearer(a_.token));
  EXPECT_TRUE(IsProblem(post, 404, "not-found"));
  // Indistinguishable from a case that does not exist at all.
  HttpResponse missing = Client().Get(CasePath(987654321), Bearer(a_.token));
  EXPECT_TRUE(IsProblem(missing, 404, "not-found"));
  EXPECT_EQ(Str(Body(get), "/title"), Str(Body(missing), "/title"));
  // Nothing was appended to B's case.
  EXPECT_EQ(Int(GetCase(agent1().token, b_case_), "/last_seq"), 1);
}

TEST_F(SecurityTest, CustomerListsOnlyTheirOwnCasesWhateverTheFilter) {
  ASSERT_NO_FATAL_FAILURE(SetUpTwoCustomers());
  for (std::string query : {std::string(), "?customer=" + std::to_string(b_.id),
                            std::string("?owner=none"), std::string("?status=new&limit=200")}) {
    HttpResponse r = Client().Get("/api/v1/cases" + query, Bearer(a_.token));
    ASSERT_EQ(r.status, 200) << query << ": " << r.Describe();
    json::array items = Array(Body(r), "/items");
    for (const json::value& item : items) {
      EXPECT_EQ(Int(item, "/customer_id"), a_.id) << query << ": " << json::serialize(item);
      for (const char* hidden : {"/counts/internal_notes", "/last_seq", "/head_hash"}) {
        EXPECT_EQ(At(item, hidden), nullptr) << hidden << " in " << json::serialize(item);
      }
    }
    if (query.find("customer=") == std::string::npos) {
      ASSERT_EQ(items.size(), 1u) << query << ": " << r.body;
      EXPECT_EQ(Int(items[0], "/id"), a_case_);
    }
  }
}

TEST_F(SecurityTest, CustomerSeesOnlyTheirOwnCustomerRecord) {
  ASSERT_NO_FATAL_FAILURE(SetUpTwoCustomers());
  HttpResponse own = Client().Get("/api/v1/customers/" + std::to_string(a_.id), Bearer(a_.token));
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(Str(Body(own), "/name"), "Customer A");
  HttpResponse other = Client().Get("/api/v1/customers/" + std::to_string(b_.id), Bearer(a_.token));
  EXPECT_TRUE(IsProblem(other, 404, "not-found"));
}

TEST_F(SecurityTest, CustomerNeverSeesInternalEvents) {
  ASSERT_NO_FATAL_FAILURE(SetUpTwoCustomers());
  const std::string secret = "Customer is a known chargeback risk";
  ASSERT_EQ(CaseAction(agent1().token, a_case_, "notes", json::object{{"body", secret}}).status,
            201);
  HttpResponse reply =
      CaseAction(agent1().token, a_case_, "messages", json::object{{"body", "We are on it."}});
  ASSERT_EQ(reply.status, 201) << reply.Describe();
  ASSERT_EQ(
      CaseAction(agent1().token, a_case_, "notes", json::object{{"body", secret + " (2)"}}).status,
      201);

  std::vector<json::value> staff_view = AllEvents(agent1().token, a_case_);
  std::vector<json::value> customer_view = AllEvents(a_.token, a_case_);
  std::vector<json::value> customer_paged = AllEvents(a_.token, a_case_, /*limit=*/1);
  size_t public_events = 0;
  const json::value* last_public = nullptr;
  for (const json::value& e : staff_view) {
    if (Str(e, "/visibility") == "public") {
      ++public_events;
      last_public = &e;
    }
  }
  ASSERT_NE(last_public, nullptr);
  ASSERT_LT(public_events, staff_view.size()) << "the staff view should hold the notes";
  EXPECT_EQ(customer_view.size(), public_events);
  EXPECT_EQ(customer_paged, customer_view);
  for (const json::value& e : customer_view) {
    std::string text = json::serialize(e);
    EXPECT_EQ(Str(e, "/visibility"), "public") << text;
    EXPECT_NE(Str(e, "/type"), "internal_note") << text;
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
  }

  // The chain head and the note count would reveal internal events, so customers get
  // neither; each event they see carries its own hashes.
  json::value seen_by_customer = GetCase(a_.token, a_case_);
  ASSERT_TRUE(seen_by_customer.is_object());
  for (const char* hidden : {"/counts/internal_notes", "/last_seq", "/head_hash"}) {
    EXPECT_EQ(At(seen_by_customer, hidden), nullptr)
        << hidden << " in " << json::serialize(seen_by_customer);
  }
  EXPECT_EQ(Int(seen_by_customer, "/counts/staff_replies"), 1);
  json::value seen_by_staff = GetCase(agent1().token, a_case_);
  EXPECT_EQ(Int(seen_by_staff, "/counts/internal_notes"), 2);
  EXPECT_EQ(Int(seen_by_staff, "/last_seq"), static_cast<int64_t>(staff_view.size()));

  // The case in a customer's own write response is filtered the same way.
  HttpResponse own_message =
      CaseAction(a_.token, a_case_, "messages", json::object{{"body", "Thanks"}});
  ASSERT_EQ(own_message.status, 201) << own_message.Describe();
  for (const char* hidden : {"/case/counts/internal_notes", "/case/last_seq", "/case/head_hash"}) {
    EXPECT_EQ(At(Body(own_message), hidden), nullptr) << hidden << " in " << own_message.body;
  }
  EXPECT_EQ(own_message.body.find(secret), std::string::npos);
  json::array returned = Array(Body(own_message), "/events");
  for (const json::value& e : returned) EXPECT_EQ(Str(e, "/visibility"), "public");
}

TEST_F(SecurityTest, CustomersCannotUseStaffActions) {
  ASSERT_NO_FATAL_FAILURE(SetUpTwoCustomers());
  struct Action {
    const char* name;
    json::value body;
  };
  std::vector<Action> actions = {
      {"notes", json::object{{"body", "note to self"}}},
      {"assign", json::object{{"owner_id", agent1().id}}},
      {"status", json::object{{"status", "closed"}}},
      {"priority", json::object{{"priority", "urgent"}}},
      {"category", json::object{{"category", "vip"}}},
  };
  for (const Action& action : actions) {
    HttpResponse r = CaseAction(a_.token, a_case_, action.name, action.body);
    EXPECT_TRUE(IsProblem(r, 403, "permission-denied")) << action.name;
  }
  json::value c = GetCase(agent1().token, a_case_);
  EXPECT_EQ(Int(c, "/last_seq"), 1) << json::serialize(c);
  EXPECT_EQ(Str(c, "/status"), "new");

  EXPECT_TRUE(IsProblem(
      Client().Post("/api/v1/customers",
                    json::object{{"name", "Sock puppet"}, {"emails", json::array{UniqueEmail()}}},
                    Bearer(a_.token)),
      403, "permission-denied"));
  EXPECT_TRUE(IsProblem(Client().Get("/api/v1/users", Bearer(a_.token)), 403, "permission-denied"));
  EXPECT_TRUE(IsProblem(
      Client().Post(
          "/api/v1/users",
          json::object{{"email", UniqueEmail("evil")}, {"name", "Evil"}, {"role", "admin"}},
          Bearer(a_.token)),
      403, "permission-denied"));
}

TEST_F(SecurityTest, CustomerCannotOpenACaseForAnotherCustomer) {
  ASSERT_NO_FATAL_FAILURE(SetUpTwoCustomers());
  HttpResponse r = Client().Post(
      "/api/v1/cases", json::object{{"customer_id", b_.id}, {"subject", "s"}, {"body", "b"}},
      Bearer(a_.token));
  EXPECT_TRUE(IsProblem(r, 403, "permission-denied"));
  HttpResponse b_cases = Client().Get("/api/v1/cases", Bearer(b_.token));
  EXPECT_EQ(Array(Body(b_cases), "/items").size(), 1u) << b_cases.body;
}

// ---- staff roles

TEST_F(SecurityTest, OnlyAdminsCreateUsers) {
  json::object body{{"email", UniqueEmail("new-agent")}, {"name", "New Agent"}, {"role", "agent"}};
  EXPECT_TRUE(IsProblem(Client().Post("/api/v1/users", body, Bearer(agent1().token)), 403,
                        "permission-denied"));
  EXPECT_TRUE(IsProblem(Client().Post("/api/v1/users", body, Bearer(supervisor().token)), 403,
                        "permission-denied"));
  HttpResponse ok = Client().Post("/api/v1/users", body, Bearer(admin().token));
  ASSERT_EQ(ok.status, 201) << ok.Describe();
  EXPECT_EQ(Str(Body(ok), "/email"), body["email"].as_string());
}

// ---- credentials

TEST_F(SecurityTest, MissingOrInvalidCredentialsAre401WithChallenge) {
  std::vector<Headers> attempts = {
      {},
      {{"Authorization", "Bearer rdt_not-a-real-token"}},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Bearer"}},
      {{"Authorization", "Basic YWRtaW46YWRtaW4="}},
      {{"Authorization", "Bearer " + agent1().token + "x"}},
      {{"Authorization", "Bearer " + agent1().token.substr(0, agent1().token.size() - 1)}},
      {{"Authorization", agent1().token}},
      {{"Cookie", "redress_session=rds_forged"}},
  };
  for (const Headers& headers : attempts) {
    std::string shown = headers.empty() ? "<none>" : headers[0].first + ": " + headers[0].second;
    HttpResponse r = Client().Get("/api/v1/me", headers);
    ASSERT_TRUE(IsProblem(r, 401, "unauthenticated")) << shown;
    EXPECT_EQ(r.Header("WWW-Authenticate").value_or("").rfind("Bearer", 0), 0u) << shown;
    // Writes are refused the same way.
    HttpResponse w =
        Client().Post("/api/v1/customers",
                      json::object{{"name", "X"}, {"emails", json::array{"x@y.zz"}}}, headers);
    EXPECT_TRUE(IsProblem(w, 401, "unauthenticated")) << shown;
  }
}

// Login, cookie use with and without the CSRF token, logout.
class SessionTest : public ServerTest {
 protected:
  struct Session {
    std::string cookie;  // "redress_session=rds_..."
    std::string csrf;
  };

  static Session Login(const StaffAccount& who) {
    HttpResponse r = Client().Post("/api/v1/auth/login",
                                   json::object{{"email", who.email}, {"password", who.password}});
    EXPECT_EQ(r.status, 200) << r.Describe();
    Session s;
    std::string set_cookie = r.Header("Set-Cookie").value_or("");
    s.cookie = set_cookie.substr(0, set_cookie.find(';'));
    s.csrf = Str(Body(r), "/csrf_token").value_or("");
    return s;
  }

  static json::object NewCustomerBody() {
    return json::object{{"name", "Via Cookie"}, {"emails", json::array{UniqueEmail()}}};
  }
};

TEST_F(SessionTest, LoginReturnsPrincipalCsrfTokenAndAStrictHttpOnlyCookie) {
  HttpResponse r =
      Client().Post("/api/v1/auth/login",
                    json::object{{"email", agent1().email}, {"password", agent1().password}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  json::value body = Body(r);
  EXPECT_EQ(Str(body, "/principal/role"), "agent");
  EXPECT_EQ(Int(body, "/principal/id"), agent1().id);
  EXPECT_EQ(Str(body, "/principal/name"), agent1().name);
  EXPECT_EQ(Int(body, "/principal/level"), 1);
  EXPECT_EQ(Str(body, "/csrf_token").value_or("").rfind("rdc_", 0), 0u) << r.body;
  EXPECT_TRUE(IsTimestamp(Str(body, "/expires_at").value_or(""))) << r.body;
  std::string cookie = r.Header("Set-Cookie").value_or("");
  EXPECT_EQ(cookie.rfind("redress_session=rds_", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  // No secret ever goes into the body other than the CSRF token.
  EXPECT_EQ(r.body.find("rds_"), std::string::npos) << r.body;
}

TEST_F(SessionTest, CookieAuthenticatesReads) {
  Session s = Login(agent1());
  ASSERT_FALSE(s.cookie.empty());
  HttpResponse me = Client().Get("/api/v1/me", {{"Cookie", s.cookie}});
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(Int(Body(me), "/id"), agent1().id);
  // Among other cookies, too.
  HttpResponse mixed =
      Client().Get("/api/v1/me", {{"Cookie", "theme=dark; " + s.cookie + "; x=1"}});
  EXPECT_EQ(mixed.status, 200) << mixed.Describe();
}

TEST_F(SessionTest, UnsafeMethodsWithTheCookieNeedTheCsrfToken) {
  Session s = Login(agent1());
  ASSERT_FALSE(s.cookie.empty());
  HttpResponse without =
      Client().Post("/api/v1/customers", NewCustomerBody(), {{"Cookie", s.cookie}});
  EXPECT_TRUE(IsProblem(without, 403, "permission-denied"));
  HttpResponse wrong = Client().Post("/api/v1/customers", NewCustomerBody(),
                                     {{"Cookie", s.cookie}, {"X-CSRF-Token", "rdc_wrong"}});
  EXPECT_TRUE(IsProblem(wrong, 403, "permission-denied"));
  Session other = Login(agent1());
  HttpResponse crossed = Client().Post("/api/v1/customers", NewCustomerBody(),
                                       {{"Cookie", s.cookie}, {"X-CSRF-Token", other.csrf}});
  EXPECT_TRUE(IsProblem(crossed, 403, "permission-denied")) << "CSRF token of another session";
  HttpResponse with = Client().Post("/api/v1/customers", NewCustomerBody(),
                                    {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  EXPECT_EQ(with.status, 201) << with.Describe();
  // Bearer tokens are not cookies: no CSRF token needed.
  HttpResponse bearer =
      Client().Post("/api/v1/customers", NewCustomerBody(), Bearer(agent1().token));
  EXPECT_EQ(bearer.status, 201) << bearer.Describe();
}

TEST_F(SessionTest, LogoutInvalidatesTheCookie) {
  Session s = Login(agent1());
  ASSERT_FALSE(s.cookie.empty());
  HttpResponse out = Client().Post("/api/v1/auth/logout", json::object{},
                                   {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  ASSERT_EQ(out.status, 200) << out.Describe();
  EXPECT_EQ(Body(out), json::value(json::object{{"signed_out", true}})) << out.body;
  std::string cleared = out.Header("Set-Cookie").value_or("");
  EXPECT_EQ(cleared.rfind("redress_session=", 0), 0u) << cleared;
  EXPECT_TRUE(cleared.find("Max-Age=0") != std::string::npos ||
              cleared.find("Expires=Thu, 01 Jan 1970") != std::string::npos)
      << "the cookie should be cleared: " << cleared;
  HttpResponse after = Client().Get("/api/v1/me", {{"Cookie", s.cookie}});
  EXPECT_TRUE(IsProblem(after, 401, "unauthenticated"));
}

TEST_F(SessionTest, LogoutWithTheCookieNeedsTheCsrfToken) {
  Session s = Login(agent1());
  HttpResponse out = Client().Post("/api/v1/auth/logout", json::object{}, {{"Cookie", s.cookie}});
  EXPECT_TRUE(IsProblem(out, 403, "permission-denied"));
  EXPECT_EQ(Client().Get("/api/v1/me", {{"Cookie", s.cookie}}).status, 200)
      << "a forged logout must not end the session";
}

TEST_F(SessionTest, SessionsAndTokensAreNotInterchangeable) {
  Session s = Login(agent1());
  std::string session_value = s.cookie.substr(s.cookie.find('=') + 1);
  EXPECT_TRUE(IsProblem(Client().Get("/api/v1/me", Bearer(session_value)), 401, "unauthenticated"));
  EXPECT_TRUE(
      IsProblem(Client().Get("/api/v1/me", {{"Cookie", "redress_session=" + agent1().token}}), 401,
                "unauthenticated"));
}

TEST_F(SessionTest, WrongPasswordAndUnknownEmailAreIndistinguishable) {
  HttpResponse wrong_password = Client().Post(
      "/api/v1/auth/login", json::object{{"email", agent1().email}, {"password", "not it"}});
  HttpResponse unknown_email =
      Client().Post("/api/v1/auth/login",
                    json::object{{"email", "nobody-" + agent1().email}, {"password", "not it"}});
  HttpResponse no_password_set = Client().Post(
      "/api/v1/auth/login", json::object{{"email", agent2().email}, {"password", ""}});
  ASSERT_TRUE(IsProblem(wrong_password, 401, "unauthenticated"));
  ASSERT_TRUE(IsProblem(unknown_email, 401, "unauthenticated"));
  EXPECT_EQ(Str(Body(wrong_password), "/detail"), Str(Body(unknown_email), "/detail"));
  EXPECT_EQ(Str(Body(wrong_password), "/title"), Str(Body(unknown_email), "/title"));
  EXPECT_FALSE(wrong_password.Header("Set-Cookie").has_value());
  // An account without a password cannot be logged into at all.
  EXPECT_GE(no_password_set.status, 400) << no_password_set.Describe();
  EXPECT_LT(no_password_set.status, 500) << no_password_set.Describe();
  EXPECT_FALSE(no_password_set.Header("Set-Cookie").has_value());
}

// ---- malformed input on every POST route

class MalformedInputTest : public ServerTest {
 protected:
  struct Route {
    std::string path;
    json::object valid;  // a body the route would accept (or at least parse)
    std::string field;   // a field that gets a wrong-typed value
  };

  std::vector<Route> Routes() {
    TestCustomer customer = NewCustomer();
    int64_t id = Int(OpenCase(admin().token, customer.id), "/id").value_or(0);
    EXPECT_NE(id, 0);
    std::string c = "/api/v1/cases/" + std::to_string(id);
    return {
        {"/api/v1/auth/login", {{"email", agent1().email}, {"password", "x"}}, "email"},
        {"/api/v1/customers", {{"name", "N"}, {"emails", json::array{UniqueEmail()}}}, "emails"},
        {"/api/v1/cases",
         {{"customer_id", customer.id}, {"subject", "s"}, {"body", "b"}},
         "customer_id"},
        {c + "/messages", {{"body", "b"}}, "body"},
        {c + "/notes", {{"body", "b"}}, "body"},
        {c + "/assign", {{"owner_id", agent1().id}}, "owner_id"},
        {c + "/status", {{"status", "open"}}, "status"},
        {c + "/priority", {{"priority", "high"}}, "priority"},
        {c + "/category", {{"category", "x"}}, "category"},
        {"/api/v1/users", {{"email", UniqueEmail("u")}, {"name", "U"}, {"role", "agent"}}, "role"},
    };
  }
};

TEST_F(MalformedInputTest, NonObjectBodiesAre422OnEveryRoute) {
  for (const Route& route : Routes()) {
    for (std::string body : {"[]", "\"string\"", "17", "null", "false", "[{}]"}) {
      HttpResponse r = Client().PostRaw(route.path, body, Bearer(admin().token));
      EXPECT_TRUE(IsProblem(r, 422, "invalid-argument")) << route.path << " with " << body;
    }
  }
}

TEST_F(MalformedInputTest, WrongTypedFieldsAre422OnEveryRoute) {
  for (const Route& route : Routes()) {
    for (json::value wrong :
         {json::value(12345), json::value(json::array{1, 2}),
          json::value(json::object{{"nested", true}}), json::value(true), json::value(0.5)}) {
      json::object body = route.valid;
      body[route.field] = wrong;
      HttpResponse r = Client().Post(route.path, body, Bearer(admin().token));
      EXPECT_TRUE(IsProblem(r, 422, "invalid-argument"))
          << route.path << " with " << json::serialize(body);
      EXPECT_EQ(Str(Body(r), "/field").value_or("").rfind(route.field, 0), 0u)
          << route.path << ": " << r.body;
    }
  }
}

TEST_F(MalformedInputTest, SyntaxErrorsAre400AndOtherMediaTypes415OnEveryRoute) {
  for (const Route& route : Routes()) {
    HttpResponse bad = Client().PostRaw(route.path, "{\"a\": [1, 2", Bearer(admin().token));
    EXPECT_TRUE(IsProblem(bad, 400, "malformed-json")) << route.path;
    HttpResponse text = Client().PostRaw(route.path, json::serialize(route.valid),
                                         Bearer(admin().token, {{"Content-Type", "text/plain"}}));
    EXPECT_TRUE(IsProblem(text, 415, "unsupported-media-type")) << route.path;
  }
}

TEST_F(MalformedInputTest, HostileValuesNeverCauseServerErrors) {
  std::vector<json::value> hostile = {
      json::value(std::string(100000, 'A')),
      json::value(std::string("\0nul inside", 11)),
      json::value("'; DROP TABLE events; --"),
      json::value("<script>alert(1)</script>"),
      json::value(-9223372036854775807LL - 1),
      json::value(UINT64_MAX),
      json::value(nullptr),
      json::value(""),
      json::value("\xF0\x9F\x98\x80 emoji and \xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\x82 devanagari"),
  };
  for (const Route& route : Routes()) {
    for (const auto& member : route.valid) {
      for (const json::value& value : hostile) {
        json::object body = route.valid;
        body[member.key()] = value;
        HttpResponse r = Client().Post(route.path, body, Bearer(admin().token));
        std::string shown = json::serialize(body).substr(0, 200);
        EXPECT_GT(r.status, 0) << route.path << " " << shown << ": " << r.Describe();
        EXPECT_LT(r.status, 500) << route.path << " " << shown << ": " << r.Describe();
      }
    }
  }
  EXPECT_EQ(Client().Get("/healthz").status, 200);
  EXPECT_EQ(server().Cli({"verify"}).exit_code, 0) << server().Cli({"verify"}).Describe();
}

}  // namespace
}  // namespace redress::testing
