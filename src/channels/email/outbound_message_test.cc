#include "channels/email/outbound_message.h"

#include <gtest/gtest.h>

#include <string>

#include "channels/email/mail_classifier.h"
#include "channels/email/testing/memory_thread_lookup.h"
#include "channels/email/threading.h"

namespace redress::email {
namespace {

class Outbound : public ::testing::Test {
 protected:
  Outbound() : signer_(*ThreadTokenSigner::Create(std::string(kThreadKeyBytes, 'o'))) {}

  OutboundMessage Reply() {
    OutboundMessage m;
    m.case_id = 1234;
    m.from = {"Acme Süpport", "support@acme.example"};
    m.to = {{"Jürgen Müller", "juergen@example.de"}};
    m.cc = {{"", "team@example.de"}};
    m.subject = "Re: Rückerstattung für Bestellung 77 — dringend";
    m.text_body = "Hallo Jürgen,\n\ndie Erstattung ist unterwegs. ₹ 500\n";
    m.html_body = "<p>Hallo J&uuml;rgen, die Erstattung ist unterwegs.</p>";
    m.date = Timestamp(std::chrono::seconds(1796115600));
    m.in_reply_to = "juergen-2@example.de";
    m.references = {"juergen-1@example.de", "rd.old@acme.example"};
    m.unique = "u1";
    return m;
  }

  ThreadTokenSigner signer_;
};

TEST_F(Outbound, RoundTripsThroughTheParser) {
  Result<BuiltMessage> built = BuildOutboundMessage(Reply(), signer_);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_EQ(built->message_id, signer_.MessageId(1234, "u1", "acme.example"));

  Result<ParsedMessage> parsed = ParseMessage(built->bytes);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->warnings.empty()) << parsed->warnings.front();
  EXPECT_EQ(parsed->from[0], (Mailbox{"Acme Süpport", "support@acme.example"}));
  EXPECT_EQ(parsed->to[0], (Mailbox{"Jürgen Müller", "juergen@example.de"}));
  EXPECT_EQ(parsed->cc[0].address, "team@example.de");
  ASSERT_EQ(parsed->reply_to.size(), 1u);
  EXPECT_EQ(parsed->reply_to[0].address, built->reply_to);
  EXPECT_EQ(signer_.CheckPlusAddress(built->reply_to, {"support@acme.example"}).case_id, 1234);
  EXPECT_EQ(parsed->subject, "Re: Rückerstattung für Bestellung 77 — dringend [Redress #1234]");
  EXPECT_EQ(parsed->message_id, built->message_id);
  EXPECT_EQ(signer_.CheckMessageId(parsed->message_id, {"acme.example"}).status,
            TokenStatus::kValid);
  EXPECT_EQ(parsed->in_reply_to, std::vector<std::string>{"juergen-2@example.de"});
  EXPECT_EQ(parsed->references,
            (std::vector<std::string>{"juergen-1@example.de", "rd.old@acme.example",
                                      "juergen-2@example.de"}));
  ASSERT_TRUE(parsed->date.has_value());
  EXPECT_EQ(*parsed->date, Reply().date);
  EXPECT_EQ(parsed->content_type, "multipart/alternative");
  EXPECT_EQ(parsed->text_body, "Hallo Jürgen,\n\ndie Erstattung ist unterwegs. ₹ 500\n");
  EXPECT_NE(parsed->html_body.find("J&uuml;rgen"), std::string::npos);
  EXPECT_EQ(ClassifyMail(*parsed).kind, MailKind::kPerson);
}

TEST_F(Outbound, WireFormatIsSevenBitWithCrlf) {
  Result<BuiltMessage> built = BuildOutboundMessage(Reply(), signer_);
  ASSERT_TRUE(built.has_value());
  const std::string& bytes = built->bytes;
  size_t line_start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    ASSERT_LT(static_cast<unsigned char>(bytes[i]), 0x80) << "8-bit byte at " << i;
    if (bytes[i] == '\n') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(bytes[i - 1], '\r') << "bare LF at " << i;
      EXPECT_LE(i - line_start, 998u);
      line_start = i + 1;
    }
  }
  EXPECT_NE(bytes.find("MIME-Version: 1.0"), std::string::npos);
  EXPECT_NE(bytes.find("=?"), std::string::npos);  // RFC 2047 words for the umlauts
}

TEST_F(Outbound, AutomaticMailIsMarkedAndNotAnsweredByUs) {
  OutboundMessage ack = Reply();
  ack.automatic = true;
  ack.html_body.clear();
  Result<BuiltMessage> built = BuildOutboundMessage(ack, signer_);
  ASSERT_TRUE(built.has_value());
  Result<ParsedMessage> parsed = ParseMessage(built->bytes);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->content_type, "text/plain");
  Classification c = ClassifyMail(*parsed);
  EXPECT_EQ(c.kind, MailKind::kAutoReply);
  EXPECT_FALSE(c.MayAutoRespond());
}

TEST_F(Outbound, HeaderInjectionIsNeutralised) {
  OutboundMessage m = Reply();
  m.subject = "Hello\r\nBcc: victim@example.org";
  m.to = {{"Eve\r\nX-Evil: 1", "eve@example.org"}};
  Result<BuiltMessage> built = BuildOutboundMessage(m, signer_);
  ASSERT_TRUE(built.has_value());
  Result<ParsedMessage> parsed = ParseMessage(built->bytes);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->FindHeader("Bcc"), nullptr);
  EXPECT_EQ(parsed->FindHeader("X-Evil"), nullptr);
  EXPECT_EQ(parsed->to.size(), 1u);
}

TEST_F(Outbound, LongThreadsKeepTheFirstAndTheRecentReferences) {
  OutboundMessage m = Reply();
  m.references.clear();
  for (int i = 0; i < 50; ++i) m.references.push_back("m" + std::to_string(i) + "@x.example");
  m.in_reply_to = "m49@x.example";
  Result<ParsedMessage> parsed = ParseMessage(BuildOutboundMessage(m, signer_)->bytes);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->references.size(), 20u);
  EXPECT_EQ(parsed->references.front(), "m0@x.example");
  EXPECT_EQ(parsed->references[1], "m31@x.example");
  EXPECT_EQ(parsed->references.back(), "m49@x.example");
}

TEST_F(Outbound, TheMessageAnsweredIsReferencedOnceAndLast) {
  OutboundMessage m = Reply();
  m.references = {"juergen-1@example.de", "juergen-2@example.de", "rd.old@acme.example"};
  m.in_reply_to = "juergen-2@example.de";
  Result<ParsedMessage> parsed = ParseMessage(BuildOutboundMessage(m, signer_)->bytes);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->references,
            (std::vector<std::string>{"juergen-1@example.de", "rd.old@acme.example",
                                      "juergen-2@example.de"}));
}

TEST_F(Outbound, RejectsIncompleteMessages) {
  OutboundMessage m = Reply();
  m.to.clear();
  EXPECT_FALSE(BuildOutboundMessage(m, signer_).has_value());
  m = Reply();
  m.case_id = 0;
  EXPECT_FALSE(BuildOutboundMessage(m, signer_).has_value());
  m = Reply();
  m.text_body.clear();
  EXPECT_FALSE(BuildOutboundMessage(m, signer_).has_value());
}

// The customer's reply to our mail, as a client writes it, finds the case by token.
TEST_F(Outbound, TheCustomersReplyFindsTheCase) {
  Result<BuiltMessage> built = BuildOutboundMessage(Reply(), signer_);
  ASSERT_TRUE(built.has_value());
  std::string reply = "From: juergen@example.de\r\nTo: " + built->reply_to +
                      "\r\nSubject: Re: Re: =?utf-8?q?R=C3=BCckerstattung?= [Redress #1234]\r\n"
                      "Message-ID: <juergen-3@example.de>\r\nIn-Reply-To: <" +
                      built->message_id + ">\r\n\r\nDanke!\r\n";
  testing::MemoryThreadLookup store;
  ThreadingConfig config{&signer_, {"support@acme.example"}};
  ThreadDecision d = MatchThread(*ParseMessage(reply), config, store);
  EXPECT_EQ(d.case_id, 1234);
  EXPECT_EQ(d.rule, MatchRule::kToken);
  EXPECT_TRUE(d.mismatches.empty());
}

}  // namespace
}  // namespace redress::email
