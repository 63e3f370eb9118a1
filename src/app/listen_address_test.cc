#include "app/listen_address.h"

#include <gtest/gtest.h>

namespace redress::app {
namespace {

TEST(ListenAddressTest, ReadsHostAndPort) {
  auto v4 = ParseListenAddress("127.0.0.1:2424");
  ASSERT_TRUE(v4) << v4.error().message;
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 2424);
  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6) << v6.error().message;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  auto name = ParseListenAddress("localhost:65535");
  ASSERT_TRUE(name) << name.error().message;
  EXPECT_EQ(name->host, "localhost");
  EXPECT_EQ(name->port, 65535);
}

TEST(ListenAddressTest, SaysWhatIsWrong) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"8080", "must be host:port"},
           Case{"", "must be host:port"},
           Case{":80", "must be host:port, with a host before the colon"},
           Case{"host:", "port '' must be a number from 0 to 65535"},
           Case{"host:65536", "port '65536' must be a number from 0 to 65535"},
           Case{"host:0000080", "port '0000080' must be a number from 0 to 65535"},
           Case{"host:8x", "port '8x' must be a number from 0 to 65535"},
           Case{"::1:80", "an IPv6 address must be written in brackets, e.g. [::1]:8080"},
           Case{"[::1]80", "must be [IPv6 address]:port"},
           Case{"[::1", "must be [IPv6 address]:port"},
       }) {
    auto parsed = ParseListenAddress(c.text);
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_EQ(parsed.error().message, c.message) << c.text;
  }
}

TEST(ListenAddressTest, ResolvesLiteralsAsWrittenAndNamesThroughTheResolver) {
  auto literal = ResolveListenAddress({"::1", 8080});
  ASSERT_TRUE(literal) << literal.error().message;
  EXPECT_TRUE(literal->address().is_v6());
  EXPECT_EQ(literal->port(), 8080);
  auto name = ResolveListenAddress({"localhost", 9});
  ASSERT_TRUE(name) << name.error().message;
  EXPECT_TRUE(name->address().is_loopback());
  EXPECT_EQ(name->port(), 9);
  auto unknown = ResolveListenAddress({"no-such-host.invalid", 80});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("cannot resolve listen host 'no-such-host.invalid'"),
            std::string::npos)
      << unknown.error().message;
}

}  // namespace
}  // namespace redress::app
