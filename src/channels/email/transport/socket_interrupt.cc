#include "channels/email/transport/socket_interrupt.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace redress::email::transport {
namespace {

using Clock = std::chrono::steady_clock;

// Connects `fd` to `address` by `deadline`: 0, or why not (an errno value; ECANCELED when
// interrupted). The wait is sliced so that an interrupt is noticed even if shutting down a
// connecting socket did not wake poll.
int AwaitConnect(int fd, const addrinfo& address, Clock::time_point deadline,
                 const SocketInterrupt* interrupt) {
  const auto interrupted = [&] { return interrupt != nullptr && interrupt->interrupted(); };
  if (connect(fd, address.ai_addr, address.ai_addrlen) == 0) return interrupted() ? ECANCELED : 0;
  if (errno != EINPROGRESS) return errno;
  for (;;) {
    if (interrupted()) return ECANCELED;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return ETIMEDOUT;
    pollfd watched{fd, POLLOUT, 0};
    const int ready =
        poll(&watched, 1,
             static_cast<int>(
                 std::min<std::chrono::milliseconds>(left, std::chrono::seconds(1)).count()));
    if (ready < 0 && errno != EINTR) return errno;
    if (ready <= 0) continue;
    if (interrupted()) return ECANCELED;  // a shut-down socket reports writable too
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
    return error;
  }
}

}  // namespace

void SocketInterrupt::Interrupt() {
  std::lock_guard lock(mu_);
  interrupted_ = true;
  if (fd_ >= 0) shutdown(fd_, SHUT_RD);
}

bool SocketInterrupt::interrupted() const {
  std::lock_guard lock(mu_);
  return interrupted_;
}

void SocketInterrupt::Attach(int fd) {
  std::lock_guard lock(mu_);
  fd_ = fd;
  if (interrupted_) shutdown(fd_, SHUT_RD);
}

void SocketInterrupt::Detach() {
  std::lock_guard lock(mu_);
  fd_ = -1;
}

Result<int> ConnectTcp(const std::string& host, uint16_t port, std::chrono::milliseconds timeout,
                       SocketInterrupt* interrupt) {
  const std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  addrinfo* found = nullptr;
  if (const int code = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
      code != 0) {
    return Fail(ErrorCode::kUnavailable,
                "cannot find the address of " + host + ": " + gai_strerror(code));
  }
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
  const auto deadline = Clock::now() + timeout;
  int error = ENOENT;
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int fd = socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                          address->ai_protocol);
    if (fd < 0) {
      error = errno;
      continue;
    }
    if (interrupt != nullptr) interrupt->Attach(fd);
    error = AwaitConnect(fd, *address, deadline, interrupt);
    if (error == 0) return fd;
    if (interrupt != nullptr) interrupt->Detach();
    close(fd);
    if (error == ECANCELED || error == ETIMEDOUT) break;
  }
  const std::string reason = error == ECANCELED ? "interrupted" : std::strerror(error);
  return Fail(ErrorCode::kUnavailable, "cannot connect to " + where + ": " + reason);
}

}  // namespace redress::email::transport
