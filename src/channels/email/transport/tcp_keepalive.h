// TCP keepalive for a connection that may stay silent for long: the IMAP IDLE watcher's.
// Without it, a server that vanished without closing (a reboot, a NAT or firewall that
// forgot the connection) leaves a half-open socket that reads nothing until IDLE is
// renewed, up to kMaxIdleRound later, and new mail waits for the next poll. With it, the
// kernel probes an idle connection after `idle` and gives up after `probes` unanswered
// probes `interval` apart; the socket then reports the error and the watcher reconnects.
#pragma once

#include <chrono>

#include "core/result.h"

namespace redress::email::transport {

struct KeepaliveTiming {
  std::chrono::seconds idle{60};
  std::chrono::seconds interval{15};
  int probes = 4;  // so a dead peer is noticed about 2 minutes after it went silent
};

/// Turns on keepalive probes for the TCP socket `fd` with `timing`.
Result<void> EnableTcpKeepalive(int fd, const KeepaliveTiming& timing = {});

}  // namespace redress::email::transport
