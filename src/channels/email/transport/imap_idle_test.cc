// The IMAP IDLE watcher against a real Dovecot on loopback (tests/peers/dovecot_peer.h):
// mail appended by another connection wakes it within seconds, silence times out, and the
// connection is secured and refused like the mailbox's own; a server restart ends a wait
// with an error and a new connection watches again; a server without IDLE is told; an
// interrupt ends a connect stuck on a silent server (plain, TLS, or no TCP answer) at once.
#include "channels/email/transport/imap_idle.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <future>
#include <thread>

#include "channels/email/transport/dovecot_folder_fixture.h"

namespace redress::email::transport {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kMessage =
    "From: c1@example.test\r\nTo: support@redress.test\r\nSubject: Where is my parcel?\r\n"
    "Message-ID: <idle-1@example.test>\r\n\r\nIt is late.\r\n";

class ImapIdleTest : public DovecotFolderTest {
 protected:
  // A watcher on the test's folder (the test fails if it cannot connect).
  ImapIdle Watcher(const ImapMailboxConfig& config) const {
    auto idle = ImapIdle::Connect(config);
    EXPECT_TRUE(idle) << TlsModeName(config.endpoint.tls) << ": " << idle.error().message;
    return std::move(*idle);
  }

  // What one Wait of `timeout` reported.
  static IdleEvent WaitFor(ImapIdle& idle, milliseconds timeout,
                           const std::function<bool()>& stop = Never) {
    auto event = idle.Wait(timeout, stop);
    EXPECT_TRUE(event) << event.error().message;
    return event ? *event : IdleEvent::kStopped;
  }

  static bool Never() { return false; }
};

// A loopback port that accepts TCP connections (the kernel completes them into the
// backlog) but never reads, writes or accept()s: a server that hangs after the handshake.
// With backlog 0 and one connection queued (Fill()), further connects get no answer at all.
class SilentListener {
 public:
  explicit SilentListener(int backlog = 8) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(listen(fd_, backlog), 0);
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() {
    if (filler_ >= 0) close(filler_);
    close(fd_);
  }
  uint16_t port() const { return port_; }
  // Takes the only place in a backlog-0 queue.
  void Fill() {
    filler_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port_);
    ASSERT_EQ(connect(filler_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  }

 private:
  int fd_ = -1;
  int filler_ = -1;
  uint16_t port_ = 0;
};

// How long ImapIdle::Connect(config) took when `interrupt` fired 300 ms after it began, and
// its result (which must be an error).
struct InterruptedConnect {
  std::chrono::steady_clock::duration took;
  Error error;
};
InterruptedConnect ConnectInterruptedAfter300ms(const ImapMailboxConfig& config) {
  SocketInterrupt interrupt;
  std::thread interrupter([&] {
    std::this_thread::sleep_for(milliseconds(300));
    interrupt.Interrupt();
  });
  const auto started = std::chrono::steady_clock::now();
  auto idle = ImapIdle::Connect(config, &interrupt);
  InterruptedConnect result{std::chrono::steady_clock::now() - started, {}};
  interrupter.join();
  EXPECT_FALSE(idle) << "connected to a server that never speaks";
  if (!idle) result.error = idle.error();
  return result;
}

// Blocks SIGPIPE on the calling thread: libetpan's write to a server that hung up must fail
// with EPIPE rather than kill the test (imap_idle.h; MailPoller does the same).
void BlockSigpipe() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
}

TEST_F(ImapIdleTest, AppendByAnotherConnectionWakesTheWatcherWithinSeconds) {
  ImapIdle idle = Watcher(PlainConfig());
  ASSERT_TRUE(idle.supports_idle());
  EXPECT_EQ(WaitFor(idle, milliseconds(1500)), IdleEvent::kTimeout);

  std::thread appender([&] {
    std::this_thread::sleep_for(milliseconds(300));  // let the IDLE begin first
    auto appended = peer().Append(folder_, kMessage);
    EXPECT_TRUE(appended) << appended.error().message;
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(WaitFor(idle, seconds(20)), IdleEvent::kChanged);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(5));
  appender.join();

  // The connection is usable again: nothing more happens, so the next wait times out.
  EXPECT_EQ(WaitFor(idle, milliseconds(1500)), IdleEvent::kTimeout);
}

TEST_F(ImapIdleTest, MailAppendedBetweenConnectAndWaitIsReported) {
  ImapIdle idle = Watcher(PlainConfig());
  ASSERT_TRUE(peer().Append(folder_, kMessage));
  EXPECT_EQ(WaitFor(idle, seconds(10)), IdleEvent::kChanged);
}

TEST_F(ImapIdleTest, StopEndsAWaitWithinAboutASecond) {
  ImapIdle idle = Watcher(PlainConfig());
  std::atomic<bool> stop = false;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(500));
    stop = true;
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(WaitFor(idle, seconds(60), [&] { return stop.load(); }), IdleEvent::kStopped);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(3));
  stopper.join();
}

TEST_F(ImapIdleTest, StartTlsAndImplicitTlsCheckTheCertificateBeforeLoggingIn) {
  const ImapMailboxConfig starttls = TlsConfig(TlsMode::kStartTlsRequired);
  const ImapMailboxConfig implicit = TlsConfig(TlsMode::kImplicit);
  ImapMailboxConfig by_address = implicit;  // the certificate names IP 127.0.0.1 too
  by_address.endpoint.host = "127.0.0.1";
  for (const ImapMailboxConfig& config : {starttls, implicit, by_address}) {
    ImapIdle idle = Watcher(config);
    EXPECT_TRUE(idle.supports_idle());
    EXPECT_EQ(WaitFor(idle, milliseconds(200)), IdleEvent::kTimeout);
  }
  for (ImapMailboxConfig config : {starttls, implicit}) {
    config.endpoint.ca_file = "/etc/ssl/certs/ca-certificates.crt";  // not our test CA
    auto refused = ImapIdle::Connect(config);
    ASSERT_FALSE(refused) << TlsModeName(config.endpoint.tls);
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().message;
    EXPECT_NE(refused.error().message.find("not trusted"), std::string::npos)
        << refused.error().message;
  }
  ImapMailboxConfig unchecked = implicit;
  unchecked.endpoint.ca_file = "/etc/ssl/certs/ca-certificates.crt";
  unchecked.endpoint.verify_peer = false;
  auto lab = ImapIdle::Connect(unchecked);
  EXPECT_TRUE(lab) << lab.error().message;
}

TEST_F(ImapIdleTest, WrongPasswordMissingFolderAndClosedPortAreTold) {
  ImapMailboxConfig wrong = PlainConfig();
  wrong.endpoint.password = "not the password";
  auto refused = ImapIdle::Connect(wrong);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("not the password"), std::string::npos);

  ImapMailboxConfig missing = PlainConfig();
  missing.folder = "NoSuchFolder";
  auto absent = ImapIdle::Connect(missing);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound) << absent.error().message;

  ImapMailboxConfig closed = PlainConfig();
  closed.endpoint.port = 1;
  auto unreachable = ImapIdle::Connect(closed);
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable) << unreachable.error().message;
}

TEST_F(ImapIdleTest, ServerRestartEndsTheWaitWithAnErrorAndANewConnectionWatchesAgain) {
  BlockSigpipe();  // here and in the waiting thread, which inherits the mask
  ImapIdle idle = Watcher(PlainConfig());
  auto waited = std::async(std::launch::async, [&] { return idle.Wait(seconds(20), Never); });
  std::this_thread::sleep_for(milliseconds(300));  // the IDLE has begun
  const auto restarted_at = std::chrono::steady_clock::now();
  auto restarted = peer().Restart();
  ASSERT_TRUE(restarted) << restarted.error().message;
  ASSERT_EQ(waited.wait_for(seconds(10)), std::future_status::ready)
      << "the wait did not notice that the server went away";
  auto event = waited.get();
  EXPECT_LT(std::chrono::steady_clock::now() - restarted_at, seconds(10));
  ASSERT_FALSE(event) << "a lost connection must be an error, not event "
                      << static_cast<int>(*event);
  EXPECT_EQ(event.error().code, ErrorCode::kUnavailable) << event.error().message;

  // The same server, back on the same port: a new watcher is woken by new mail as before.
  ImapIdle again = Watcher(PlainConfig());
  ASSERT_TRUE(again.supports_idle());
  std::thread appender([&] {
    std::this_thread::sleep_for(milliseconds(300));
    auto appended = peer().Append(folder_, kMessage);
    EXPECT_TRUE(appended) << appended.error().message;
  });
  EXPECT_EQ(WaitFor(again, seconds(20)), IdleEvent::kChanged);
  appender.join();
}

TEST_F(ImapIdleTest, StartTlsWhenOfferedThoughNotRequiredIsUsedAndChecked) {
  // tls = starttls-optional against a server that offers STARTTLS: the watcher upgrades,
  // which shows in the certificate check: a CA that does not sign the server's certificate
  // is refused, as with starttls required. Had it stayed in plain text, it would connect.
  ImapMailboxConfig optional = TlsConfig(TlsMode::kStartTlsOptional);
  ImapIdle idle = Watcher(optional);
  ASSERT_TRUE(idle.supports_idle());
  std::thread appender([&] {
    std::this_thread::sleep_for(milliseconds(300));
    auto appended = peer().Append(folder_, kMessage);
    EXPECT_TRUE(appended) << appended.error().message;
  });
  EXPECT_EQ(WaitFor(idle, seconds(20)), IdleEvent::kChanged);
  appender.join();

  optional.endpoint.ca_file = "/etc/ssl/certs/ca-certificates.crt";  // not our test CA
  auto refused = ImapIdle::Connect(optional);
  ASSERT_FALSE(refused) << "starttls-optional stayed in plain text";
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().message;
  EXPECT_NE(refused.error().message.find("not trusted"), std::string::npos)
      << refused.error().message;
}

TEST_F(ImapIdleTest, ImplicitTlsWatcherIsWokenByNewMail) {
  ImapIdle idle = Watcher(TlsConfig(TlsMode::kImplicit));
  ASSERT_TRUE(idle.supports_idle());
  EXPECT_EQ(WaitFor(idle, milliseconds(1500)), IdleEvent::kTimeout);
  for (int round = 0; round < 2; ++round) {  // and again once out of IDLE and back in
    std::thread appender([&] {
      std::this_thread::sleep_for(milliseconds(300));
      auto appended = peer().Append(folder_, kMessage);
      EXPECT_TRUE(appended) << appended.error().message;
    });
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(WaitFor(idle, seconds(20)), IdleEvent::kChanged) << "round " << round;
    EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(5)) << "round " << round;
    appender.join();
  }
}

TEST_F(ImapIdleTest, InterruptEndsAConnectStuckOnASilentServerAtOnce) {
  // The connect timeout is 15 s; the interrupt comes after 300 ms.
  SilentListener silent;
  ImapMailboxConfig plain = PlainConfig();  // waits for a greeting that never comes
  plain.endpoint.port = silent.port();
  ImapMailboxConfig implicit = TlsConfig(TlsMode::kImplicit);  // waits in the handshake
  implicit.endpoint.port = silent.port();
  SilentListener full(0);  // no TCP answer at all: the connect itself waits
  full.Fill();
  ImapMailboxConfig unanswered = PlainConfig();
  unanswered.endpoint.port = full.port();
  for (const ImapMailboxConfig& config : {plain, implicit, unanswered}) {
    const InterruptedConnect connect = ConnectInterruptedAfter300ms(config);
    EXPECT_LT(connect.took, seconds(2))
        << TlsModeName(config.endpoint.tls) << " port " << config.endpoint.port;
    EXPECT_EQ(connect.error.code, ErrorCode::kUnavailable) << connect.error.message;
    EXPECT_NE(connect.error.message.find("interrupted"), std::string::npos)
        << connect.error.message;
  }

  // Once interrupted, always: a later Connect fails without waiting.
  SocketInterrupt interrupt;
  interrupt.Interrupt();
  const auto started = std::chrono::steady_clock::now();
  auto refused = ImapIdle::Connect(plain, &interrupt);
  EXPECT_FALSE(refused);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(500));
}

TEST_F(ImapIdleTest, InterruptEndsAWaitAsStopped) {
  SocketInterrupt interrupt;
  auto idle = ImapIdle::Connect(PlainConfig(), &interrupt);
  ASSERT_TRUE(idle) << idle.error().message;
  std::thread interrupter([&] {
    std::this_thread::sleep_for(milliseconds(300));
    interrupt.Interrupt();
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(WaitFor(*idle, seconds(60)), IdleEvent::kStopped);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(2));
  interrupter.join();
}

// A Dovecot whose imap_capability leaves IDLE out (tests/peers/dovecot_peer.h).
class ImapServerWithoutIdleTest : public ImapIdleTest {
 protected:
  static void SetUpTestSuite() { StartPeer({.idle = false}); }
};

TEST_F(ImapServerWithoutIdleTest, ConnectSaysSoAndWaitRefuses) {
  ImapIdle idle = Watcher(PlainConfig());
  EXPECT_FALSE(idle.supports_idle());
  auto event = idle.Wait(seconds(5), Never);
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().code, ErrorCode::kInvalidArgument) << event.error().message;
  EXPECT_NE(event.error().message.find("does not support IDLE"), std::string::npos)
      << event.error().message;
  // The same server over TLS says the same (the capabilities after login count).
  EXPECT_FALSE(Watcher(TlsConfig(TlsMode::kImplicit)).supports_idle());
}

}  // namespace
}  // namespace redress::email::transport
