// The mailbox settings → IMAP transport configuration. Polling itself runs against a real
// Dovecot in tests/mail_integration.
#include "engine/mail_poll_job.h"

#include <gtest/gtest.h>

namespace redress::engine {
namespace {

using email::transport::MarkMode;
using email::transport::TlsMode;

app::MailboxConfig Box(std::string url, std::string tls = "") {
  app::MailboxConfig box;
  box.name = "support";
  box.server.url = std::move(url);
  box.server.tls = std::move(tls);
  box.server.username = "support@acme.test";
  return box;
}

TEST(ImapConfigFor, SchemeGivesPortAndTls) {
  auto imaps = ImapConfigFor(Box("imaps://imap.acme.test"));
  ASSERT_TRUE(imaps) << imaps.error().message;
  EXPECT_EQ(imaps->endpoint.host, "imap.acme.test");
  EXPECT_EQ(imaps->endpoint.port, 993);
  EXPECT_EQ(imaps->endpoint.tls, TlsMode::kImplicit);
  auto imap = ImapConfigFor(Box("imap://imap.acme.test:1143/"));
  ASSERT_TRUE(imap) << imap.error().message;
  EXPECT_EQ(imap->endpoint.port, 1143);
  EXPECT_EQ(imap->endpoint.tls, TlsMode::kStartTlsRequired);
  auto plain = ImapConfigFor(Box("imap://[::1]:143", "none"));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->endpoint.host, "::1");
  EXPECT_EQ(plain->endpoint.tls, TlsMode::kNone);
  EXPECT_EQ(plain->endpoint.username, "support@acme.test");
}

TEST(ImapConfigFor, MarkModeFollowsProcessedFolder) {
  app::MailboxConfig box = Box("imaps://imap.acme.test");
  box.poll_seconds = 30;
  auto seen = ImapConfigFor(box);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->mark, MarkMode::kFlagSeen);
  EXPECT_EQ(seen->poll_interval, std::chrono::seconds(30));
  box.processed_folder = "Redress.Processed";
  auto moved = ImapConfigFor(box);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->mark, MarkMode::kMoveToFolder);
  EXPECT_EQ(moved->processed_folder, "Redress.Processed");
}

TEST(ImapConfigFor, BadUrlsAndMissingPasswordFilesNameTheMailbox) {
  for (const char* url : {"pop3://x", "imaps://", "imap://host:0", "imap://host:99999",
                          "imap://host:12ab", "imap://[::1", "imap://host/INBOX"}) {
    auto config = ImapConfigFor(Box(url));
    ASSERT_FALSE(config) << url;
    EXPECT_NE(config.error().message.find("support"), std::string::npos) << config.error().message;
  }
  app::MailboxConfig box = Box("imaps://imap.acme.test");
  box.server.password_file = "/nonexistent/imap.password";
  auto config = ImapConfigFor(box);
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("password_file"), std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace redress::engine
