#include "http/router.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace redress::http {
namespace {

using boost::beast::http::verb;

// Each handler answers with its own marker so a test can tell which route was chosen.
Handler Marker(std::string marker) {
  return [marker](RequestContext&) -> boost::asio::awaitable<Response> {
    Response response;
    response.body() = marker;
    co_return response;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(verb::get, "/api/v1/cases", Access::kAuthenticated, Marker("list"));
    router_.Add(verb::post, "/api/v1/cases", Access::kAuthenticated, Marker("create"));
    router_.Add(verb::get, "/api/v1/cases/{id}", Access::kAuthenticated, Marker("get"));
    router_.Add(verb::get, "/api/v1/cases/{id}/events", Access::kAuthenticated, Marker("events"));
    router_.Add(verb::post, "/api/v1/cases/{id}/notes", Access::kStaff, Marker("note"));
    router_.Add(verb::get, "/healthz", Access::kAnyone, Marker("health"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralPathAndReportsPatternAndAccess) {
  auto match = router_.Find(verb::get, "/api/v1/cases", nullptr);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->pattern, "/api/v1/cases");
  EXPECT_EQ(match->access, Access::kAuthenticated);
  EXPECT_TRUE(match->params.empty());
  ASSERT_NE(match->handler, nullptr);

  auto health = router_.Find(verb::get, "/healthz", nullptr);
  ASSERT_TRUE(health);
  EXPECT_EQ(health->access, Access::kAnyone);
}

TEST_F(RouterTest, SameHandlerOnlyForTheRegisteredMethod) {
  auto get = router_.Find(verb::get, "/api/v1/cases", nullptr);
  auto post = router_.Find(verb::post, "/api/v1/cases", nullptr);
  ASSERT_TRUE(get);
  ASSERT_TRUE(post);
  EXPECT_NE(get->handler, post->handler);
}

TEST_F(RouterTest, ExtractsParameters) {
  auto match = router_.Find(verb::get, "/api/v1/cases/1042/events", nullptr);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->pattern, "/api/v1/cases/{id}/events");
  ASSERT_EQ(match->params.count("id"), 1u);
  EXPECT_EQ(match->params.at("id"), "1042");
}

TEST_F(RouterTest, PercentDecodesParametersButKeepsEncodedSlashInside) {
  auto match = router_.Find(verb::get, "/api/v1/cases/a%2Fb%20c%C3%A9", nullptr);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->pattern, "/api/v1/cases/{id}");
  EXPECT_EQ(match->params.at("id"), "a/b c\xC3\xA9");
}

TEST_F(RouterTest, PlusIsLiteralInPaths) {
  auto match = router_.Find(verb::get, "/api/v1/cases/a+b", nullptr);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->params.at("id"), "a+b");
}

TEST_F(RouterTest, EncodedLiteralSegmentsMatch) {
  auto match = router_.Find(verb::get, "/api/v1/%63ases", nullptr);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->pattern, "/api/v1/cases");
}

TEST_F(RouterTest, MalformedPercentEncodingMatchesNothing) {
  std::vector<verb> allowed;
  EXPECT_FALSE(router_.Find(verb::get, "/api/v1/cases/%zz", &allowed));
  EXPECT_TRUE(allowed.empty());
  EXPECT_FALSE(router_.Find(verb::get, "/api/v1/cases/%4", &allowed));
  EXPECT_FALSE(router_.Find(verb::get, "/api/v1/cases/%", &allowed));
}

TEST_F(RouterTest, TrailingSlashIsNotMatched) {
  std::vector<verb> allowed;
  EXPECT_FALSE(router_.Find(verb::get, "/api/v1/cases/", &allowed));
  EXPECT_TRUE(allowed.empty());
  EXPECT_FALSE(router_.Find(verb::get, "/healthz/", &allowed));
  EXPECT_TRUE(allowed.empty());
}

TEST_F(RouterTest, EmptySegmentIsNoParameter) {
  std::vector<verb> allowed;
  EXPECT_FALSE(router_.Find(verb::get, "/api/v1/cases//events", &allowed));
  EXPECT_TRUE(allowed.empty());
}

TEST_F(RouterTest, UnknownPathIsNotFoundWithNoAllowedMethods) {
  std::vector<verb> allowed{verb::put};  // stale content must be cleared
  EXPECT_FALSE(router_.Find(verb::get, "/api/v1/nothing", &allowed));
  EXPECT_TRUE(allowed.empty());
  EXPECT_FALSE(router_.Find(verb::get, "relative", &allowed));
  EXPECT_FALSE(router_.Find(verb::get, "", &allowed));
}

TEST_F(RouterTest, WrongMethodListsAllowedMethodsSorted) {
  std::vector<verb> allowed;
  EXPECT_FALSE(router_.Find(verb::delete_, "/api/v1/cases", &allowed));
  EXPECT_EQ(allowed, (std::vector<verb>{verb::get, verb::head, verb::post}));

  EXPECT_FALSE(router_.Find(verb::get, "/api/v1/cases/7/notes", &allowed));
  EXPECT_EQ(allowed, std::vector<verb>{verb::post});
}

TEST_F(RouterTest, HeadIsAnsweredByTheGetRoute) {
  auto head = router_.Find(verb::head, "/api/v1/cases/7", nullptr);
  auto get = router_.Find(verb::get, "/api/v1/cases/7", nullptr);
  ASSERT_TRUE(head);
  ASSERT_TRUE(get);
  EXPECT_EQ(head->handler, get->handler);
  EXPECT_EQ(head->params.at("id"), "7");

  std::vector<verb> allowed;
  EXPECT_FALSE(router_.Find(verb::head, "/api/v1/cases/7/notes", &allowed));
  EXPECT_EQ(allowed, std::vector<verb>{verb::post});
}

TEST_F(RouterTest, AllowedIsClearedOnSuccess) {
  std::vector<verb> allowed{verb::put};
  EXPECT_TRUE(router_.Find(verb::get, "/api/v1/cases", &allowed));
  EXPECT_TRUE(allowed.empty());
}

TEST(RouterSpecificityTest, LiteralBeatsParameterWhateverTheOrder) {
  Router router;
  router.Add(verb::get, "/cases/{id}", Access::kAnyone, Marker("param"));
  router.Add(verb::get, "/cases/stats", Access::kStaff, Marker("literal"));
  router.Add(verb::get, "/{a}/x", Access::kAnyone, Marker("late-literal"));
  router.Add(verb::get, "/cases/{id}/x", Access::kAnyone, Marker("early-literal"));

  auto stats = router.Find(verb::get, "/cases/stats", nullptr);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->pattern, "/cases/stats");
  EXPECT_EQ(stats->access, Access::kStaff);

  auto other = router.Find(verb::get, "/cases/17", nullptr);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->pattern, "/cases/{id}");

  // The first differing segment decides: "cases" (literal) beats {a}.
  auto nested = router.Find(verb::get, "/cases/9/x", nullptr);
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->pattern, "/cases/{id}/x");
  EXPECT_EQ(nested->params.at("id"), "9");
}

TEST(RouterSpecificityTest, OtherMethodOnMoreSpecificPathStillAllowsParameterRoute) {
  Router router;
  router.Add(verb::get, "/cases/stats", Access::kStaff, Marker("stats"));
  router.Add(verb::post, "/cases/{id}", Access::kStaff, Marker("update"));
  auto match = router.Find(verb::post, "/cases/stats", nullptr);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->pattern, "/cases/{id}");
  EXPECT_EQ(match->params.at("id"), "stats");
}

TEST(RouterAddTest, RejectsMalformedPatterns) {
  Router router;
  EXPECT_THROW(router.Add(verb::get, "cases", Access::kAnyone, Marker("")), std::logic_error);
  EXPECT_THROW(router.Add(verb::get, "", Access::kAnyone, Marker("")), std::logic_error);
  EXPECT_THROW(router.Add(verb::get, "/cases/{}", Access::kAnyone, Marker("")), std::logic_error);
  EXPECT_THROW(router.Add(verb::get, "/cases/{id", Access::kAnyone, Marker("")), std::logic_error);
  EXPECT_THROW(router.Add(verb::get, "/cases/x{id}", Access::kAnyone, Marker("")),
               std::logic_error);
  EXPECT_THROW(router.Add(verb::get, "/cases/{{id}}", Access::kAnyone, Marker("")),
               std::logic_error);
}

TEST(RouterAddTest, RejectsDuplicateRoutesEvenWithOtherParameterNames) {
  Router router;
  router.Add(verb::get, "/cases/{id}", Access::kAnyone, Marker(""));
  EXPECT_THROW(router.Add(verb::get, "/cases/{case_id}", Access::kAnyone, Marker("")),
               std::logic_error);
  EXPECT_NO_THROW(router.Add(verb::post, "/cases/{id}", Access::kAnyone, Marker("")));
}

}  // namespace
}  // namespace redress::http
