#include "eventlog/canonical_json.h"

#include <cstdint>
#include <limits>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace redress::eventlog {
namespace {

namespace json = boost::json;

std::string Encode(const json::value& v) {
  auto r = CanonicalJson(v);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : std::string();
}

std::string EncodeString(std::string_view s) { return Encode(json::value(json::string(s))); }

TEST(CanonicalJsonTest, SortsKeysAndDropsWhitespace) {
  json::object o;
  o["b"] = 2;
  o["a"] = 1;
  o["c"] = 3;
  o["A"] = 0;  // uppercase sorts before lowercase: byte order, not a locale
  EXPECT_EQ(Encode(o), R"({"A":0,"a":1,"b":2,"c":3})");
}

TEST(CanonicalJsonTest, InsertionOrderDoesNotMatter) {
  json::object first;
  first["x"] = 1;
  first["y"] = json::array{1, 2};
  json::object second;
  second["y"] = json::array{1, 2};
  second["x"] = 1;
  EXPECT_EQ(Encode(first), Encode(second));
}

TEST(CanonicalJsonTest, KeysSortByUtf8BytesWhichIsCodePointOrder) {
  // U+FF61 sorts before U+1F600 by code point and by UTF-8 bytes, but after it in UTF-16
  // (the surrogate D83D < FF61): this pins the byte order Python's sort_keys agrees with.
  json::object o;
  o["\U0001F600"] = 2;
  o["\uFF61"] = 1;
  o["\u00E9"] = 5;
  o["a"] = 3;
  o["B"] = 4;
  EXPECT_EQ(Encode(o),
            "{\"B\":4,\"a\":3,\"\xC3\xA9\":5,\"\xEF\xBD\xA1\":1,\"\xF0\x9F\x98\x80\":2}");
}

TEST(CanonicalJsonTest, NestedObjectsAndArraysAreSortedAtEveryLevel) {
  json::value v = json::parse(R"({"z":{"y":[3,{"q":1,"p":[]}],"x":null},"a":[{"d":1,"c":2}]})");
  EXPECT_EQ(Encode(v), R"({"a":[{"c":2,"d":1}],"z":{"x":null,"y":[3,{"p":[],"q":1}]}})");
}

TEST(CanonicalJsonTest, ArraysKeepTheirOrder) {
  EXPECT_EQ(Encode(json::array{3, 1, 2}), "[3,1,2]");
}

TEST(CanonicalJsonTest, EmptyContainers) {
  EXPECT_EQ(Encode(json::object()), "{}");
  EXPECT_EQ(Encode(json::array()), "[]");
  EXPECT_EQ(EncodeString(""), R"("")");
  json::object o;
  o["o"] = json::object();
  o["a"] = json::array();
  EXPECT_EQ(Encode(o), R"({"a":[],"o":{}})");
}

TEST(CanonicalJsonTest, Literals) {
  EXPECT_EQ(Encode(json::value(nullptr)), "null");
  EXPECT_EQ(Encode(json::value(true)), "true");
  EXPECT_EQ(Encode(json::value(false)), "false");
}

TEST(CanonicalJsonTest, Integers) {
  EXPECT_EQ(Encode(json::value(0)), "0");
  EXPECT_EQ(Encode(json::value(-1)), "-1");
  EXPECT_EQ(Encode(json::value(int64_t{-4200})), "-4200");
  EXPECT_EQ(Encode(json::value(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(Encode(json::value(std::numeric_limits<int64_t>::max())), "9223372036854775807");
  EXPECT_EQ(Encode(json::value(std::numeric_limits<uint64_t>::max())), "18446744073709551615");
}

TEST(CanonicalJsonTest, SignedAndUnsignedKindsEncodeTheSame) {
  // Boost.JSON may hold 5 as int64 or uint64 depending on how it was built; the hash must
  // not depend on that.
  EXPECT_EQ(Encode(json::value(uint64_t{5})), Encode(json::value(int64_t{5})));
}

TEST(CanonicalJsonTest, EscapesQuoteAndBackslash) {
  EXPECT_EQ(EncodeString("say \"hi\" \\o/"), R"("say \"hi\" \\o/")");
}

TEST(CanonicalJsonTest, EscapesNamedControlCharacters) {
  EXPECT_EQ(EncodeString("\b\f\n\r\t"), R"("\b\f\n\r\t")");
}

TEST(CanonicalJsonTest, EscapesOtherControlCharactersAsLowercaseHex) {
  EXPECT_EQ(EncodeString("\x01"), R"("\u0001")");
  EXPECT_EQ(EncodeString("\x1f"), R"("\u001f")");
  EXPECT_EQ(EncodeString("\x0b"), R"("\u000b")");  // vertical tab has no short form
  EXPECT_EQ(EncodeString(std::string_view("a\0b", 3)), R"("a\u0000b")");
}

TEST(CanonicalJsonTest, DeleteIsRaw) {
  EXPECT_EQ(EncodeString("\x7f"), "\"\x7f\"");
}

TEST(CanonicalJsonTest, NonAsciiIsRawUtf8) {
  EXPECT_EQ(EncodeString("Asha Rao \xE2\x80\x94 caf\xC3\xA9 \xF0\x9F\x98\x80"),
            "\"Asha Rao \xE2\x80\x94 caf\xC3\xA9 \xF0\x9F\x98\x80\"");
}

TEST(CanonicalJsonTest, LineSeparatorIsRaw) {
  // JavaScript-oriented encoders escape U+2028; Python with ensure_ascii=False does not.
  EXPECT_EQ(EncodeString("a\xE2\x80\xA8z"), "\"a\xE2\x80\xA8z\"");
}

TEST(CanonicalJsonTest, KeysAreEscapedLikeStrings) {
  json::object o;
  o["a\"b\n"] = 1;
  EXPECT_EQ(Encode(o), R"({"a\"b\n":1})");
}

TEST(CanonicalJsonTest, RefusesDoubleAndNamesWhere) {
  json::value v = json::parse(R"({"refund":{"items":[{"amount":12.5}]}})");
  auto r = CanonicalJson(v);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "refund.items[0].amount");
  EXPECT_NE(r.error().message.find("floating-point"), std::string::npos) << r.error().message;
}

TEST(CanonicalJsonTest, RefusesDoubleEvenWhenIntegral) {
  // 1.0 parses as a double; Python would print "1.0", so accepting it would break the claim.
  auto r = CanonicalJson(json::parse("1.0"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "");
  EXPECT_NE(r.error().message.find("at the top level"), std::string::npos) << r.error().message;
}

TEST(CanonicalJsonTest, RefusesInvalidUtf8) {
  const char* bad[] = {
      "\xC3",              // truncated two-byte sequence
      "\x80",              // lone continuation byte
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong three-byte
      "\xED\xA0\x80",      // UTF-16 surrogate U+D800
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // invalid lead byte
      "\xE2\x28\xA1",      // bad continuation
      "\xFF",
  };
  for (const char* s : bad) {
    json::object o;
    o["body"] = std::string("ok ") + s;
    auto r = CanonicalJson(o);
    ASSERT_FALSE(r.has_value()) << "accepted bytes of " << s;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "body");
    EXPECT_NE(r.error().message.find("not valid UTF-8"), std::string::npos) << r.error().message;
  }
}

TEST(CanonicalJsonTest, AcceptsUtf8Boundaries) {
  // The first and last code points of each sequence length, and the neighbours of the
  // surrogate range, are all valid.
  const char* good[] = {"\xC2\x80",         "\xDF\xBF",         "\xE0\xA0\x80",
                        "\xED\x9F\xBF",     "\xEE\x80\x80",     "\xEF\xBF\xBF",
                        "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"};
  for (const char* s : good) {
    EXPECT_EQ(EncodeString(s), std::string("\"") + s + "\"");
  }
}

TEST(CanonicalJsonTest, RefusesInvalidUtf8InKeyWithoutEchoingIt) {
  json::object inner;
  inner["\xFF"] = 1;
  json::object o;
  o["meta"] = inner;
  auto r = CanonicalJson(o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "meta");
  EXPECT_EQ(r.error().message.find('\xFF'), std::string::npos);
}

TEST(CanonicalJsonTest, FailureLeavesOutputUntouched) {
  std::string out = "prefix";
  json::array a{1, 2, 3.5};
  auto r = AppendCanonicalJson(a, out);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(out, "prefix");
  EXPECT_EQ(r.error().field, "[2]");
}

TEST(CanonicalJsonTest, AppendsAfterExistingBytes) {
  std::string out = "x:";
  ASSERT_TRUE(AppendCanonicalJson(json::array{1}, out).has_value());
  EXPECT_EQ(out, "x:[1]");
}

TEST(CanonicalJsonTest, MatchesPythonJsonDumps) {
  // The expected bytes are what this prints (python3):
  //   import json
  //   v = {"zeta": [1, -2, {"b": None, "a": True}],
  //        "alpha": "quote\" back\\ \b\f\n\r\t \x01\x1f\x7f é ✓ \u2028 😀",
  //        "Z": {}, "é": [], "big": 18446744073709551615,
  //        "neg": -9223372036854775808, "f": False}
  //   print(json.dumps(v, sort_keys=True, separators=(",", ":"),
  //                    ensure_ascii=False).encode())
  json::object inner;
  inner["b"] = nullptr;
  inner["a"] = true;
  json::object v;
  v["zeta"] = json::array{1, -2, inner};
  v["alpha"] =
      "quote\" back\\ \b\f\n\r\t \x01\x1f\x7f \xC3\xA9 \xE2\x9C\x93 \xE2\x80\xA8 \xF0\x9F\x98\x80";
  v["Z"] = json::object();
  v["\xC3\xA9"] = json::array();
  v["big"] = std::numeric_limits<uint64_t>::max();
  v["neg"] = std::numeric_limits<int64_t>::min();
  v["f"] = false;

  const std::string python =
      "{\"Z\":{},\"alpha\":\"quote\\\" back\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f\x7f \xC3\xA9 "
      "\xE2\x9C\x93 \xE2\x80\xA8 \xF0\x9F\x98\x80\",\"big\":18446744073709551615,"
      "\"f\":false,\"neg\":-9223372036854775808,\"zeta\":[1,-2,{\"a\":true,\"b\":null}],"
      "\"\xC3\xA9\":[]}";
  EXPECT_EQ(Encode(v), python);
}

}  // namespace
}  // namespace redress::eventlog
