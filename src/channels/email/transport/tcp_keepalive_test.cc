#include "channels/email/transport/tcp_keepalive.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace redress::email::transport {
namespace {

int Get(int fd, int level, int name) {
  int value = -1;
  socklen_t size = sizeof(value);
  EXPECT_EQ(getsockopt(fd, level, name, &value, &size), 0);
  return value;
}

TEST(TcpKeepaliveTest, SetsTheProbesOnATcpSocket) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(Get(fd, SOL_SOCKET, SO_KEEPALIVE), 0);  // off unless asked
  auto enabled =
      EnableTcpKeepalive(fd, KeepaliveTiming{std::chrono::seconds(30), std::chrono::seconds(5), 3});
  ASSERT_TRUE(enabled) << enabled.error().message;
  EXPECT_EQ(Get(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(Get(fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
  EXPECT_EQ(Get(fd, IPPROTO_TCP, TCP_KEEPINTVL), 5);
  EXPECT_EQ(Get(fd, IPPROTO_TCP, TCP_KEEPCNT), 3);
  close(fd);
}

TEST(TcpKeepaliveTest, SaysWhatFailedOnSomethingThatIsNotATcpSocket) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  auto refused = EnableTcpKeepalive(pipe_fds[0]);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("SO_KEEPALIVE"), std::string::npos)
      << refused.error().message;
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

}  // namespace
}  // namespace redress::email::transport
