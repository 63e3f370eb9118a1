#include "store/postgres/change_listener.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

namespace redress::store::postgres {
namespace {

Result<std::unique_ptr<Connection>> Listen(const std::string& url) {
  auto conn = Connection::Open(url);
  if (!conn) return Fail(conn.error());
  if (auto listening = (*conn)->Exec(std::string("LISTEN ") + kCaseChangedChannel); !listening) {
    return Fail(listening.error());
  }
  return conn;
}

}  // namespace

Result<std::unique_ptr<ChangeListener>> ChangeListener::Start(const std::string& url,
                                                              std::shared_ptr<ChangeHub> hub) {
  auto conn = Listen(url);
  if (!conn) return Fail(conn.error());
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Fail(ErrorCode::kInternal, std::string("pipe: ") + std::strerror(errno));
  }
  return std::unique_ptr<ChangeListener>(
      new ChangeListener(url, std::move(hub), std::move(*conn), fds[0], fds[1]));
}

ChangeListener::ChangeListener(std::string url, std::shared_ptr<ChangeHub> hub,
                               std::unique_ptr<Connection> conn, int wake_read, int wake_write)
    : url_(std::move(url)),
      hub_(std::move(hub)),
      conn_(std::move(conn)),
      wake_read_(wake_read),
      wake_write_(wake_write),
      thread_([this] { Run(); }) {}

ChangeListener::~ChangeListener() {
  const char stop = 's';
  [[maybe_unused]] ssize_t written = ::write(wake_write_, &stop, 1);
  thread_.join();
  ::close(wake_read_);
  ::close(wake_write_);
}

bool ChangeListener::Wait(int timeout_ms) {
  pollfd fds[2] = {{wake_read_, POLLIN, 0}, {conn_ ? conn_->Socket() : -1, POLLIN, 0}};
  int ready = ::poll(fds, 2, timeout_ms);
  return !(ready > 0 && (fds[0].revents & POLLIN));
}

void ChangeListener::Run() {
  for (;;) {
    if (!conn_) {
      if (!Wait(1000)) return;  // back off before reconnecting, but stop at once if asked
      auto fresh = Listen(url_);
      if (!fresh) continue;
      conn_ = std::move(*fresh);
    }
    if (!Wait(-1)) return;
    auto notifications = conn_->TakeNotifications();
    if (!notifications || !conn_->Healthy()) {
      conn_.reset();
      continue;
    }
    for (const auto& [channel, payload] : *notifications) {
      int64_t case_id = 0;
      auto [end, ec] = std::from_chars(payload.data(), payload.data() + payload.size(), case_id);
      if (ec == std::errc() && end == payload.data() + payload.size()) hub_->Publish(case_id);
    }
  }
}

}  // namespace redress::store::postgres
