#include "mailgate/http_handoff.h"

#include <gtest/gtest.h>

namespace redress::mailgate {
namespace {

Error Refusal(const std::string& url) {
  auto reply = SubmitOverHttp(HttpHandoff{url, "rdt_token", "", "", std::chrono::seconds(1)},
                              "From: a@b.example\r\n\r\nhi\r\n");
  EXPECT_FALSE(reply) << url << " was accepted";
  return reply ? Error{} : reply.error();
}

TEST(HttpHandoffTest, OnlyHttpAndHttpsUrlsWithAHostAreTried) {
  for (const std::string url : {"ftp://help.acme.example", "help.acme.example:8080", "http://",
                                "http://h/?mailbox=x", "http://h/#top"}) {
    Error e = Refusal(url);
    EXPECT_EQ(e.code, ErrorCode::kInvalidArgument) << url << ": " << e.message;
    EXPECT_EQ(e.field, "url") << url;
  }
}

TEST(HttpHandoffTest, AUrlWithAPasswordIsRefusedWithoutRepeatingIt) {
  Error e = Refusal("https://mx1:hunter2@help.acme.example");
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument) << e.message;
  EXPECT_EQ(e.message.find("hunter2"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace redress::mailgate
