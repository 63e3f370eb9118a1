#include "channels/email/transport/tcp_keepalive.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace redress::email::transport {

Result<void> EnableTcpKeepalive(int fd, const KeepaliveTiming& timing) {
  struct Option {
    int level;
    int name;
    int value;
    const char* what;
  };
  const Option options[] = {
      {SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE"},
      {IPPROTO_TCP, TCP_KEEPIDLE, static_cast<int>(timing.idle.count()), "TCP_KEEPIDLE"},
      {IPPROTO_TCP, TCP_KEEPINTVL, static_cast<int>(timing.interval.count()), "TCP_KEEPINTVL"},
      {IPPROTO_TCP, TCP_KEEPCNT, timing.probes, "TCP_KEEPCNT"},
  };
  for (const Option& option : options) {
    if (setsockopt(fd, option.level, option.name, &option.value, sizeof(option.value)) != 0) {
      return Fail(ErrorCode::kInternal, std::string("setting ") + option.what +
                                            " on the socket: " + std::strerror(errno));
    }
  }
  return {};
}

}  // namespace redress::email::transport
