#include "channels/email/transport/lmtp_protocol.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace redress::email {
namespace {

LmtpLimits SmallLimits() {
  LmtpLimits limits;
  limits.max_message_bytes = 100;
  limits.max_recipients = 2;
  limits.max_command_line = 64;
  limits.max_errors = 5;
  return limits;
}

// Ours: support@acme.test and its plus addresses.
std::optional<std::string> OnlySupport(std::string_view address) {
  if (address == "support@acme.test" || address.starts_with("support+")) return std::nullopt;
  return "is not a mailbox of this help desk";
}

LmtpSession NewSession(LmtpLimits limits = SmallLimits()) {
  return LmtpSession("mx.acme.test", limits, OnlySupport);
}

std::vector<std::string> Lines(const std::string& replies) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < replies.size()) {
    const size_t end = replies.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "a reply without CRLF: " << replies;
    if (end == std::string::npos) break;
    lines.push_back(replies.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// The first reply line of a step, or "" when there is none.
std::string First(const LmtpSession::Step& step) {
  const auto lines = Lines(step.replies);
  return lines.empty() ? std::string() : lines.front();
}

TEST(LmtpSessionTest, GreetsAndAnswersLhloWithItsExtensions) {
  LmtpSession session = NewSession();
  EXPECT_EQ(session.Greeting(), "220 mx.acme.test LMTP Redress ready\r\n");
  auto step = session.Receive("LHLO mx1.acme.test\r\n");
  EXPECT_EQ(
      Lines(step.replies),
      (std::vector<std::string>{"250-mx.acme.test", "250-PIPELINING", "250-ENHANCEDSTATUSCODES",
                                "250-8BITMIME", "250-SMTPUTF8", "250 SIZE 100"}));
  EXPECT_FALSE(step.close);
  EXPECT_FALSE(step.message);
}

TEST(LmtpSessionTest, APipelinedTransactionYieldsTheMessageThenOneReplyPerRecipient) {
  LmtpSession session = NewSession();
  auto step = session.Receive(
      "LHLO mx1\r\nMAIL FROM:<asha@example.in> SIZE=40 BODY=8BITMIME\r\n"
      "RCPT TO:<support@acme.test>\r\nRCPT TO:<support+t1.abc@acme.test>\r\nDATA\r\n"
      "Subject: hi\r\n\r\n..a line that began with a dot\r\n.\r\nQUIT\r\n");
  const auto lines = Lines(step.replies);
  ASSERT_EQ(lines.size(), 10u) << step.replies;
  EXPECT_EQ(lines[6], "250 2.1.0 sender ok");
  EXPECT_EQ(lines[7], "250 2.1.5 recipient ok");
  EXPECT_EQ(lines[8], "250 2.1.5 recipient ok");
  EXPECT_EQ(lines[9], "354 end the message with <CR><LF>.<CR><LF>");
  ASSERT_TRUE(step.message);
  EXPECT_EQ(step.message->reverse_path, "asha@example.in");
  EXPECT_EQ(step.message->recipients,
            (std::vector<std::string>{"support@acme.test", "support+t1.abc@acme.test"}));
  EXPECT_EQ(step.message->data, "Subject: hi\r\n\r\n.a line that began with a dot\r\n");
  EXPECT_TRUE(session.awaiting_delivery());
  EXPECT_FALSE(step.close) << "QUIT waits until the message has its answers";

  auto after = session.Delivered({250, "2.0.0", "stored as case 7"});
  EXPECT_EQ(Lines(after.replies),
            (std::vector<std::string>{"250 2.0.0 <support@acme.test> stored as case 7",
                                      "250 2.0.0 <support+t1.abc@acme.test> stored as case 7",
                                      "221 2.0.0 mx.acme.test closing connection"}));
  EXPECT_TRUE(after.close);
  EXPECT_FALSE(session.awaiting_delivery());
}

TEST(LmtpSessionTest, BytesMayArriveOneAtATimeAndBareLineFeedsEndLines) {
  LmtpSession session = NewSession();
  const std::string input =
      "LHLO a\nMAIL FROM:<>\nRCPT TO:<support@acme.test>\nDATA\nline one\n.\n";
  std::optional<LmtpMessage> message;
  std::string replies;
  for (char c : input) {
    auto step = session.Receive(std::string_view(&c, 1));
    replies += step.replies;
    if (step.message) message = step.message;
  }
  ASSERT_TRUE(message) << replies;
  EXPECT_EQ(message->reverse_path, "") << "the null reverse path of a bounce";
  EXPECT_EQ(message->data, "line one\n");
}

TEST(LmtpSessionTest, ATransientFailureIsFourHundredForEveryRecipientAndTheSessionGoesOn) {
  LmtpSession session = NewSession();
  session.Receive("LHLO a\r\nMAIL FROM:<x@y.z>\r\nRCPT TO:<support@acme.test>\r\nDATA\r\n");
  auto step = session.Receive("hello\r\n.\r\n");
  ASSERT_TRUE(step.message);
  auto after = session.Delivered({451, "4.3.0", "the store could not write; try again later"});
  EXPECT_EQ(Lines(after.replies),
            (std::vector<std::string>{
                "451 4.3.0 <support@acme.test> the store could not write; try again later"}));
  auto next = session.Receive("MAIL FROM:<x@y.z>\r\n");
  EXPECT_EQ(Lines(next.replies), (std::vector<std::string>{"250 2.1.0 sender ok"}))
      << "a new transaction may start after the answers";
}

TEST(LmtpSessionTest, RecipientsThatAreNotOursAreRefusedAndDataNeedsOneThatIs) {
  LmtpSession session = NewSession();
  auto step =
      session.Receive("LHLO a\r\nMAIL FROM:<x@y.z>\r\nRCPT TO:<sales@elsewhere.test>\r\nDATA\r\n");
  const auto lines = Lines(step.replies);
  ASSERT_EQ(lines.size(), 9u) << step.replies;
  EXPECT_EQ(lines[7], "550 5.1.1 <sales@elsewhere.test> is not a mailbox of this help desk");
  EXPECT_EQ(lines[8], "503 5.5.1 no valid recipients");
  EXPECT_FALSE(session.in_data());
}

TEST(LmtpSessionTest, TooManyRecipientsIsTemporarySoTheMtaSendsTheRestLater) {
  LmtpSession session = NewSession();
  auto step = session.Receive(
      "LHLO a\r\nMAIL FROM:<x@y.z>\r\nRCPT TO:<support@acme.test>\r\n"
      "RCPT TO:<support+a@acme.test>\r\nRCPT TO:<support+b@acme.test>\r\n");
  EXPECT_EQ(Lines(step.replies).back(), "452 4.5.3 too many recipients in one message");
}

TEST(LmtpSessionTest, CommandsOutOfOrderAreRefusedWithFiveHundredThree) {
  LmtpSession session = NewSession();
  EXPECT_EQ(First(session.Receive("MAIL FROM:<x@y.z>\r\n")), "503 5.5.1 send LHLO first");
  session.Receive("LHLO a\r\n");
  EXPECT_EQ(First(session.Receive("RCPT TO:<support@acme.test>\r\n")), "503 5.5.1 send MAIL first");
  EXPECT_EQ(First(session.Receive("DATA\r\n")), "503 5.5.1 send MAIL first");
  session.Receive("MAIL FROM:<x@y.z>\r\n");
  EXPECT_EQ(First(session.Receive("MAIL FROM:<x@y.z>\r\n")),
            "503 5.5.1 a MAIL command was already given");
  EXPECT_EQ(First(session.Receive("RSET\r\n")), "250 2.0.0 reset");
  EXPECT_EQ(First(session.Receive("RCPT TO:<support@acme.test>\r\n")), "503 5.5.1 send MAIL first")
      << "RSET ended the transaction";
}

TEST(LmtpSessionTest, SmtpGreetingsSyntaxErrorsAndUnknownCommandsAreRefused) {
  LmtpLimits patient = SmallLimits();
  patient.max_errors = 100;
  LmtpSession session = NewSession(patient);
  EXPECT_EQ(First(session.Receive("EHLO a\r\n")),
            "500 5.5.1 this is an LMTP server: greet it with LHLO");
  EXPECT_EQ(First(session.Receive("LHLO\r\n")), "501 5.5.4 LHLO needs the client's host name");
  session.Receive("LHLO a\r\n");
  EXPECT_EQ(First(session.Receive("MAIL FROM:x@y.z\r\n")),
            "501 5.5.4 syntax: MAIL FROM:<address> [parameters]");
  EXPECT_EQ(First(session.Receive("MAIL FROM:<x@y.z> RET=FULL\r\n")),
            "555 5.5.4 MAIL parameter not recognised: RET=FULL");
  EXPECT_EQ(First(session.Receive("MAIL FROM:<x@y.z> SIZE=ten\r\n")),
            "501 5.5.4 SIZE must be a number of bytes");
  EXPECT_EQ(First(session.Receive("STARTTLS\r\n")), "500 5.5.1 command not recognised");
  EXPECT_EQ(First(session.Receive("VRFY support\r\n")), "252 2.5.2 cannot verify, send the mail");
  EXPECT_EQ(First(session.Receive("noop\r\n")), "250 2.0.0 ok") << "verbs are not case sensitive";
}

TEST(LmtpSessionTest, ADeclaredSizeOverTheLimitIsRefusedAtMail) {
  LmtpSession session = NewSession();
  session.Receive("LHLO a\r\n");
  EXPECT_EQ(First(session.Receive("MAIL FROM:<x@y.z> SIZE=101\r\n")),
            "552 5.3.4 message of 101 bytes is over the limit of 100");
}

TEST(LmtpSessionTest, AMessageOverTheLimitIsReadToItsEndAndRefusedForEveryRecipient) {
  LmtpSession session = NewSession();
  session.Receive(
      "LHLO a\r\nMAIL FROM:<x@y.z>\r\nRCPT TO:<support@acme.test>\r\n"
      "RCPT TO:<support+a@acme.test>\r\nDATA\r\n");
  std::string replies;
  for (int i = 0; i < 10; ++i) {
    auto step = session.Receive(std::string(30, 'x') + "\r\n");
    EXPECT_FALSE(step.message);
    replies += step.replies;
  }
  EXPECT_EQ(replies, "");
  auto step = session.Receive(".\r\nNOOP\r\n");
  EXPECT_FALSE(step.message);
  EXPECT_EQ(Lines(step.replies),
            (std::vector<std::string>{
                "552 5.3.4 <support@acme.test> message is over the limit of 100 bytes",
                "552 5.3.4 <support+a@acme.test> message is over the limit of 100 bytes",
                "250 2.0.0 ok"}));
}

TEST(LmtpSessionTest, AnOverlongCommandLineIsRefusedOnceAndTheNextLineIsRead) {
  LmtpSession session = NewSession();
  auto first = session.Receive(std::string(50, 'A'));
  EXPECT_EQ(first.replies, "");
  auto second = session.Receive(std::string(50, 'A'));
  EXPECT_EQ(Lines(second.replies), (std::vector<std::string>{"500 5.5.2 line too long"}));
  auto third = session.Receive(std::string(100, 'A') + "\r\nNOOP\r\n");
  EXPECT_EQ(Lines(third.replies), (std::vector<std::string>{"250 2.0.0 ok"}));
}

TEST(LmtpSessionTest, TooManyErrorsCloseTheConnectionWith421) {
  LmtpSession session = NewSession();
  auto step = session.Receive("X\r\nX\r\nX\r\nX\r\nX\r\nNOOP\r\n");
  const auto lines = Lines(step.replies);
  ASSERT_EQ(lines.size(), 6u) << step.replies;
  EXPECT_EQ(lines.back(), "421 4.7.0 too many errors, closing connection");
  EXPECT_TRUE(step.close);
}

TEST(LmtpSessionTest, ADotSplitFromItsLineEndIsStillTheEndOfTheMessage) {
  LmtpSession session = NewSession();
  session.Receive("LHLO a\r\nMAIL FROM:<x@y.z>\r\nRCPT TO:<support@acme.test>\r\nDATA\r\n");
  EXPECT_FALSE(session.Receive("body\r\n.").message);
  EXPECT_FALSE(session.Receive("\r").message);
  auto step = session.Receive("\n");
  ASSERT_TRUE(step.message);
  EXPECT_EQ(step.message->data, "body\r\n");
}

TEST(LmtpSessionTest, ARecipientAddressCannotInjectAReplyLine) {
  LmtpSession session("mx", SmallLimits(), [](std::string_view) {
    return std::optional<std::string>("refused\r\n250 fake");
  });
  session.Receive("LHLO a\r\nMAIL FROM:<x@y.z>\r\n");
  auto step = session.Receive("RCPT TO:<a@b>\r\n");
  EXPECT_EQ(Lines(step.replies), (std::vector<std::string>{"550 5.1.1 <a@b> refused  250 fake"}));
}

}  // namespace
}  // namespace redress::email
