// Test fixture for the IMAP transport against the test Dovecot (tests/peers): every test
// gets a folder of its own, named after the test, so tests sharing the server do not see
// each other's mail, and a plain-text configuration for it.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "channels/email/transport/imap_mailbox.h"
#include "peers/peer_fixtures.h"

namespace redress::email::transport {

class DovecotFolderTest : public test_peers::DovecotPeerTest {
 protected:
  void SetUp() override {
    DovecotPeerTest::SetUp();
    folder_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    auto created = peer().Command("", "CREATE " + folder_);
    ASSERT_TRUE(created) << created.error().message;
  }

  /// The test's folder on the loopback server, no TLS, the peer's user.
  ImapMailboxConfig PlainConfig() const {
    ImapMailboxConfig config;
    config.endpoint.host = "127.0.0.1";
    config.endpoint.port = peer().imap_port();
    config.endpoint.tls = TlsMode::kNone;
    config.endpoint.username = peer().user();
    config.endpoint.password = peer().password();
    config.folder = folder_;
    return config;
  }
  /// The same over STARTTLS (required) or implicit TLS, trusting the peer's certificate.
  ImapMailboxConfig TlsConfig(TlsMode mode) const {
    ImapMailboxConfig config = PlainConfig();
    config.endpoint.host = "localhost";
    config.endpoint.tls = mode;
    config.endpoint.ca_file = peer().ca_file();
    if (mode == TlsMode::kImplicit) config.endpoint.port = peer().imaps_port();
    return config;
  }

  std::string folder_;
};

}  // namespace redress::email::transport
