#include "app/mail_server_endpoint.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace redress::app {
namespace {

using email::transport::TlsMode;

MailServerConfig Server(std::string url, std::string tls = "") {
  MailServerConfig server;
  server.url = std::move(url);
  server.tls = std::move(tls);
  return server;
}

TEST(MailServerEndpointTest, SchemeGivesTheDefaultPortAndTls) {
  auto plain = ToMailEndpoint(Server("smtp://mail.acme.example"), kSmtpSchemes, "mail.smtp");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->host, "mail.acme.example");
  EXPECT_EQ(plain->port, 587);
  EXPECT_EQ(plain->tls, TlsMode::kStartTlsRequired);
  auto implicit = ToMailEndpoint(Server("smtps://mail.acme.example/"), kSmtpSchemes, "mail.smtp");
  ASSERT_TRUE(implicit) << implicit.error().message;
  EXPECT_EQ(implicit->port, 465);
  EXPECT_EQ(implicit->tls, TlsMode::kImplicit);
  auto imap = ToMailEndpoint(Server("imaps://[::1]:10993"), kImapSchemes, "mail.mailboxes x");
  ASSERT_TRUE(imap) << imap.error().message;
  EXPECT_EQ(imap->host, "::1");
  EXPECT_EQ(imap->port, 10993);
}

TEST(MailServerEndpointTest, TlsSettingOverridesTheScheme) {
  auto none = ToMailEndpoint(Server("smtp://127.0.0.1:2525", "none"), kSmtpSchemes, "mail.smtp");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->tls, TlsMode::kNone);
  EXPECT_EQ(none->port, 2525);
  auto optional =
      ToMailEndpoint(Server("smtp://h", "starttls_optional"), kSmtpSchemes, "mail.smtp");
  ASSERT_TRUE(optional);
  EXPECT_EQ(optional->tls, TlsMode::kStartTlsOptional);
  auto contradiction = ToMailEndpoint(Server("smtps://h", "none"), kSmtpSchemes, "mail.smtp");
  ASSERT_FALSE(contradiction);
  EXPECT_NE(contradiction.error().message.find("contradicts"), std::string::npos);
}

TEST(MailServerEndpointTest, BadUrlsAreRefusedWithTheSetting) {
  for (const char* url : {"smtp://", "smtp://h:0", "smtp://h:70000", "smtp://h:25x",
                          "smtp://user@h", "imap://h", "smtp://[::1", "mail.acme.example"}) {
    auto endpoint = ToMailEndpoint(Server(url), kSmtpSchemes, "mail.smtp");
    ASSERT_FALSE(endpoint) << url;
    EXPECT_EQ(endpoint.error().code, ErrorCode::kInvalidArgument) << url;
    EXPECT_NE(endpoint.error().message.find("[mail.smtp]"), std::string::npos) << url;
  }
}

TEST(MailServerEndpointTest, PasswordIsReadFromItsFile) {
  const auto path = std::filesystem::temp_directory_path() / "redress_smtp_password_test";
  {
    std::ofstream out(path);
    out << "s3cret\n";
  }
  MailServerConfig server = Server("smtp://h");
  server.username = "redress";
  server.password_file = path.string();
  auto endpoint = ToMailEndpoint(server, kSmtpSchemes, "mail.smtp");
  std::filesystem::remove(path);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->username, "redress");
  EXPECT_EQ(endpoint->password, "s3cret");
  auto missing = ToMailEndpoint(server, kSmtpSchemes, "mail.smtp");  // the file is gone now
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("mail.smtp password_file"), std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find(path.string()), std::string::npos)
      << missing.error().message;
}

TEST(MailServerEndpointTest, APasswordWrittenIntoTheUrlIsRefusedWithoutBeingRepeated) {
  auto refused =
      ToMailEndpoint(Server("smtp://redress:s3cret@mail.acme.example"), kSmtpSchemes, "mail.smtp");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.find("s3cret"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace redress::app
