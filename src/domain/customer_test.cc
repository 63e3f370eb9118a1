#include "domain/customer.h"

#include <string>

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

void ExpectError(const Result<std::string>& r, std::string_view needle) {
  ASSERT_FALSE(r.has_value()) << "accepted as " << *r;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << r.error().message << " (wanted \"" << needle << "\")";
}

TEST(IdentityKind, NamesRoundTrip) {
  for (IdentityKind k : {IdentityKind::kEmail, IdentityKind::kPhone, IdentityKind::kSocial}) {
    EXPECT_EQ(ParseIdentityKind(IdentityKindName(k)), k);
  }
  EXPECT_STREQ(IdentityKindName(IdentityKind::kEmail), "email");
  EXPECT_STREQ(IdentityKindName(IdentityKind::kPhone), "phone");
  EXPECT_STREQ(IdentityKindName(IdentityKind::kSocial), "social");
  EXPECT_EQ(ParseIdentityKind("Email"), std::nullopt);
  EXPECT_EQ(ParseIdentityKind("fax"), std::nullopt);
}

TEST(NormalizeEmail, LowercasesAndTrims) {
  EXPECT_EQ(NormalizeEmail("  Asha@Example.COM ").value_or(""), "asha@example.com");
  EXPECT_EQ(NormalizeEmail("first.last+tag@mail.example.co.in").value_or(""),
            "first.last+tag@mail.example.co.in");
  EXPECT_EQ(NormalizeEmail("o'brien@ex-ample.ie").value_or(""), "o'brien@ex-ample.ie");
}

TEST(NormalizeEmail, RejectsMissingOrExtraAt) {
  ExpectError(NormalizeEmail(""), "must not be empty");
  ExpectError(NormalizeEmail("asha.example.com"), "no '@'");
  ExpectError(NormalizeEmail("a@b@example.com"), "more than one '@'");
  ExpectError(NormalizeEmail("@example.com"), "nothing before the '@'");
  ExpectError(NormalizeEmail("asha@"), "no domain");
}

TEST(NormalizeEmail, RejectsBadDomains) {
  ExpectError(NormalizeEmail("asha@localhost"), "needs a dot");
  ExpectError(NormalizeEmail("asha@exa_mple.com"), "only letters, digits");
  ExpectError(NormalizeEmail("asha@example..com"), "empty part");
  ExpectError(NormalizeEmail("asha@.example.com"), "empty part");
  ExpectError(NormalizeEmail("asha@example.com."), "empty part");
  ExpectError(NormalizeEmail("asha@-example.com"), "start or end with '-'");
  ExpectError(NormalizeEmail("asha@" + std::string(64, 'a') + ".com"), "longer than 63");
  ExpectError(NormalizeEmail("asha@exämple.com"), "only letters, digits");
}

TEST(NormalizeEmail, RejectsBadLocalParts) {
  ExpectError(NormalizeEmail("as ha@example.com"), "may not contain spaces");
  ExpectError(NormalizeEmail("as,ha@example.com"), "may not contain \",\"");
  ExpectError(NormalizeEmail(".asha@example.com"), "dots");
  ExpectError(NormalizeEmail("asha.@example.com"), "dots");
  ExpectError(NormalizeEmail("as..ha@example.com"), "dots");
  ExpectError(NormalizeEmail(std::string(65, 'a') + "@example.com"), "longer than 64");
  EXPECT_TRUE(NormalizeEmail(std::string(64, 'a') + "@example.com").has_value());
}

TEST(NormalizeEmail, LengthLimitIs254) {
  // 64 + 1 + 189 = 254 characters: the longest allowed.
  const std::string domain =
      std::string(63, 'd') + "." + std::string(63, 'd') + "." + std::string(57, 'd') + ".com";
  const std::string longest = std::string(64, 'l') + "@" + domain;
  ASSERT_EQ(longest.size(), 254u);
  EXPECT_TRUE(NormalizeEmail(longest).has_value());
  ExpectError(NormalizeEmail("l" + longest), "longer than 254");
}

TEST(NormalizeEmail, ErrorFieldIsEmail) {
  auto r = NormalizeEmail("nope");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "email");
  EXPECT_EQ(r.error().message, "\"nope\" is not an email address: it has no '@'");
}

TEST(NormalizeTier, LowercasesTrimsAndRefusesOddCharacters) {
  EXPECT_EQ(NormalizeTier("  VIP ").value_or("?"), "vip");
  EXPECT_EQ(NormalizeTier("gold_plus-2").value_or("?"), "gold_plus-2");
  EXPECT_EQ(NormalizeTier("").value_or("?"), "");  // clears the tier
  auto spaced = NormalizeTier("gold plus");
  ASSERT_FALSE(spaced);
  EXPECT_EQ(spaced.error().field, "tier");
  EXPECT_FALSE(NormalizeTier(std::string(33, 'a')));
}

TEST(NormalizePhone, StripsPunctuationToE164) {
  EXPECT_EQ(NormalizePhone("+91 98123 45678").value_or(""), "+919812345678");
  EXPECT_EQ(NormalizePhone(" +1 (415) 555-0100 ").value_or(""), "+14155550100");
  EXPECT_EQ(NormalizePhone("+44.20.7946.0018").value_or(""), "+442079460018");
}

TEST(NormalizePhone, DigitCountBoundaries) {
  EXPECT_TRUE(NormalizePhone("+1234567").has_value());          // 7
  EXPECT_TRUE(NormalizePhone("+123456789012345").has_value());  // 15
  ExpectError(NormalizePhone("+123456"), "has 6 digits");
  ExpectError(NormalizePhone("+1234567890123456"), "has 16 digits");
}

TEST(NormalizePhone, RejectsNumbersWithoutCountryCode) {
  ExpectError(NormalizePhone("09812345678"), "must start with '+'");
  ExpectError(NormalizePhone("0091 9812345678"), "must start with '+'");
  ExpectError(NormalizePhone("+0 9812345678"), "never start with 0");
}

TEST(NormalizePhone, RejectsOtherCharacters) {
  ExpectError(NormalizePhone(""), "must not be empty");
  ExpectError(NormalizePhone("+91 98123 4567x"), "only digits");
  ExpectError(NormalizePhone("+91+9812345678"), "only digits");
  ExpectError(NormalizePhone("+"), "has 0 digits");
}

TEST(NormalizeSocial, NetworkAliasesAndHandleForms) {
  EXPECT_EQ(NormalizeSocial("X", "@AshaR").value_or(""), "x:ashar");
  EXPECT_EQ(NormalizeSocial("twitter", "ashar").value_or(""), "x:ashar");
  EXPECT_EQ(NormalizeSocial(" Instagram ", "asha.r").value_or(""), "instagram:asha.r");
  EXPECT_EQ(NormalizeSocial("facebook", "asha-r_1").value_or(""), "facebook:asha-r_1");
  EXPECT_EQ(NormalizeSocial("whatsapp", "919812345678").value_or(""), "whatsapp:919812345678");
  EXPECT_EQ(NormalizeSocial("linkedin", "asharao").value_or(""), "linkedin:asharao");
}

TEST(NormalizeSocial, ErrorsNameNetworkOrHandle) {
  auto net = NormalizeSocial("myspace", "asha");
  ASSERT_FALSE(net.has_value());
  EXPECT_EQ(net.error().field, "network");
  EXPECT_NE(net.error().message.find("unknown social network \"myspace\""), std::string::npos);

  auto empty = NormalizeSocial("x", "@");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().field, "handle");

  auto bad = NormalizeSocial("x", "asha r");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "handle");

  EXPECT_TRUE(NormalizeSocial("x", std::string(64, 'h')).has_value());
  auto long_handle = NormalizeSocial("x", std::string(65, 'h'));
  ASSERT_FALSE(long_handle.has_value());
  EXPECT_EQ(long_handle.error().field, "handle");
  EXPECT_FALSE(NormalizeSocial("x", "@@asha").has_value());  // only one '@' is removed
}

TEST(Customer, EmailsAndPhonesKeepOrderAndKind) {
  Customer c;
  c.identities = {{IdentityKind::kPhone, "+14155550100", true},
                  {IdentityKind::kEmail, "a@example.com", false},
                  {IdentityKind::kSocial, "x:ashar", false},
                  {IdentityKind::kEmail, "b@example.com", true}};
  EXPECT_EQ(c.Emails(), (std::vector<std::string>{"a@example.com", "b@example.com"}));
  EXPECT_EQ(c.Phones(), (std::vector<std::string>{"+14155550100"}));
  EXPECT_TRUE(Customer{}.Emails().empty());
}

NewCustomer Asha() {
  NewCustomer in;
  in.name = "Asha Rao";
  in.emails = {"Asha@Example.com"};
  in.phones = {"+91 98123 45678"};
  in.social = {{"Twitter", "@Asha_R"}};
  return in;
}

TEST(ValidateNewCustomer, ReturnsNormalisedIdentitiesInOrder) {
  auto ids = ValidateNewCustomer(Asha());
  ASSERT_TRUE(ids.has_value()) << ids.error().message;
  const std::vector<Identity> expected = {{IdentityKind::kEmail, "asha@example.com", false},
                                          {IdentityKind::kPhone, "+919812345678", false},
                                          {IdentityKind::kSocial, "x:asha_r", false}};
  EXPECT_EQ(*ids, expected);
}

TEST(ValidateNewCustomer, NameRules) {
  NewCustomer in = Asha();
  in.name = "  ";
  auto r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "name");
  EXPECT_EQ(r.error().message, "name: must not be empty");

  in.name = std::string(200, 'n');
  EXPECT_TRUE(ValidateNewCustomer(in).has_value());
  in.name = std::string(201, 'n');
  r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "name");

  in.name = "Asha\nRao";
  EXPECT_FALSE(ValidateNewCustomer(in).has_value());
}

TEST(ValidateNewCustomer, NeedsAtLeastOneIdentity) {
  NewCustomer in;
  in.name = "Asha";
  auto r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("at least one"), std::string::npos);

  in.phones = {"+14155550100"};
  EXPECT_TRUE(ValidateNewCustomer(in).has_value());
}

TEST(ValidateNewCustomer, ErrorsNameTheIndexedField) {
  NewCustomer in = Asha();
  in.emails = {"ok@example.com", "broken"};
  auto r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "emails[1]");
  EXPECT_EQ(r.error().message, "emails[1]: \"broken\" is not an email address: it has no '@'");

  in = Asha();
  in.phones = {"12345"};
  r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "phones[0]");
  EXPECT_EQ(r.error().message.rfind("phones[0]: ", 0), 0u);

  in = Asha();
  in.social = {{"x", "ok"}, {"orkut", "asha"}};
  r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "social[1].network");

  in.social = {{"x", "bad handle"}};
  r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "social[0].handle");
  EXPECT_EQ(r.error().message.rfind("social[0].handle: ", 0), 0u);
}

TEST(ValidateNewCustomer, DuplicatesAfterNormalisationAreRejected) {
  NewCustomer in = Asha();
  in.emails = {"asha@example.com", "ravi@example.com", " ASHA@example.COM"};
  auto r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "emails[2]");
  EXPECT_NE(r.error().message.find("duplicate of emails[0]"), std::string::npos);

  in = Asha();
  in.phones = {"+91 98123 45678", "+91-9812-345678"};
  r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "phones[1]");

  in = Asha();
  in.social = {{"twitter", "AshaR"}, {"x", "@asharr"}, {"x", "@ashar"}};
  r = ValidateNewCustomer(in);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "social[2]");
  EXPECT_NE(r.error().message.find("duplicate of social[0]"), std::string::npos);
}

TEST(ValidateNewCustomer, SameValueOfDifferentKindsIsNotADuplicate) {
  NewCustomer in;
  in.name = "Asha";
  in.phones = {"+919812345678"};
  in.social = {{"whatsapp", "919812345678"}};
  EXPECT_TRUE(ValidateNewCustomer(in).has_value());
}

}  // namespace
}  // namespace redress::domain
