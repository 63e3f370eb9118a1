// The IMAP IDLE watcher against a real Dovecot on loopback (tests/peers/dovecot_peer.h):
// mail appended by another connection wakes it within seconds, silence times out, and the
// connection is secured and refused like the mailbox's own.
#include "channels/email/transport/imap_idle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "peers/peer_fixtures.h"

namespace redress::email::transport {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test_peers::DovecotPeerTest;

const std::string kMessage =
    "From: c1@example.test\r\nTo: support@redress.test\r\nSubject: Where is my parcel?\r\n"
    "Message-ID: <idle-1@example.test>\r\n\r\nIt is late.\r\n";

class ImapIdleTest : public DovecotPeerTest {
 protected:
  void SetUp() override {
    DovecotPeerTest::SetUp();
    folder_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    auto created = peer().Command("", "CREATE " + folder_);
    ASSERT_TRUE(created) << created.error().message;
  }

  ImapMailboxConfig Config() const {
    ImapMailboxConfig config;
    config.endpoint.host = "127.0.0.1";
    config.endpoint.port = peer().imap_port();
    config.endpoint.tls = TlsMode::kNone;
    config.endpoint.username = peer().user();
    config.endpoint.password = peer().password();
    config.folder = folder_;
    return config;
  }

  static bool Never() { return false; }

  std::string folder_;
};

TEST_F(ImapIdleTest, AppendByAnotherConnectionWakesTheWatcherWithinSeconds) {
  auto idle = ImapIdle::Connect(Config());
  ASSERT_TRUE(idle) << idle.error().message;
  ASSERT_TRUE(idle->supports_idle());

  auto quiet = idle->Wait(milliseconds(1500), Never);
  ASSERT_TRUE(quiet) << quiet.error().message;
  EXPECT_EQ(*quiet, IdleEvent::kTimeout);

  std::thread appender([&] {
    std::this_thread::sleep_for(milliseconds(300));  // let the IDLE begin first
    auto appended = peer().Append(folder_, kMessage);
    EXPECT_TRUE(appended) << appended.error().message;
  });
  const auto started = std::chrono::steady_clock::now();
  auto woken = idle->Wait(seconds(20), Never);
  const auto took = std::chrono::steady_clock::now() - started;
  appender.join();
  ASSERT_TRUE(woken) << woken.error().message;
  EXPECT_EQ(*woken, IdleEvent::kChanged);
  EXPECT_LT(took, seconds(5));

  // The connection is usable again: nothing more happens, so the next wait times out.
  auto after = idle->Wait(milliseconds(1500), Never);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(*after, IdleEvent::kTimeout);
}

TEST_F(ImapIdleTest, MailAppendedBetweenConnectAndWaitIsReported) {
  auto idle = ImapIdle::Connect(Config());
  ASSERT_TRUE(idle) << idle.error().message;
  ASSERT_TRUE(peer().Append(folder_, kMessage));
  auto woken = idle->Wait(seconds(10), Never);
  ASSERT_TRUE(woken) << woken.error().message;
  EXPECT_EQ(*woken, IdleEvent::kChanged);
}

TEST_F(ImapIdleTest, StopEndsAWaitWithinAboutASecond) {
  auto idle = ImapIdle::Connect(Config());
  ASSERT_TRUE(idle) << idle.error().message;
  std::atomic<bool> stop = false;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(500));
    stop = true;
  });
  const auto started = std::chrono::steady_clock::now();
  auto stopped = idle->Wait(seconds(60), [&] { return stop.load(); });
  const auto took = std::chrono::steady_clock::now() - started;
  stopper.join();
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(*stopped, IdleEvent::kStopped);
  EXPECT_LT(took, seconds(3));
}

TEST_F(ImapIdleTest, StartTlsAndImplicitTlsCheckTheCertificateBeforeLoggingIn) {
  ImapMailboxConfig starttls = Config();
  starttls.endpoint.host = "localhost";
  starttls.endpoint.tls = TlsMode::kStartTlsRequired;
  starttls.endpoint.ca_file = peer().ca_file();
  ImapMailboxConfig implicit = starttls;
  implicit.endpoint.tls = TlsMode::kImplicit;
  implicit.endpoint.port = peer().imaps_port();
  ImapMailboxConfig by_address = implicit;  // the certificate names IP 127.0.0.1 too
  by_address.endpoint.host = "127.0.0.1";
  for (const ImapMailboxConfig& config : {starttls, implicit, by_address}) {
    auto idle = ImapIdle::Connect(config);
    ASSERT_TRUE(idle) << TlsModeName(config.endpoint.tls) << ": " << idle.error().message;
    EXPECT_TRUE(idle->supports_idle());
    auto quiet = idle->Wait(milliseconds(200), Never);
    ASSERT_TRUE(quiet) << quiet.error().message;
    EXPECT_EQ(*quiet, IdleEvent::kTimeout);
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
  ImapMailboxConfig wrong = Config();
  wrong.endpoint.password = "not the password";
  auto refused = ImapIdle::Connect(wrong);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("not the password"), std::string::npos);

  ImapMailboxConfig missing = Config();
  missing.folder = "NoSuchFolder";
  auto absent = ImapIdle::Connect(missing);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::kNotFound) << absent.error().message;

  ImapMailboxConfig closed = Config();
  closed.endpoint.port = 1;
  auto unreachable = ImapIdle::Connect(closed);
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable) << unreachable.error().message;
}

}  // namespace
}  // namespace redress::email::transport
