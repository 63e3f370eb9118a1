// The [[mail.mailboxes]] and [mail.lmtp] settings read by ParseMailConfig.
#include "app/mail_config.h"

#include <gtest/gtest.h>

namespace redress::app {
namespace {

Result<MailConfig> Parse(const std::string& mailbox_lines) {
  const std::string text =
      "[mail]\naddresses = [\"support@acme.test\"]\nthread_key_file = \"/etc/redress/key\"\n"
      "[[mail.mailboxes]]\nname = \"support\"\nurl = \"imaps://imap.acme.test\"\n" +
      mailbox_lines;
  toml::table root = toml::parse(std::string_view(text), std::string_view("redress.toml"));
  return ParseMailConfig(*root["mail"].as_table(), "redress.toml");
}

TEST(MailConfigTest, MailboxesWatchWithIdleUnlessTurnedOff) {
  auto by_default = Parse("");
  ASSERT_TRUE(by_default) << by_default.error().message;
  ASSERT_EQ(by_default->mailboxes.size(), 1u);
  EXPECT_TRUE(by_default->mailboxes[0].idle);
  auto off = Parse("idle = false\n");
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_FALSE(off->mailboxes[0].idle);
}

TEST(MailConfigTest, IdleThatIsNotABooleanIsRefusedNamingTheKey) {
  for (const char* value : {"\"yes\"", "1"}) {
    auto parsed = Parse(std::string("idle = ") + value + "\n");
    ASSERT_FALSE(parsed) << value;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find("[mail.mailboxes idle] must be true or false"),
              std::string::npos)
        << parsed.error().message;
    EXPECT_NE(parsed.error().message.find("redress.toml:7:"), std::string::npos)
        << parsed.error().message;
  }
}

Result<MailConfig> ParseLmtp(const std::string& lmtp_lines) {
  const std::string text =
      "[mail]\naddresses = [\"support@acme.test\", \"orders@acme.test\"]\n"
      "thread_key_file = \"/etc/redress/key\"\n[mail.lmtp]\n" +
      lmtp_lines;
  toml::table root = toml::parse(std::string_view(text), std::string_view("redress.toml"));
  return ParseMailConfig(*root["mail"].as_table(), "redress.toml");
}

TEST(MailConfigTest, LmtpListensOnAnAddressOrAUnixSocketWithItsQueues) {
  auto tcp = ParseLmtp(
      "listen = \"127.0.0.1:2424\"\nmax_connections = 8\n[mail.lmtp.queues]\n"
      "\"Orders@ACME.test\" = \"orders\"\n");
  ASSERT_TRUE(tcp) << tcp.error().message;
  ASSERT_TRUE(tcp->lmtp);
  EXPECT_EQ(tcp->lmtp->listen, "127.0.0.1:2424");
  EXPECT_EQ(tcp->lmtp->max_connections, 8);
  EXPECT_EQ(tcp->lmtp->socket_mode, 0660);
  ASSERT_EQ(tcp->lmtp->queues.size(), 1u);
  EXPECT_EQ(tcp->lmtp->queues[0].first, "orders@acme.test") << "addresses are normalised";
  EXPECT_EQ(tcp->lmtp->queues[0].second, "orders");

  auto unix_socket =
      ParseLmtp("listen = \"unix:/run/redress/lmtp.sock\"\nsocket_mode = \"0666\"\n");
  ASSERT_TRUE(unix_socket) << unix_socket.error().message;
  EXPECT_EQ(unix_socket->lmtp->socket_mode, 0666);
  auto v6 = ParseLmtp("listen = \"[::1]:2424\"\n");
  EXPECT_TRUE(v6) << "an IPv6 address in brackets is accepted: " << v6.error().message;
}

TEST(MailConfigTest, BadLmtpSettingsAreRefusedNamingTheProblem) {
  struct Case {
    const char* lines;
    const char* message;
  };
  const Case cases[] = {
      {"listen = \"2424\"\n", "[mail.lmtp] listen must be host:port"},
      {"listen = \"unix:relative.sock\"\n", "or unix:/absolute/path, got 'unix:relative.sock'"},
      {"listen = \"127.0.0.1:2424\"\nsocket_mode = \"rw\"\n",
       "[mail.lmtp] socket_mode must be octal permissions"},
      {"listen = \"127.0.0.1:2424\"\nmax_connections = 0\n",
       "[mail.lmtp max_connections] must be an integer between 1 and 10000"},
      {"listen = \"127.0.0.1:2424\"\nport = 1\n", "[mail.lmtp] has no setting 'port'"},
      {"listen = \"127.0.0.1:2424\"\n[mail.lmtp.queues]\n\"sales@acme.test\" = \"sales\"\n",
       "redress.toml:7:21: [mail.lmtp.queues] 'sales@acme.test' is not one of [mail] addresses"},
      {"listen = \"127.0.0.1:2424\"\n[mail.lmtp.queues]\n\"orders@acme.test\" = \"\"\n",
       "'orders@acme.test' must name a category"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseLmtp(c.lines);
    ASSERT_FALSE(parsed) << c.lines;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message.find(c.message), std::string::npos)
        << c.lines << " -> " << parsed.error().message;
  }
}

TEST(MailConfigTest, LmtpNeedsTheCompanysAddresses) {
  toml::table root = toml::parse(std::string_view(
      "[mail]\nthread_key_file = \"/k\"\n[mail.lmtp]\nlisten = \"127.0.0.1:2424\"\n"));
  auto parsed = ParseMailConfig(*root["mail"].as_table(), "redress.toml");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("mailboxes or LMTP are configured"), std::string::npos)
      << parsed.error().message;
}

}  // namespace
}  // namespace redress::app
