#include "http/response.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace redress::http {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

TEST(ResponseTest, JsonResponseSerializesCompactly) {
  json::object body;
  body["id"] = 42;
  body["subject"] = "Printer on fire";
  Response response = JsonResponse(http::status::created, body);
  EXPECT_EQ(response.result(), http::status::created);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(response.body(), R"({"id":42,"subject":"Printer on fire"})");
}

TEST(ResponseTest, JsonResponseAcceptsAnyValue) {
  Response response = JsonResponse(http::status::ok, json::array{1, 2});
  EXPECT_EQ(response.body(), "[1,2]");
}

TEST(ResponseTest, NoContentHasNoBody) {
  Response response = NoContent();
  EXPECT_EQ(response.result(), http::status::no_content);
  EXPECT_TRUE(response.body().empty());
}

TEST(ResponseTest, TextDefaultsToPlainUtf8) {
  Response response = Text(http::status::ok, "up\n");
  EXPECT_EQ(response[http::field::content_type], "text/plain; charset=utf-8");
  EXPECT_EQ(response.body(), "up\n");
}

TEST(ResponseTest, TextTakesAContentType) {
  Response response = Text(http::status::ok, "openapi: 3.1.0\n", "application/yaml");
  EXPECT_EQ(response[http::field::content_type], "application/yaml");
}

}  // namespace
}  // namespace redress::http
