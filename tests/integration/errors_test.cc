// The error contract of docs/api.md: which status and problem type each kind of bad
// request gets, and that every error is application/problem+json with a request id.
#include <regex>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class ErrorsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    customer_ = NewCustomer();
    ASSERT_NE(customer_.id, 0);
  }

  HttpResponse PostCaseRaw(std::string body, Headers headers = {}) {
    return Client().PostRaw("/api/v1/cases", std::move(body),
                            Bearer(agent1().token, std::move(headers)));
  }

  // A valid case body with one member replaced (or removed when `value` is absent).
  json::object CaseBody(std::string_view member = {},
                        std::optional<json::value> value = std::nullopt) const {
    json::object body{{"customer_id", customer_.id}, {"subject", "s"}, {"body", "b"}};
    if (!member.empty()) {
      if (value) {
        body[member] = *value;
      } else {
        body.erase(member);
      }
    }
    return body;
  }

  // Cases of this test's customer: refused requests must not have created any.
  size_t CustomerCaseCount() {
    HttpResponse r = Client().Get("/api/v1/cases?customer=" + std::to_string(customer_.id),
                                  Bearer(agent1().token));
    EXPECT_EQ(r.status, 200) << r.Describe();
    return Array(Body(r), "/items").size();
  }

  TestCustomer customer_;
};

TEST_F(ErrorsTest, MalformedJsonIs400WithLineAndColumn) {
  HttpResponse r = PostCaseRaw("{\"customer_id\": 1,\n  \"subject\": }");
  ASSERT_TRUE(IsProblem(r, 400, "malformed-json"));
  std::string detail = Str(Body(r), "/detail").value_or("");
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(detail, m, std::regex(R"(invalid JSON at line (\d+), column (\d+): .+)")))
      << detail;
  EXPECT_EQ(m[1].str(), "2") << detail;
  EXPECT_GT(std::stoi(m[2].str()), 0) << detail;
}

TEST_F(ErrorsTest, EveryKindOfSyntaxErrorIs400) {
  for (std::string body :
       {std::string("{"), std::string("{\"subject\": \"s\",}"), std::string("{\"a\":1} trailing"),
        std::string("nul"), std::string("{'single': 'quotes'}"), std::string()}) {
    HttpResponse r = PostCaseRaw(body);
    EXPECT_TRUE(IsProblem(r, 400, "malformed-json")) << "body: [" << body << "]";
  }
  EXPECT_EQ(CustomerCaseCount(), 0u);
}

TEST_F(ErrorsTest, InvalidUtf8IsRefusedAndNeverStored) {
  std::string body = "{\"customer_id\":" + std::to_string(customer_.id) +
                     ",\"subject\":\"bad \xff\xfe bytes\",\"body\":\"b\"}";
  HttpResponse r = PostCaseRaw(body);
  EXPECT_GE(r.status, 400) << r.Describe();
  EXPECT_LT(r.status, 500) << r.Describe();
  std::string surrogate = "{\"customer_id\":" + std::to_string(customer_.id) +
                          ",\"subject\":\"lone \\ud800 surrogate\",\"body\":\"b\"}";
  HttpResponse r2 = PostCaseRaw(surrogate);
  EXPECT_GE(r2.status, 400) << r2.Describe();
  EXPECT_LT(r2.status, 500) << r2.Describe();
  EXPECT_EQ(CustomerCaseCount(), 0u);
}

TEST_F(ErrorsTest, DeeplyNestedJsonIsRefusedWithoutHarm) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  HttpResponse r = PostCaseRaw(deep);
  EXPECT_GE(r.status, 400) << r.Describe();
  EXPECT_LT(r.status, 500) << r.Describe();
  EXPECT_EQ(Client().Get("/healthz").status, 200) << "the server did not survive";
}

TEST_F(ErrorsTest, MissingFieldIs422NamingTheField) {
  HttpResponse r = Client().Post("/api/v1/cases", CaseBody("subject"), Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(r, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(r), "/field"), "subject");
  HttpResponse no_body = Client().Post("/api/v1/cases", CaseBody("body"), Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(no_body, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(no_body), "/field"), "body");
  // Staff must say for whom the case is.
  HttpResponse no_customer =
      Client().Post("/api/v1/cases", CaseBody("customer_id"), Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(no_customer, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(no_customer), "/field"), "customer_id");
  EXPECT_EQ(CustomerCaseCount(), 0u);
}

TEST_F(ErrorsTest, WrongTypedFieldIs422NamingTheField) {
  struct Case {
    const char* member;
    json::value value;
  };
  std::vector<Case> cases = {
      {"subject", json::value(5)},
      {"subject", json::value(nullptr)},
      {"subject", json::value(json::array{"s"})},
      {"body", json::value(true)},
      {"customer_id", json::value(std::to_string(customer_.id))},
      {"customer_id", json::value(1.5)},
      {"customer_id", json::value(json::object{})},
      {"channel", json::value(1)},
      {"priority", json::value(json::array{})},
      {"category", json::value(7)},
  };
  for (const Case& c : cases) {
    HttpResponse r =
        Client().Post("/api/v1/cases", CaseBody(c.member, c.value), Bearer(agent1().token));
    ASSERT_TRUE(IsProblem(r, 422, "invalid-argument"))
        << c.member << " = " << json::serialize(c.value);
    EXPECT_EQ(Str(Body(r), "/field"), c.member) << r.body;
    EXPECT_NE(Str(Body(r), "/detail").value_or("").find(c.member), std::string::npos) << r.body;
  }
  EXPECT_EQ(CustomerCaseCount(), 0u);
}

TEST_F(ErrorsTest, OutOfRangeNumbersAre4xx) {
  for (std::string raw : {"99999999999999999999999", "1e30", "-1", "0"}) {
    std::string body = "{\"customer_id\":" + raw + ",\"subject\":\"s\",\"body\":\"b\"}";
    HttpResponse r = PostCaseRaw(body);
    EXPECT_GE(r.status, 400) << raw << ": " << r.Describe();
    EXPECT_LT(r.status, 500) << raw << ": " << r.Describe();
  }
}

TEST_F(ErrorsTest, UnknownFieldIs422) {
  HttpResponse r = Client().Post("/api/v1/cases", CaseBody("subjcet", json::value("typo")),
                                 Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(r, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(r), "/field"), "subjcet") << r.body;
  EXPECT_NE(Str(Body(r), "/detail").value_or("").find("subjcet"), std::string::npos) << r.body;
  EXPECT_EQ(CustomerCaseCount(), 0u);
}

TEST_F(ErrorsTest, NonObjectBodyIs422) {
  for (std::string body : {"[]", "[{\"subject\":\"s\"}]", "\"text\"", "42", "null", "true"}) {
    HttpResponse r = PostCaseRaw(body);
    EXPECT_TRUE(IsProblem(r, 422, "invalid-argument")) << "body: " << body;
  }
}

TEST_F(ErrorsTest, UnknownPathIs404Problem) {
  EXPECT_TRUE(
      IsProblem(Client().Get("/api/v1/nothing-here", Bearer(agent1().token)), 404, "not-found"));
  EXPECT_TRUE(IsProblem(Client().Get("/nope"), 404, "not-found"));
  HttpResponse not_a_number = Client().Get("/api/v1/cases/abc", Bearer(agent1().token));
  EXPECT_GE(not_a_number.status, 400) << not_a_number.Describe();
  EXPECT_LT(not_a_number.status, 500) << not_a_number.Describe();
  HttpResponse too_big =
      Client().Get("/api/v1/cases/99999999999999999999999999", Bearer(agent1().token));
  EXPECT_GE(too_big.status, 400) << too_big.Describe();
  EXPECT_LT(too_big.status, 500) << too_big.Describe();
}

TEST_F(ErrorsTest, WrongMethodIs405WithAllow) {
  struct Case {
    const char* method;
    const char* path;
    std::vector<std::string> allowed;
  };
  std::vector<Case> cases = {
      {"DELETE", "/api/v1/cases", {"GET", "POST"}},
      {"PUT", "/api/v1/cases/1", {"GET"}},
      {"GET", "/api/v1/cases/1/messages", {"POST"}},
      {"GET", "/api/v1/cases/1/assign", {"POST"}},
      {"POST", "/healthz", {"GET"}},
      {"GET", "/api/v1/auth/login", {"POST"}},
      {"PATCH", "/api/v1/users", {"GET", "POST"}},
  };
  for (const Case& c : cases) {
    HttpResponse r = Client().Send(c.method, c.path, c.method == std::string("POST") ? "{}" : "",
                                   Bearer(admin().token, {{"Content-Type", "application/json"}}));
    SCOPED_TRACE(std::string(c.method) + " " + c.path);
    ASSERT_TRUE(IsProblem(r, 405, "method-not-allowed"));
    std::string allow = r.Header("Allow").value_or("");
    for (const std::string& method : c.allowed) {
      EXPECT_NE(allow.find(method), std::string::npos) << "Allow: " << allow;
    }
    EXPECT_EQ(allow.find(c.method), std::string::npos) << "Allow: " << allow;
  }
}

TEST_F(ErrorsTest, BodyOverOneMebibyteIs413) {
  std::string filler((1 << 20) + 1, 'x');
  std::string body = "{\"customer_id\":" + std::to_string(customer_.id) +
                     ",\"subject\":\"s\",\"body\":\"" + filler + "\"}";
  HttpResponse r = PostCaseRaw(body);
  EXPECT_TRUE(IsProblem(r, 413, "payload-too-large"));
  EXPECT_EQ(Client().Get("/healthz").status, 200);
  EXPECT_EQ(CustomerCaseCount(), 0u);
}

TEST_F(ErrorsTest, BodyJustUnderTheLimitIsNotTooLarge) {
  std::string body =
      "{\"customer_id\":" + std::to_string(customer_.id) + ",\"subject\":\"s\",\"body\":\"";
  body += std::string((1 << 20) - body.size() - 2, 'y');
  body += "\"}";
  ASSERT_EQ(body.size(), static_cast<size_t>(1 << 20));
  HttpResponse r = PostCaseRaw(body);
  EXPECT_NE(r.status, 413) << r.Describe();
  EXPECT_GT(r.status, 0) << r.Describe();
  EXPECT_LT(r.status, 500) << r.Describe();
}

TEST_F(ErrorsTest, NonJsonContentTypeIs415) {
  std::string body = json::serialize(CaseBody());
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonp"}) {
    HttpResponse r = PostCaseRaw(body, {{"Content-Type", type}});
    EXPECT_TRUE(IsProblem(r, 415, "unsupported-media-type")) << type;
  }
  EXPECT_EQ(CustomerCaseCount(), 0u);
  // Parameters on the JSON media type are fine.
  HttpResponse ok = PostCaseRaw(body, {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(ok.status, 201) << ok.Describe();
}

TEST_F(ErrorsTest, MissingCredentialsAre401WithChallenge) {
  HttpResponse r = Client().Get("/api/v1/cases");
  ASSERT_TRUE(IsProblem(r, 401, "unauthenticated"));
  EXPECT_EQ(r.Header("WWW-Authenticate").value_or("").rfind("Bearer", 0), 0u)
      << r.Header("WWW-Authenticate").value_or("<none>");
}

TEST_F(ErrorsTest, AnonymousRequestsLearnNothingFromTheirBody) {
  // Authentication comes before any look at the body: no parser feedback to strangers.
  HttpResponse r = Client().PostRaw("/api/v1/cases", "{not json");
  EXPECT_TRUE(IsProblem(r, 401, "unauthenticated"));
  HttpResponse big = Client().PostRaw("/api/v1/cases", "[]");
  EXPECT_TRUE(IsProblem(big, 401, "unauthenticated"));
}

}  // namespace
}  // namespace redress::testing
