#include "channels/email/mime_message.h"

#include <gtest/gtest.h>

namespace redress::email {
namespace {
TEST(ParseMessage, Smoke) {
  auto parsed = ParseMessage("From: a@b.c\r\nSubject: hi\r\n\r\nbody\r\n");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->subject, "hi");
}
}  // namespace
}  // namespace redress::email
