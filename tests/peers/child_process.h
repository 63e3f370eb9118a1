// A server process owned by a test: started with its output in a file or a pipe, stopped
// (SIGTERM, then SIGKILL after a grace period) when the owner is destroyed. The child also
// gets SIGTERM if the test process dies first (PR_SET_PDEATHSIG), so a crashed test leaves
// no mail server behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace redress::test_peers {

class ChildProcess {
 public:
  struct Options {
    std::vector<std::string> argv;  // argv[0] is the executable's full path
    std::string output_file;        // stdout and stderr go here (appended)
    bool pipe_stdout = false;       // stdout to ReadLine() instead of output_file
    bool pipe_stdin = false;        // the child sees EOF on stdin when we stop or die
  };

  static Result<std::unique_ptr<ChildProcess>> Start(const Options& options);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// The next line of the child's piped stdout (without "\n"); kUnavailable on timeout or
  /// EOF (with what was read so far).
  Result<std::string> ReadLine(std::chrono::milliseconds timeout);
  /// Waits for a child that ends by itself (a tool, not a server); its exit status, or
  /// kUnavailable if it is still running after `timeout` (it is then stopped).
  Result<int> Wait(std::chrono::milliseconds timeout);
  /// Whether the child is still running (reaps it if it exited).
  bool Running();
  void Stop();
  pid_t pid() const { return pid_; }

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stdin_fd_ = -1;
  std::string buffered_;
};

/// A 127.0.0.1 TCP port that was free a moment ago (bind to port 0, read it, close).
Result<uint16_t> PickFreeLoopbackPort();

/// Connects to 127.0.0.1:port until the server sends a first line (a greeting) or
/// `timeout` passes; returns the greeting. For servers that cannot report readiness. Gives
/// up at once if `server` (when given) has exited.
Result<std::string> AwaitGreeting(uint16_t port, std::chrono::milliseconds timeout,
                                  ChildProcess* server = nullptr);

}  // namespace redress::test_peers
