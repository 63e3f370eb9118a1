#include "http/json_body.h"

#include <string>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "http/problem.h"

namespace redress::http {
namespace {

namespace json = boost::json;

json::object Obj(std::string_view text) { return json::parse(text).as_object(); }

void ExpectMalformed(std::string_view body, std::string_view message) {
  SCOPED_TRACE(body);
  auto parsed = ParseJsonObject(body);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(parsed.error().field, kMalformedJsonField);
  EXPECT_EQ(parsed.error().message, message);
}

void ExpectInvalid(const Error& error, std::string_view message, std::string_view field) {
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.message, message);
  EXPECT_EQ(error.field, field);
}

// ---- ParseJsonObject

TEST(ParseJsonObjectTest, ParsesAnObject) {
  auto parsed = ParseJsonObject(R"( {"subject": "Return rejected", "n": 3} )");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->at("subject").as_string(), "Return rejected");
  EXPECT_EQ(parsed->at("n").as_int64(), 3);
}

TEST(ParseJsonObjectTest, SyntaxErrorNamesLineAndColumn) {
  ExpectMalformed("{\"a\": 1,\n  \"b\" 2}", "invalid JSON at line 2, column 7: syntax error");
}

TEST(ParseJsonObjectTest, ColumnsCountCharactersNotBytes) {
  // "é" is two bytes; the stray x is the 9th character of line 1 (its 10th byte).
  ExpectMalformed("{\"é\": 1 x}", "invalid JSON at line 1, column 9: syntax error");
}

TEST(ParseJsonObjectTest, TruncatedBodyPointsAtTheEnd) {
  ExpectMalformed("{\"a\":\n", "invalid JSON at line 2, column 1: incomplete JSON");
}

TEST(ParseJsonObjectTest, TrailingDataIsMalformed) {
  ExpectMalformed("{\"a\":1} {}", "invalid JSON at line 1, column 9: extra data");
}

TEST(ParseJsonObjectTest, InvalidUtf8IsMalformed) {
  auto parsed = ParseJsonObject("{\"a\":\"\xff\"}");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().field, kMalformedJsonField);
  EXPECT_EQ(parsed.error().message.rfind("invalid JSON at line 1, column 7: ", 0), 0u)
      << parsed.error().message;
}

TEST(ParseJsonObjectTest, EmptyBodyIsMalformed) {
  ExpectMalformed("", "request body is empty; expected a JSON object");
  ExpectMalformed(" \r\n\t", "request body is empty; expected a JSON object");
}

TEST(ParseJsonObjectTest, NestingIsLimited) {
  std::string ok =
      "{\"a\":" + std::string(kMaxJsonDepth - 1, '[') + std::string(kMaxJsonDepth - 1, ']') + "}";
  EXPECT_TRUE(ParseJsonObject(ok));
  std::string deep =
      "{\"a\":" + std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']') + "}";
  ExpectMalformed(deep, "invalid JSON at line 1, column 37: nested deeper than 32 levels");
}

TEST(ParseJsonObjectTest, ValidJsonThatIsNotAnObjectIs422) {
  auto array = ParseJsonObject("[1, 2]");
  ASSERT_FALSE(array);
  ExpectInvalid(array.error(), "request body must be a JSON object, got array", "");
  auto string = ParseJsonObject("\"hello\"");
  ASSERT_FALSE(string);
  ExpectInvalid(string.error(), "request body must be a JSON object, got string", "");
  auto null = ParseJsonObject("null");
  ASSERT_FALSE(null);
  ExpectInvalid(null.error(), "request body must be a JSON object, got null", "");
}

// ---- strings

TEST(RequireStringTest, ReadsAString) {
  auto value = RequireString(Obj(R"({"subject":"Hi"})"), "subject");
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, "Hi");
}

TEST(RequireStringTest, MissingIsRequired) {
  auto value = RequireString(Obj(R"({})"), "subject");
  ASSERT_FALSE(value);
  ExpectInvalid(value.error(), "field 'subject' is required", "subject");
}

TEST(RequireStringTest, WrongKindNamesWhatArrived) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"subject":5})", "number"},  {R"({"subject":1.5})", "number"},
      {R"({"subject":null})", "null"}, {R"({"subject":true})", "boolean"},
      {R"({"subject":[]})", "array"},  {R"({"subject":{}})", "object"},
  };
  for (auto [text, kind] : cases) {
    auto value = RequireString(Obj(text), "subject");
    ASSERT_FALSE(value) << text;
    ExpectInvalid(value.error(), std::string("field 'subject' must be a string, got ") + kind,
                  "subject");
  }
}

TEST(RequireStringTest, NestedPathInMessages) {
  auto value = RequireString(Obj(R"({})"), "network", "social[1]");
  ASSERT_FALSE(value);
  ExpectInvalid(value.error(), "field 'social[1].network' is required", "social[1].network");
}

TEST(OptionalStringTest, AbsentAndNullAreNullopt) {
  auto absent = OptionalString(Obj(R"({})"), "category");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->has_value());
  auto null = OptionalString(Obj(R"({"category":null})"), "category");
  ASSERT_TRUE(null);
  EXPECT_FALSE(null->has_value());
}

TEST(OptionalStringTest, PresentAndWrongKind) {
  auto present = OptionalString(Obj(R"({"category":"returns"})"), "category");
  ASSERT_TRUE(present);
  EXPECT_EQ(present->value(), "returns");
  auto wrong = OptionalString(Obj(R"({"category":7})"), "category");
  ASSERT_FALSE(wrong);
  ExpectInvalid(wrong.error(), "field 'category' must be a string, got number", "category");
}

// ---- integers

TEST(RequireInt64Test, ReadsIntegers) {
  EXPECT_EQ(*RequireInt64(Obj(R"({"n":-12})"), "n"), -12);
  EXPECT_EQ(*RequireInt64(Obj(R"({"n":9223372036854775807})"), "n"), INT64_MAX);
  EXPECT_EQ(*RequireInt64(Obj(R"({"n":3.0})"), "n"), 3);
}

TEST(RequireInt64Test, MissingWrongKindFractionAndRange) {
  auto missing = RequireInt64(Obj(R"({})"), "owner_id");
  ASSERT_FALSE(missing);
  ExpectInvalid(missing.error(), "field 'owner_id' is required", "owner_id");

  auto string = RequireInt64(Obj(R"({"owner_id":"7"})"), "owner_id");
  ASSERT_FALSE(string);
  ExpectInvalid(string.error(), "field 'owner_id' must be an integer, got string", "owner_id");

  auto fraction = RequireInt64(Obj(R"({"owner_id":2.5})"), "owner_id");
  ASSERT_FALSE(fraction);
  ExpectInvalid(fraction.error(), "field 'owner_id' must be an integer, got 2.5", "owner_id");

  auto big = RequireInt64(Obj(R"({"owner_id":9223372036854775808})"), "owner_id");
  ASSERT_FALSE(big);
  ExpectInvalid(big.error(), "field 'owner_id' is out of range", "owner_id");

  auto huge_double = RequireInt64(Obj(R"({"owner_id":1e300})"), "owner_id");
  ASSERT_FALSE(huge_double);
  ExpectInvalid(huge_double.error(), "field 'owner_id' is out of range", "owner_id");
}

TEST(OptionalInt64Test, AbsentNullPresentWrong) {
  EXPECT_FALSE(OptionalInt64(Obj(R"({})"), "customer_id")->has_value());
  EXPECT_FALSE(OptionalInt64(Obj(R"({"customer_id":null})"), "customer_id")->has_value());
  EXPECT_EQ(OptionalInt64(Obj(R"({"customer_id":3})"), "customer_id")->value(), 3);
  auto wrong = OptionalInt64(Obj(R"({"customer_id":false})"), "customer_id");
  ASSERT_FALSE(wrong);
  ExpectInvalid(wrong.error(), "field 'customer_id' must be an integer, got boolean",
                "customer_id");
}

TEST(OptionalBoolTest, AbsentNullPresentWrong) {
  EXPECT_FALSE(OptionalBool(Obj(R"({})"), "public")->has_value());
  EXPECT_FALSE(OptionalBool(Obj(R"({"public":null})"), "public")->has_value());
  EXPECT_EQ(OptionalBool(Obj(R"({"public":true})"), "public")->value(), true);
  auto wrong = OptionalBool(Obj(R"({"public":"yes"})"), "public");
  ASSERT_FALSE(wrong);
  ExpectInvalid(wrong.error(), "field 'public' must be true or false", "public");
}

// ---- arrays

TEST(OptionalStringArrayTest, ReadsStringsAndTreatsAbsentAsEmpty) {
  auto emails = OptionalStringArray(Obj(R"({"emails":["a@x","b@x"]})"), "emails");
  ASSERT_TRUE(emails);
  EXPECT_EQ(*emails, (std::vector<std::string>{"a@x", "b@x"}));
  EXPECT_TRUE(OptionalStringArray(Obj(R"({})"), "emails")->empty());
  EXPECT_TRUE(OptionalStringArray(Obj(R"({"emails":null})"), "emails")->empty());
}

TEST(OptionalStringArrayTest, ElementErrorNamesTheIndex) {
  auto emails = OptionalStringArray(Obj(R"({"emails":["a@x","b@x",3]})"), "emails");
  ASSERT_FALSE(emails);
  ExpectInvalid(emails.error(), "field 'emails[2]' must be a string, got number", "emails[2]");
}

TEST(OptionalStringArrayTest, NotAnArray) {
  auto emails = OptionalStringArray(Obj(R"({"emails":"a@x"})"), "emails");
  ASSERT_FALSE(emails);
  ExpectInvalid(emails.error(), "field 'emails' must be an array, got string", "emails");
}

TEST(OptionalInt64ArrayTest, ReadsIntegersAndNamesTheBadElement) {
  auto ids = OptionalInt64Array(Obj(R"({"ids":[3, 9.0]})"), "ids");
  ASSERT_TRUE(ids);
  EXPECT_EQ(*ids, (std::vector<int64_t>{3, 9}));
  EXPECT_TRUE(OptionalInt64Array(Obj(R"({"ids":null})"), "ids")->empty());
  auto bad = OptionalInt64Array(Obj(R"({"ids":[1,"2"]})"), "ids");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "ids[1]");
}

TEST(OptionalObjectArrayTest, ItemsCarryTheirPathForNestedReads) {
  auto body = Obj(R"({"social":[{"network":"x","handle":"asha"},{"handle":"b"}]})");
  auto social = OptionalObjectArray(body, "social");
  ASSERT_TRUE(social);
  ASSERT_EQ(social->size(), 2u);
  EXPECT_EQ((*social)[0].path, "social[0]");
  EXPECT_EQ(*RequireString(*(*social)[0].object, "network", (*social)[0].path), "x");
  auto missing = RequireString(*(*social)[1].object, "network", (*social)[1].path);
  ASSERT_FALSE(missing);
  ExpectInvalid(missing.error(), "field 'social[1].network' is required", "social[1].network");
}

TEST(OptionalObjectArrayTest, AbsentIsEmptyAndWrongKindsFail) {
  EXPECT_TRUE(OptionalObjectArray(Obj(R"({})"), "social")->empty());
  auto not_array = OptionalObjectArray(Obj(R"({"social":{}})"), "social");
  ASSERT_FALSE(not_array);
  ExpectInvalid(not_array.error(), "field 'social' must be an array, got object", "social");
  auto element = OptionalObjectArray(Obj(R"({"social":[{}, "x"]})"), "social");
  ASSERT_FALSE(element);
  ExpectInvalid(element.error(), "field 'social[1]' must be an object, got string", "social[1]");
}

// ---- unknown fields

TEST(RejectUnknownFieldsTest, AcceptsKnownFields) {
  EXPECT_TRUE(
      RejectUnknownFields(Obj(R"({"subject":"a","body":"b"})"), {"subject", "body", "priority"}));
}

TEST(RejectUnknownFieldsTest, NamesTheFirstUnknownField) {
  auto result = RejectUnknownFields(Obj(R"({"body":"b","subjct":"a","x":1})"), {"subject", "body"});
  ASSERT_FALSE(result);
  ExpectInvalid(result.error(), "unknown field 'subjct'", "subjct");
}

TEST(RejectUnknownFieldsTest, NestedPath) {
  auto result = RejectUnknownFields(Obj(R"({"netwrok":"x"})"), {"network", "handle"}, "social[0]");
  ASSERT_FALSE(result);
  ExpectInvalid(result.error(), "unknown field 'social[0].netwrok'", "social[0].netwrok");
}

}  // namespace
}  // namespace redress::http
