// GoogleTest fixtures that start a real mail server once per test suite (in
// SetUpTestSuite) and stop it afterwards. ctest runs every test in its own process, so in
// practice each test gets a fresh server: no test sees another's mail. A server that fails
// to start fails every test of the suite with the reason (no silent skips).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "peers/dovecot_peer.h"
#include "peers/smtp_peer.h"

namespace redress::test_peers {

class SmtpPeerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = SmtpPeer::Start();
    if (started) {
      peer_ = std::move(*started);
    } else {
      start_error_ = started.error().message;
    }
  }
  static void TearDownTestSuite() { peer_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(peer_ != nullptr) << start_error_;
    peer_->Forget();
  }

  static SmtpPeer& peer() { return *peer_; }

 private:
  static inline std::unique_ptr<SmtpPeer> peer_;
  static inline std::string start_error_;
};

// A suite that needs the server started otherwise hides SetUpTestSuite with its own that
// calls StartPeer with its options.
class DovecotPeerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartPeer({}); }
  static void StartPeer(DovecotPeer::Options options) {
    auto started = DovecotPeer::Start(options);
    if (started) {
      peer_ = std::move(*started);
    } else {
      start_error_ = started.error().message;
    }
  }
  static void TearDownTestSuite() { peer_.reset(); }
  void SetUp() override { ASSERT_TRUE(peer_ != nullptr) << start_error_; }

  static DovecotPeer& peer() { return *peer_; }

 private:
  static inline std::unique_ptr<DovecotPeer> peer_;
  static inline std::string start_error_;
};

}  // namespace redress::test_peers
