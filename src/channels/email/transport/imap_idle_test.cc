// The IMAP IDLE watcher against a real Dovecot on loopback (tests/peers/dovecot_peer.h):
// mail appended by another connection wakes it within seconds, silence times out, and the
// connection is secured and refused like the mailbox's own.
#include "channels/email/transport/imap_idle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
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

}  // namespace
}  // namespace redress::email::transport
