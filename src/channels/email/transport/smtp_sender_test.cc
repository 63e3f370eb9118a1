// SMTP sender against a real SMTP server (aiosmtpd on loopback, tests/peers/smtp_peer.py).
#include "channels/email/transport/smtp_sender.h"

#include <gtest/gtest.h>

#include "channels/email/transport/smtp_payload.h"
#include "peers/child_process.h"
#include "peers/peer_fixtures.h"

namespace redress::email::transport {
namespace {

using test_peers::SmtpPeerTest;

constexpr char kMessage[] =
    "From: Support <support@redress.test>\r\n"
    "To: Customer <customer@example.test>\r\n"
    "Subject: [Redress #42] Your parcel\r\n"
    "Message-ID: <case42.1@redress.test>\r\n"
    "\r\n"
    "Hello,\r\n"
    ".a line that starts with a dot\r\n"
    "\r\n"
    "Regards\r\n";

class SmtpSenderTest : public SmtpPeerTest {
 protected:
  SmtpConfig Plain() const {
    SmtpConfig config;
    config.endpoint.host = "127.0.0.1";
    config.endpoint.port = peer().plain_port();
    config.endpoint.tls = TlsMode::kNone;
    return config;
  }
  SmtpConfig Secured(TlsMode tls, uint16_t port) const {
    SmtpConfig config;
    config.endpoint.host = "localhost";
    config.endpoint.port = port;
    config.endpoint.tls = tls;
    config.endpoint.username = peer().user();
    config.endpoint.password = peer().password();
    config.endpoint.ca_file = peer().ca_file();
    return config;
  }
  std::vector<test_peers::ReceivedMail> Received() const {
    auto received = peer().Received();
    EXPECT_TRUE(received) << received.error().message;
    return received ? *received : std::vector<test_peers::ReceivedMail>{};
  }
};

TEST_F(SmtpSenderTest, PlainDeliveryArrivesByteForByteWithTheEnvelope) {
  SmtpOutcome outcome =
      SendMail(Plain(), {"bounces+42@redress.test", {"customer@example.test"}}, kMessage);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->accepted, std::vector<std::string>{"customer@example.test"});
  EXPECT_TRUE(outcome->rejected.empty());
  EXPECT_EQ(outcome->reply.code, 250);
  EXPECT_NE(outcome->reply.text.find("queued as"), std::string::npos) << outcome->reply.text;

  auto received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].raw, kMessage);
  EXPECT_EQ(received[0].mail_from, "bounces+42@redress.test");
  EXPECT_EQ(received[0].rcpt_tos, std::vector<std::string>{"customer@example.test"});
  EXPECT_FALSE(received[0].tls);
}

TEST_F(SmtpSenderTest, NullSenderAndSeveralRecipientsForBouncesAndCopies) {
  SmtpOutcome outcome = SendMail(Plain(), {"", {"one@example.test", "two@example.test"}}, kMessage);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->accepted, (std::vector<std::string>{"one@example.test", "two@example.test"}));
  auto received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].mail_from, "<>");  // aiosmtpd's spelling of the null reverse-path
  EXPECT_EQ(received[0].rcpt_tos,
            (std::vector<std::string>{"one@example.test", "two@example.test"}));
}

TEST_F(SmtpSenderTest, LongestLegalLineAndEightBitUtf8BodyArriveIntact) {
  std::string message =
      "From: support@redress.test\r\n"
      "To: kunde@example.test\r\n"
      "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n"
      "Grüße aus Köln, 東京, Ελλάδα 🚚\r\n" +
      std::string(kMaxSmtpLineOctets, 'x') + "\r\n" + "..\r\n" + ".\r\n" + "end\r\n";
  SmtpOutcome outcome =
      SendMail(Plain(), {"support@redress.test", {"kunde@example.test"}}, message);
  ASSERT_TRUE(outcome) << outcome.error().message;
  auto received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].raw, message);
}

TEST_F(SmtpSenderTest, BareLineFeedsGoOnTheWireAsCrLf) {
  SmtpOutcome outcome = SendMail(Plain(), {"a@redress.test", {"b@example.test"}},
                                 "Subject: lf\n\nline one\nline two\n");
  ASSERT_TRUE(outcome) << outcome.error().message;
  auto received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].raw, "Subject: lf\r\n\r\nline one\r\nline two\r\n");
}

TEST_F(SmtpSenderTest, StartTlsWithAuthIsVerifiedEncryptedAndAuthenticated) {
  SmtpOutcome outcome = SendMail(Secured(TlsMode::kStartTlsRequired, peer().starttls_port()),
                                 {"support@redress.test", {"customer@example.test"}}, kMessage);
  ASSERT_TRUE(outcome) << outcome.error().message;
  auto received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0].tls);
  EXPECT_EQ(received[0].login, peer().user());
  EXPECT_EQ(received[0].raw, kMessage);
}

TEST_F(SmtpSenderTest, ImplicitTlsWithAuthDelivers) {
  SmtpOutcome outcome = SendMail(Secured(TlsMode::kImplicit, peer().smtps_port()),
                                 {"support@redress.test", {"customer@example.test"}}, kMessage);
  ASSERT_TRUE(outcome) << outcome.error().message;
  auto received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0].tls);
  EXPECT_EQ(received[0].login, peer().user());
}

TEST_F(SmtpSenderTest, OptionalStartTlsFallsBackToPlainWhenNotOffered) {
  SmtpConfig config = Plain();
  config.endpoint.tls = TlsMode::kStartTlsOptional;
  SmtpOutcome outcome = SendMail(config, {"a@redress.test", {"b@example.test"}}, kMessage);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(Received().at(0).tls);
}

TEST_F(SmtpSenderTest, RequiredStartTlsNotOfferedIsATemporaryTlsFailure) {
  SmtpConfig config = Plain();
  config.endpoint.tls = TlsMode::kStartTlsRequired;
  SmtpOutcome outcome = SendMail(config, {"a@redress.test", {"b@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kTls);
  EXPECT_EQ(outcome.error().failure, FailureClass::kTemporary);
  EXPECT_TRUE(Received().empty());
}

TEST_F(SmtpSenderTest, UntrustedCertificateIsATemporaryTlsFailure) {
  SmtpConfig config = Secured(TlsMode::kStartTlsRequired, peer().starttls_port());
  config.endpoint.ca_file = "/etc/ssl/certs/ca-certificates.crt";  // does not hold the peer's
  SmtpOutcome outcome = SendMail(config, {"a@redress.test", {"b@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kTls) << outcome.error().message;
  EXPECT_TRUE(Received().empty());
}

TEST_F(SmtpSenderTest, WrongPasswordIsAnAuthFailureThatNeverShowsThePassword) {
  SmtpConfig config = Secured(TlsMode::kStartTlsRequired, peer().starttls_port());
  config.endpoint.password = "wrong-Pa55word";
  SmtpOutcome outcome = SendMail(config, {"a@redress.test", {"b@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kAuth) << outcome.error().message;
  EXPECT_EQ(outcome.error().failure, FailureClass::kTemporary);
  EXPECT_EQ(outcome.error().reply.code, 535);
  EXPECT_EQ(outcome.error().message.find("wrong-Pa55word"), std::string::npos);
  EXPECT_NE(outcome.error().message.find(peer().user()), std::string::npos);
  EXPECT_TRUE(Received().empty());
}

TEST_F(SmtpSenderTest, PermanentlyRejectedRecipientIsReportedWhileOthersGetTheMessage) {
  SmtpOutcome outcome = SendMail(
      Plain(), {"a@redress.test", {"reject5-gone@example.test", "ok@example.test"}}, kMessage);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->accepted, std::vector<std::string>{"ok@example.test"});
  ASSERT_EQ(outcome->rejected.size(), 1u);
  EXPECT_EQ(outcome->rejected[0].address, "reject5-gone@example.test");
  EXPECT_EQ(outcome->rejected[0].failure, FailureClass::kPermanent);
  EXPECT_EQ(outcome->rejected[0].reply.code, 550);
  EXPECT_NE(outcome->rejected[0].reply.text.find("mailbox unavailable"), std::string::npos);
  auto received = Received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].rcpt_tos, std::vector<std::string>{"ok@example.test"});
}

TEST_F(SmtpSenderTest, EveryRecipientRejectedPermanentlyIsAPermanentFailure) {
  SmtpOutcome outcome = SendMail(
      Plain(), {"a@redress.test", {"reject5-x@example.test", "reject5-y@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kRejected) << outcome.error().message;
  EXPECT_EQ(outcome.error().failure, FailureClass::kPermanent);
  EXPECT_EQ(outcome.error().reply.code, 550);
  ASSERT_EQ(outcome.error().rejected.size(), 2u);
  EXPECT_EQ(outcome.error().rejected[1].address, "reject5-y@example.test");
  EXPECT_TRUE(Received().empty());
}

TEST_F(SmtpSenderTest, TemporarilyRejectedRecipientIsATemporaryFailure) {
  SmtpOutcome outcome =
      SendMail(Plain(), {"a@redress.test", {"reject4-busy@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kRejected) << outcome.error().message;
  EXPECT_EQ(outcome.error().failure, FailureClass::kTemporary);
  EXPECT_EQ(outcome.error().reply.code, 451);
}

TEST_F(SmtpSenderTest, MessageRefusedAfterDataCarriesTheServersReplyAndClass) {
  std::string refused = std::string("X-Peer-Refuse: 5\r\n") + kMessage;
  SmtpOutcome permanent = SendMail(Plain(), {"a@redress.test", {"b@example.test"}}, refused);
  ASSERT_FALSE(permanent);
  EXPECT_EQ(permanent.error().kind, SmtpFailureKind::kRejected) << permanent.error().message;
  EXPECT_EQ(permanent.error().failure, FailureClass::kPermanent);
  EXPECT_EQ(permanent.error().reply.code, 554);
  EXPECT_NE(permanent.error().message.find("content refused"), std::string::npos);

  std::string deferred = std::string("X-Peer-Refuse: 4\r\n") + kMessage;
  SmtpOutcome temporary = SendMail(Plain(), {"a@redress.test", {"b@example.test"}}, deferred);
  ASSERT_FALSE(temporary);
  EXPECT_EQ(temporary.error().failure, FailureClass::kTemporary);
  EXPECT_EQ(temporary.error().reply.code, 452);
  EXPECT_TRUE(Received().empty());
}

TEST_F(SmtpSenderTest, ServerDownIsATemporaryConnectFailure) {
  auto port = test_peers::PickFreeLoopbackPort();
  ASSERT_TRUE(port);
  SmtpConfig config = Plain();
  config.endpoint.port = *port;
  SmtpOutcome outcome = SendMail(config, {"a@redress.test", {"b@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kConnect) << outcome.error().message;
  EXPECT_EQ(outcome.error().failure, FailureClass::kTemporary);
}

TEST_F(SmtpSenderTest, SilentServerIsATemporaryTimeout) {
  SmtpConfig config = Plain();
  config.endpoint.port = peer().silent_port();
  config.endpoint.operation_timeout = std::chrono::milliseconds(300);
  SmtpOutcome outcome = SendMail(config, {"a@redress.test", {"b@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kTimeout) << outcome.error().message;
  EXPECT_EQ(outcome.error().failure, FailureClass::kTemporary);
}

TEST_F(SmtpSenderTest, OverlongLineIsRefusedBeforeConnecting) {
  std::string message = "Subject: long\r\n\r\n" + std::string(kMaxSmtpLineOctets + 1, 'y');
  SmtpOutcome outcome = SendMail(Plain(), {"a@redress.test", {"b@example.test"}}, message);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kInvalidRequest);
  EXPECT_EQ(outcome.error().failure, FailureClass::kPermanent);
  EXPECT_NE(outcome.error().message.find("line 3"), std::string::npos) << outcome.error().message;
  EXPECT_TRUE(Received().empty());
}

TEST_F(SmtpSenderTest, AddressesThatCouldInjectCommandsAreRefused) {
  SmtpOutcome outcome = SendMail(
      Plain(), {"a@redress.test", {"b@example.test>\r\nRCPT TO:<evil@example.test"}}, kMessage);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().kind, SmtpFailureKind::kInvalidRequest);
  EXPECT_FALSE(SendMail(Plain(), {"a@redress.test", {}}, kMessage));
  EXPECT_TRUE(Received().empty());
}

}  // namespace
}  // namespace redress::email::transport
