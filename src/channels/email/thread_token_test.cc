#include "channels/email/thread_token.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "core/ascii.h"

namespace redress::email {
namespace {

const std::string kKey(kThreadKeyBytes, 'k');
const std::vector<std::string> kOwn = {"support@acme.example", "billing@acme.example"};

ThreadTokenSigner Signer(const std::string& key = kKey) { return *ThreadTokenSigner::Create(key); }

TEST(ThreadToken, RoundTripsAndIsCompact) {
  ThreadTokenSigner signer = Signer();
  std::string token = signer.Token(1234);
  ASSERT_EQ(token.substr(0, 6), "c1234-");
  EXPECT_EQ(token.size(), 6u + 16u);
  EXPECT_EQ(token, AsciiLower(token));
  TokenCheck check = signer.Verify(token);
  EXPECT_EQ(check.status, TokenStatus::kValid);
  EXPECT_EQ(check.case_id, 1234);
  EXPECT_EQ(check.problem, TokenProblem::kNone);
  // Deterministic per case, different across cases and keys.
  EXPECT_EQ(signer.Token(1234), token);
  EXPECT_NE(signer.Token(1235).substr(6), token.substr(6));
  EXPECT_NE(Signer(std::string(kThreadKeyBytes, 'z')).Token(1234), token);
}

TEST(ThreadToken, SurvivesCaseChanges) {
  ThreadTokenSigner signer = Signer();
  std::string upper = signer.Token(77);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(signer.Verify(upper).status, TokenStatus::kValid);
  EXPECT_EQ(signer.CheckPlusAddress("SUPPORT+" + upper + "@ACME.EXAMPLE", kOwn).case_id, 77);
}

TEST(ThreadToken, RejectsKeysOfTheWrongSize) {
  EXPECT_FALSE(ThreadTokenSigner::Create("short").has_value());
  EXPECT_EQ(ThreadTokenSigner::GenerateKey().size(), kThreadKeyBytes);
  EXPECT_NE(ThreadTokenSigner::GenerateKey(), ThreadTokenSigner::GenerateKey());
}

TEST(ThreadToken, ReportsWhatWasAltered) {
  ThreadTokenSigner signer = Signer();
  std::string token = signer.Token(42);
  // Case number changed, signature kept: the forged claim is for case 43.
  TokenCheck other_case = signer.Verify("c43" + token.substr(3));
  EXPECT_EQ(other_case.status, TokenStatus::kAltered);
  EXPECT_EQ(other_case.problem, TokenProblem::kSignatureMismatch);
  EXPECT_EQ(other_case.case_id, 43);
  // One character of the signature changed.
  std::string edited = token;
  edited.back() = edited.back() == 'a' ? 'b' : 'a';
  TokenCheck bad_mac = signer.Verify(edited);
  EXPECT_EQ(bad_mac.problem, TokenProblem::kSignatureMismatch);
  EXPECT_EQ(bad_mac.case_id, 42);
  // Truncated, garbage, Amazon-style ids: malformed.
  for (std::string_view text :
       {std::string_view(token).substr(0, 10), std::string_view("A3SC11E84PLJUR"),
        std::string_view("c-abc"), std::string_view("c99999999999999999999-aaaaaaaaaaaaaaaa")}) {
    TokenCheck check = signer.Verify(text);
    EXPECT_EQ(check.status, TokenStatus::kAltered) << text;
    EXPECT_EQ(check.problem, TokenProblem::kMalformed) << text;
  }
  EXPECT_EQ(signer.Verify("").status, TokenStatus::kAbsent);
}

TEST(ThreadToken, PlusAddressesOnOwnMailboxesOnly) {
  ThreadTokenSigner signer = Signer();
  std::string reply_to = signer.ReplyAddress("support@acme.example", 9);
  EXPECT_EQ(reply_to, "support+" + signer.Token(9) + "@acme.example");
  EXPECT_EQ(signer.CheckPlusAddress(reply_to, kOwn).status, TokenStatus::kValid);
  EXPECT_EQ(signer.CheckPlusAddress("support@acme.example", kOwn).status, TokenStatus::kAbsent);
  // Someone else's plus address is none of our business.
  EXPECT_EQ(signer.CheckPlusAddress("asha+" + signer.Token(9) + "@example.com", kOwn).status,
            TokenStatus::kAbsent);
  TokenCheck cut = signer.CheckPlusAddress("support+@acme.example", kOwn);
  EXPECT_EQ(cut.status, TokenStatus::kAltered);
  EXPECT_EQ(signer.CheckPlusAddress("support+zzz@acme.example", kOwn).problem,
            TokenProblem::kMalformed);
}

TEST(ThreadToken, MessageIdsCarryTheToken) {
  ThreadTokenSigner signer = Signer();
  std::string id = signer.MessageId(5, "u8f3k", "acme.example");
  EXPECT_EQ(id, "rd." + signer.Token(5) + ".u8f3k@acme.example");
  TokenCheck check = signer.CheckMessageId(id, {"acme.example"});
  EXPECT_EQ(check.status, TokenStatus::kValid);
  EXPECT_EQ(check.case_id, 5);
  EXPECT_EQ(
      signer.CheckMessageId("rd." + signer.Token(5) + ".x@elsewhere.example", {"acme.example"})
          .status,
      TokenStatus::kAbsent);
  EXPECT_EQ(signer.CheckMessageId("CAF1234@mail.gmail.com", {"acme.example"}).status,
            TokenStatus::kAbsent);
  EXPECT_EQ(
      signer.CheckMessageId("rd.c5-aaaaaaaaaaaaaaaa.x@acme.example", {"acme.example"}).problem,
      TokenProblem::kSignatureMismatch);
}

TEST(ThreadToken, SubjectTags) {
  EXPECT_EQ(SubjectTag(1234), "[Redress #1234]");
  EXPECT_EQ(FindSubjectTag("Re: Refund [Redress #1234]"), 1234);
  EXPECT_EQ(FindSubjectTag("AW: [redress#77] Rückerstattung"), 77);
  EXPECT_EQ(FindSubjectTag("[Redress #] nothing"), std::nullopt);
  EXPECT_EQ(FindSubjectTag("[Redress #12a]"), std::nullopt);
  EXPECT_EQ(FindSubjectTag("ticket 1234"), std::nullopt);
  EXPECT_EQ(FindSubjectTag("[Redress #x] then [Redress #8]"), 8);
}

}  // namespace
}  // namespace redress::email
