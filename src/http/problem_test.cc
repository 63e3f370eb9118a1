#include "http/problem.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace redress::http {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

json::object Body(const Response& response) { return json::parse(response.body()).as_object(); }

struct Mapping {
  ErrorCode code;
  http::status status;
  std::string_view type;
};

TEST(ProblemTest, ErrorCodesMapToTheDocumentedStatusAndType) {
  const Mapping table[] = {
      {ErrorCode::kInvalidArgument, http::status::unprocessable_entity, "invalid-argument"},
      {ErrorCode::kNotFound, http::status::not_found, "not-found"},
      {ErrorCode::kConflict, http::status::conflict, "conflict"},
      {ErrorCode::kPermissionDenied, http::status::forbidden, "permission-denied"},
      {ErrorCode::kUnauthenticated, http::status::unauthorized, "unauthenticated"},
      {ErrorCode::kPayloadTooLarge, http::status::payload_too_large, "payload-too-large"},
      {ErrorCode::kPreconditionFailed, http::status::unprocessable_entity,
       "idempotency-key-reused"},
      {ErrorCode::kCorruption, http::status::internal_server_error, "internal"},
      {ErrorCode::kUnavailable, http::status::service_unavailable, "unavailable"},
      {ErrorCode::kInternal, http::status::internal_server_error, "internal"},
  };
  for (const Mapping& m : table) {
    SCOPED_TRACE(ErrorCodeName(m.code));
    Response response = ProblemResponse(Error{m.code, "what happened", {}}, "req-1");
    EXPECT_EQ(response.result(), m.status);
    EXPECT_EQ(response[http::field::content_type], "application/problem+json");
    json::object body = Body(response);
    EXPECT_EQ(body.at("type").as_string(), "https://redress.dev/problems/" + std::string(m.type));
    EXPECT_EQ(body.at("status").as_int64(), static_cast<int>(m.status));
    EXPECT_EQ(body.at("request_id").as_string(), "req-1");
    EXPECT_FALSE(body.at("title").as_string().empty());
    EXPECT_FALSE(body.contains("field"));
  }
}

TEST(ProblemTest, BodyMembersAreInTheDocumentedOrder) {
  Response response = ProblemResponse(
      Error{ErrorCode::kInvalidArgument, "field 'subject' must be a string", "subject"}, "9f2c");
  EXPECT_EQ(response.body(),
            R"({"type":"https://redress.dev/problems/invalid-argument","title":"Invalid request",)"
            R"("status":422,"detail":"field 'subject' must be a string","field":"subject",)"
            R"("request_id":"9f2c"})");
}

TEST(ProblemTest, UnauthenticatedCarriesBearerChallenge) {
  Response response = ProblemResponse(Error{ErrorCode::kUnauthenticated, "token expired", {}}, "r");
  EXPECT_EQ(response[http::field::www_authenticate], "Bearer realm=\"redress\"");
  EXPECT_EQ(Body(response).at("detail").as_string(), "token expired");
}

TEST(ProblemTest, UnavailableAsksToRetryAfterOneSecond) {
  Response response = ProblemResponse(Error{ErrorCode::kUnavailable, "database busy", {}}, "r");
  EXPECT_EQ(response[http::field::retry_after], "1");
  EXPECT_EQ(Body(response).at("detail").as_string(), "database busy");
}

TEST(ProblemTest, OtherProblemsHaveNeitherChallengeNorRetry) {
  Response response = ProblemResponse(Error{ErrorCode::kNotFound, "no case 42", {}}, "r");
  EXPECT_EQ(response.find(http::field::www_authenticate), response.end());
  EXPECT_EQ(response.find(http::field::retry_after), response.end());
}

TEST(ProblemTest, MalformedJsonMarkerIs400WithoutField) {
  Response response = ProblemResponse(
      Error{ErrorCode::kInvalidArgument, "invalid JSON at line 1, column 2: syntax error",
            std::string(kMalformedJsonField)},
      "r");
  EXPECT_EQ(response.result(), http::status::bad_request);
  json::object body = Body(response);
  EXPECT_EQ(body.at("type").as_string(), "https://redress.dev/problems/malformed-json");
  EXPECT_EQ(body.at("detail").as_string(), "invalid JSON at line 1, column 2: syntax error");
  EXPECT_FALSE(body.contains("field"));
}

TEST(ProblemTest, InternalDetailsStayInTheLog) {
  Response response =
      ProblemResponse(Error{ErrorCode::kInternal, "sqlite: no such table: cases_v2", {}}, "req-9");
  json::object body = Body(response);
  EXPECT_EQ(response.result(), http::status::internal_server_error);
  EXPECT_EQ(std::string(body.at("detail").as_string()).find("cases_v2"), std::string::npos);
  EXPECT_NE(std::string(body.at("detail").as_string()).find("request_id"), std::string::npos);
}

TEST(ProblemTest, HttpLevelProblems) {
  struct Case {
    ProblemType type;
    http::status status;
    std::string_view uri;
  };
  const Case cases[] = {
      {ProblemType::kMalformedJson, http::status::bad_request,
       "https://redress.dev/problems/malformed-json"},
      {ProblemType::kBadRequest, http::status::bad_request,
       "https://redress.dev/problems/bad-request"},
      {ProblemType::kNotFound, http::status::not_found, "https://redress.dev/problems/not-found"},
      {ProblemType::kMethodNotAllowed, http::status::method_not_allowed,
       "https://redress.dev/problems/method-not-allowed"},
      {ProblemType::kPayloadTooLarge, http::status::payload_too_large,
       "https://redress.dev/problems/payload-too-large"},
      {ProblemType::kUnsupportedMediaType, http::status::unsupported_media_type,
       "https://redress.dev/problems/unsupported-media-type"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.uri);
    Response response = Problem(c.type, "detail text", "rid", "emails[1]");
    EXPECT_EQ(response.result(), c.status);
    EXPECT_EQ(ProblemStatus(c.type), c.status);
    EXPECT_EQ(ProblemTypeUri(c.type), c.uri);
    json::object body = Body(response);
    EXPECT_EQ(body.at("type").as_string(), c.uri);
    EXPECT_EQ(body.at("title").as_string(), ProblemTitle(c.type));
    EXPECT_EQ(body.at("detail").as_string(), "detail text");
    EXPECT_EQ(body.at("field").as_string(), "emails[1]");
  }
}

TEST(ProblemTest, DetailIsEscapedAsJson) {
  Response response = Problem(ProblemType::kNotFound, "no route for /a\"b\n", "r");
  EXPECT_EQ(Body(response).at("detail").as_string(), "no route for /a\"b\n");
}

}  // namespace
}  // namespace redress::http
