// The pure parts of the transport: SMTP payload preparation, SMTP reply pairing, IMAP
// response parsing and folder quoting, and which of our commands may be recorded.
#include <gtest/gtest.h>

#include "channels/email/transport/curl_session.h"
#include "channels/email/transport/failure_class.h"
#include "channels/email/transport/imap_response.h"
#include "channels/email/transport/smtp_payload.h"
#include "channels/email/transport/smtp_reply.h"

namespace redress::email::transport {
namespace {

TEST(SmtpPayloadTest, NormalisesEveryLineEndingToCrLfAndKeepsCrLfMessagesExact) {
  EXPECT_EQ(*PrepareSmtpPayload("a\r\nb\r\n"), "a\r\nb\r\n");
  EXPECT_EQ(*PrepareSmtpPayload("a\nb\rc\r\n\nd"), "a\r\nb\r\nc\r\n\r\nd");
  std::string eight_bit = "Subject: x\r\n\r\n\xC3\xA4\xF0\x9F\x98\x80\r\n";
  EXPECT_EQ(*PrepareSmtpPayload(eight_bit), eight_bit);
}

TEST(SmtpPayloadTest, RefusesEmptyMessagesAndLinesOver998Octets) {
  EXPECT_FALSE(PrepareSmtpPayload(""));
  EXPECT_TRUE(PrepareSmtpPayload(std::string(998, 'a') + "\r\nb"));
  auto too_long = PrepareSmtpPayload("h: v\r\n\r\nok\r\n" + std::string(999, 'a') + "\r\n");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(too_long.error().message.find("line 4"), std::string::npos);
}

TEST(SmtpReplyTest, PairsEachRecipientWithItsReplyIncludingMultiLineReplies) {
  std::vector<WireLine> wire = {
      {true, "220 mx.example.test ESMTP"},
      {false, "MAIL FROM:<a@redress.test>"},
      {true, "250 OK"},
      {false, "RCPT TO:<x@example.test>"},
      {true, "550-5.1.1 no such user"},
      {true, "550 5.1.1 see https://example.test/why"},
      {false, "RCPT TO:<y@example.test> NOTIFY=NEVER"},
      {true, "250 2.1.5 OK"},
      {false, "RCPT TO:<z@example.test>"},
  };
  std::vector<RecipientReply> replies = RecipientReplies(wire);
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].address, "x@example.test");
  EXPECT_EQ(replies[0].reply.code, 550);
  EXPECT_EQ(replies[0].reply.text,
            "550-5.1.1 no such user\n550 5.1.1 see https://example.test/why");
  EXPECT_EQ(replies[1].address, "y@example.test");
  EXPECT_EQ(replies[1].reply.code, 250);
  EXPECT_EQ(replies[2].address, "z@example.test");
  EXPECT_EQ(replies[2].reply.code, 0);  // the server never answered
}

TEST(SmtpReplyTest, LastComplaintIsNotHiddenByTheGoodbye) {
  std::vector<WireLine> wire = {{true, "250 OK"},
                                {false, "DATA"},
                                {true, "354 go ahead"},
                                {true, "554 5.6.0 refused"},
                                {true, "221 Bye"}};
  EXPECT_EQ(LastComplaint(wire).code, 554);
  EXPECT_EQ(LastComplaint({{true, "250 OK"}}).code, 250);
  EXPECT_EQ(LastComplaint({}).code, 0);
}

TEST(SmtpReplyTest, ReplyCodesClassifyAsPermanentOnlyFor5xx) {
  EXPECT_EQ(ClassifySmtpReplyCode(550), FailureClass::kPermanent);
  EXPECT_EQ(ClassifySmtpReplyCode(554), FailureClass::kPermanent);
  EXPECT_EQ(ClassifySmtpReplyCode(451), FailureClass::kTemporary);
  EXPECT_EQ(ClassifySmtpReplyCode(421), FailureClass::kTemporary);
  EXPECT_EQ(ClassifySmtpReplyCode(0), FailureClass::kTemporary);
  EXPECT_EQ(ClassifySmtpReplyCode(600), FailureClass::kTemporary);
}

TEST(CurlSessionTest, OnlyEnvelopeCommandsAreRecordedNeverCredentials) {
  EXPECT_TRUE(IsRecordableCommand("MAIL FROM:<a@b>"));
  EXPECT_TRUE(IsRecordableCommand("rcpt to:<a@b>"));
  EXPECT_TRUE(IsRecordableCommand("DATA"));
  EXPECT_FALSE(IsRecordableCommand("AUTH PLAIN AGJvYgBwdw=="));
  EXPECT_FALSE(IsRecordableCommand("AGJvYgBwdw=="));
  EXPECT_FALSE(IsRecordableCommand("A001 LOGIN agent secret"));
  EXPECT_FALSE(IsRecordableCommand("A002 AUTHENTICATE PLAIN AGFnZW50AHNlY3JldA=="));
}

TEST(ImapResponseTest, ReadsUidValidityFromStatusAndSelectResponses) {
  EXPECT_EQ(ParseUidValidity("* STATUS INBOX (UIDNEXT 3 UIDVALIDITY 1796103470)\r\n"), 1796103470u);
  EXPECT_EQ(ParseUidValidity("* OK [UIDVALIDITY 42] UIDs valid\r\n"), 42u);
  EXPECT_EQ(ParseUidValidity("* STATUS INBOX (MESSAGES 2)\r\n"), std::nullopt);
}

TEST(ImapResponseTest, ReadsSearchResultsSortedAndRefusesGarbage) {
  EXPECT_EQ(*ParseSearchUids("* SEARCH 7 3 12\r\n"), (std::vector<uint32_t>{3, 7, 12}));
  EXPECT_EQ(*ParseSearchUids("* SEARCH\r\n"), std::vector<uint32_t>{});
  EXPECT_EQ(*ParseSearchUids("* 4 EXISTS\r\n* SEARCH 4\r\n"), std::vector<uint32_t>{4});
  EXPECT_FALSE(ParseSearchUids("* SEARCH 1 two\r\n"));
}

TEST(ImapResponseTest, QuotesFolderNamesAndRefusesWhatWouldNeedUtf7) {
  EXPECT_EQ(*QuoteFolderName("INBOX"), "\"INBOX\"");
  EXPECT_EQ(*QuoteFolderName("Support \"VIP\"\\x"), "\"Support \\\"VIP\\\"\\\\x\"");
  EXPECT_FALSE(QuoteFolderName(""));
  EXPECT_FALSE(QuoteFolderName("A\r\nB"));
  EXPECT_FALSE(QuoteFolderName("Entw\xC3\xBCrfe"));
}

TEST(ImapResponseTest, WritesUidSetsWithRunsAsRanges) {
  using U = std::vector<uint32_t>;
  EXPECT_EQ(UidSet(U{42}), "42");
  EXPECT_EQ(UidSet(U{1, 2, 3, 7, 9, 10}), "1:3,7,9:10");
  EXPECT_EQ(UidSet(U{5, 7, 9}), "5,7,9");
  EXPECT_EQ(UidSet(U{4294967294u, 4294967295u}), "4294967294:4294967295");
}

}  // namespace
}  // namespace redress::email::transport
