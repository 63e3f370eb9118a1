// The [[mail.mailboxes]] settings read by ParseMailConfig: here the `idle` switch.
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

}  // namespace
}  // namespace redress::app
