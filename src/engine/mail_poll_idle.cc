// MailPoller's IMAP IDLE watchers (see mail_poll_job.h): they only make polls due sooner.
#include <pthread.h>

#include <algorithm>
#include <csignal>

#include "app/log.h"
#include "channels/email/transport/imap_idle.h"
#include "engine/mail_poll_job.h"

namespace redress::engine {
namespace {

namespace transport = email::transport;

constexpr std::chrono::seconds kFirstRetryPause{5};
constexpr std::chrono::seconds kLongestRetryPause{300};
// A connection that lasted this long was a working one: the next failure starts the pauses
// from the beginning again.
constexpr std::chrono::minutes kHealthyConnection{1};

}  // namespace

void MailPoller::Watch(const std::string& name, const transport::ImapMailboxConfig& config) {
  // A server that hung up must not kill the process through libetpan's writes: blocked in
  // this thread, SIGPIPE turns into a failed write (imap_idle.h).
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  // Stop() shuts down whatever socket the watcher is blocked on (a server that accepts and
  // then says nothing holds a connect for up to twice connect_timeout): registered while the
  // watcher runs.
  transport::SocketInterrupt interrupt;
  struct Registration {
    MailPoller& poller;
    transport::SocketInterrupt& interrupt;
    ~Registration() {
      std::lock_guard lock(poller.mu_);
      poller.interrupts_.erase(&interrupt);
    }
  };
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    interrupts_.insert(&interrupt);
  }
  const Registration registration{*this, interrupt};
  auto pause = kFirstRetryPause;
  const auto stop = [this] { return Stopping(); };
  while (!Stopping()) {
    auto idle = transport::ImapIdle::Connect(config, &interrupt);
    if (!idle && Stopping()) return;  // interrupted by Stop(): nothing to report
    if (!idle) {
      app::Log(app::LogLevel::kWarn, "IMAP IDLE connection failed; polling until it works",
               {{"mailbox", name},
                {"error", idle.error().message},
                {"retry_in_seconds", pause.count()}});
      if (!PauseUnlessStopping(pause)) return;
      pause = std::min(pause * 2, kLongestRetryPause);
      continue;
    }
    if (!idle->supports_idle()) {
      app::Log(app::LogLevel::kWarn, "IMAP server has no IDLE; the mailbox is only polled",
               {{"mailbox", name}, {"poll_seconds", config.poll_interval.count()}});
      return;
    }
    PollSoon(name);  // whatever arrived while nobody was watching
    app::Log(app::LogLevel::kInfo, "watching mailbox with IMAP IDLE", {{"mailbox", name}});
    const auto connected_at = std::chrono::steady_clock::now();
    Result<transport::IdleEvent> event = transport::IdleEvent::kTimeout;
    while ((event = idle->Wait(transport::kMaxIdleRound, stop)) &&
           *event != transport::IdleEvent::kStopped) {
      if (*event == transport::IdleEvent::kChanged) PollSoon(name);
    }
    if (event || Stopping()) return;  // stopped
    if (std::chrono::steady_clock::now() - connected_at >= kHealthyConnection) {
      pause = kFirstRetryPause;
    }
    app::Log(
        app::LogLevel::kWarn, "IMAP IDLE connection lost; polling until it is back",
        {{"mailbox", name}, {"error", event.error().message}, {"retry_in_seconds", pause.count()}});
    if (!PauseUnlessStopping(pause)) return;
    pause = std::min(pause * 2, kLongestRetryPause);
  }
}

void MailPoller::PollSoon(const std::string& name) {
  auto expedited = store_.Write([&](store::WriteTx& tx) -> Result<void> {
    auto done = tx.ExpediteJob(kMailPollJobKind, name, clock_.Now());
    if (!done) return Fail(done.error());
    return {};
  });
  if (!expedited) {
    // The nudge below still makes this node look; only another node's lease could delay it.
    app::Log(app::LogLevel::kError, "making a mailbox poll due failed",
             {{"mailbox", name}, {"error", expedited.error().message}});
  }
  {
    std::lock_guard lock(mu_);
    changed_.insert(name);
    nudged_ = true;
  }
  wake_.notify_all();
}

void MailPoller::InterruptWatchers() {
  std::lock_guard lock(mu_);
  for (transport::SocketInterrupt* interrupt : interrupts_) interrupt->Interrupt();
}

bool MailPoller::PauseUnlessStopping(std::chrono::seconds pause) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, pause, [this] { return stopping_; });
}

}  // namespace redress::engine
