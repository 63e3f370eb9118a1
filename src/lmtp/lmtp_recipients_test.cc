#include "lmtp/lmtp_recipients.h"

#include <gtest/gtest.h>

namespace redress::lmtp {
namespace {

LmtpRecipients Acme() {
  return LmtpRecipients({"support@acme.test", "orders@acme.test"},
                        {{"orders@acme.test", "orders"}});
}

TEST(LmtpRecipientsTest, OurAddressesAndTheirPlusAddressesAreAcceptedInAnyCase) {
  const LmtpRecipients recipients = Acme();
  EXPECT_EQ(recipients.OwnAddressOf("support@acme.test"), "support@acme.test");
  EXPECT_EQ(recipients.OwnAddressOf("Support@ACME.test"), "support@acme.test");
  EXPECT_EQ(recipients.OwnAddressOf("support+c42.k3y@acme.test"), "support@acme.test");
  EXPECT_EQ(recipients.OwnAddressOf("support+tampered-token@acme.test"), "support@acme.test")
      << "an altered token is still our mailbox: the intake threads it and records why";
  EXPECT_FALSE(recipients.Refusal("orders@acme.test"));
}

TEST(LmtpRecipientsTest, OtherAddressesAreRefusedWithAReason) {
  const LmtpRecipients recipients = Acme();
  for (const char* address : {"sales@acme.test", "support@acme.test.evil", "support@other.test",
                              "support", "@acme.test", "supportx@acme.test"}) {
    EXPECT_FALSE(recipients.OwnAddressOf(address)) << address;
    EXPECT_EQ(recipients.Refusal(address), "is not a mailbox of this help desk ([mail] addresses)")
        << address;
  }
}

TEST(LmtpRecipientsTest, TheFirstRecipientWithAQueueGivesTheCategory) {
  const LmtpRecipients recipients = Acme();
  EXPECT_EQ(recipients.CategoryOf({"support@acme.test"}), "");
  EXPECT_EQ(recipients.CategoryOf({"support@acme.test", "Orders+x@acme.test"}), "orders");
}

}  // namespace
}  // namespace redress::lmtp
