// One message all the way through real servers: sent by SendMail to the SMTP peer, put into
// Dovecot exactly as the SMTP server received it, then polled, fetched and marked by
// ImapMailbox. The bytes that come out are the bytes that went in.
#include <gtest/gtest.h>

#include "channels/email/transport/imap_mailbox.h"
#include "channels/email/transport/smtp_sender.h"
#include "peers/dovecot_peer.h"
#include "peers/smtp_peer.h"

namespace redress::email::transport {
namespace {

using test_peers::DovecotPeer;
using test_peers::SmtpPeer;

MailEndpoint Endpoint(uint16_t port, TlsMode tls, const std::string& user,
                      const std::string& password, const std::string& ca_file) {
  MailEndpoint endpoint;
  endpoint.host = "localhost";
  endpoint.port = port;
  endpoint.tls = tls;
  endpoint.username = user;
  endpoint.password = password;
  endpoint.ca_file = ca_file;
  return endpoint;
}

class MailRoundTripTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto smtp = SmtpPeer::Start();
    auto imap = DovecotPeer::Start();
    if (smtp) smtp_ = std::move(*smtp);
    if (imap) imap_ = std::move(*imap);
    error_ = (smtp ? "" : smtp.error().message) + (imap ? "" : imap.error().message);
  }
  static void TearDownTestSuite() {
    smtp_.reset();
    imap_.reset();
  }
  void SetUp() override { ASSERT_TRUE(smtp_ && imap_) << error_; }

  static inline std::unique_ptr<SmtpPeer> smtp_;
  static inline std::unique_ptr<DovecotPeer> imap_;
  static inline std::string error_;
};

TEST_F(MailRoundTripTest, SentOverStartTlsPolledOverImapsSameBytes) {
  const std::string message =
      "From: Redress <support@redress.test>\r\n"
      "To: kunde@example.test\r\n"
      "Subject: [Redress #7] =?UTF-8?Q?R=C3=BCckerstattung?=\r\n"
      "Message-ID: <case7.3@redress.test>\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "\r\n"
      "Ihre Rückerstattung ist unterwegs.\r\n"
      ".\r\n"
      "..\r\n";
  SmtpConfig smtp;
  smtp.endpoint = Endpoint(smtp_->starttls_port(), TlsMode::kStartTlsRequired, smtp_->user(),
                           smtp_->password(), smtp_->ca_file());
  SmtpOutcome sent = SendMail(smtp, {"bounces@redress.test", {"kunde@example.test"}}, message);
  ASSERT_TRUE(sent) << sent.error().message;
  auto received = smtp_->Received();
  ASSERT_TRUE(received) << received.error().message;
  ASSERT_EQ(received->size(), 1u);
  ASSERT_TRUE(imap_->Append("INBOX", received->front().raw));

  ImapMailboxConfig config;
  config.endpoint = Endpoint(imap_->imaps_port(), TlsMode::kImplicit, imap_->user(),
                             imap_->password(), imap_->ca_file());
  config.mark = MarkMode::kMoveToFolder;
  config.processed_folder = "Redress.Processed";  // Dovecot Maildir separates levels by "."
  auto mailbox = ImapMailbox::Open(config);
  ASSERT_TRUE(mailbox) << mailbox.error().message;
  auto pending = mailbox->ListUnprocessed({});
  ASSERT_TRUE(pending) << pending.error().message;
  ASSERT_EQ(pending->uids.size(), 1u);
  auto raw = mailbox->Fetch(pending->uidvalidity, pending->uids[0]);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(*raw, message);
  auto marked = mailbox->MarkProcessed(pending->uidvalidity, pending->uids[0]);
  ASSERT_TRUE(marked) << marked.error().message;
  auto after = mailbox->ListUnprocessed({pending->uidvalidity, pending->uids[0]});
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_TRUE(after->uids.empty());
}

}  // namespace
}  // namespace redress::email::transport
