// One `redress serve` process on a given database URL, for the multi-node tests: several
// of these on one PostgreSQL database are a small cluster behind a load balancer. Output
// goes to files in `dir`; the process dies with the test process (PR_SET_PDEATHSIG), and
// the destructor stops it, so no node outlives a test.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace redress::testing {

class NodeProcess {
 public:
  /// `extra_args` go after the serve options (e.g. --test-clock, --escalation-policy).
  NodeProcess(std::string db_url, std::filesystem::path dir, std::string name,
              std::vector<std::string> extra_args = {});
  ~NodeProcess();
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  /// Starts `redress serve` on 127.0.0.1:0 and waits (10 s at most) for its port file.
  ::testing::AssertionResult Start();
  /// SIGTERM and wait; fails unless it exited with status 0.
  ::testing::AssertionResult Stop();
  /// SIGKILL, as a crash would.
  ::testing::AssertionResult Kill9();

  uint16_t port() const { return port_; }
  const std::string& name() const { return name_; }
  std::string LogTail() const;

 private:
  std::string db_url_;
  std::filesystem::path dir_;
  std::string name_;
  std::vector<std::string> extra_args_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace redress::testing
