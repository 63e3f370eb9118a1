#include "peers/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace redress::test_peers {
namespace {

using Ms = std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const Options& options) {
  int out_pipe[2] = {-1, -1};
  int in_pipe[2] = {-1, -1};
  if (options.pipe_stdout && pipe2(out_pipe, O_CLOEXEC) != 0) {
    return Fail(ErrorCode::kInternal, Errno("pipe"));
  }
  if (options.pipe_stdin && pipe2(in_pipe, O_CLOEXEC) != 0) {
    return Fail(ErrorCode::kInternal, Errno("pipe"));
  }
  int log_fd = open(options.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Fail(ErrorCode::kInternal, Errno("open " + options.output_file));

  std::vector<char*> argv;
  for (const std::string& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) return Fail(ErrorCode::kInternal, Errno("fork"));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    dup2(options.pipe_stdout ? out_pipe[1] : log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    if (options.pipe_stdin) dup2(in_pipe[0], STDIN_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  auto child = std::unique_ptr<ChildProcess>(new ChildProcess());
  child->pid_ = pid;
  if (options.pipe_stdout) {
    close(out_pipe[1]);
    child->stdout_fd_ = out_pipe[0];
  }
  if (options.pipe_stdin) {
    close(in_pipe[0]);
    child->stdin_fd_ = in_pipe[1];
  }
  return child;
}

ChildProcess::~ChildProcess() { Stop(); }

Result<std::string> ChildProcess::ReadLine(std::chrono::milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    size_t eol = buffered_.find('\n');
    if (eol != std::string::npos) {
      std::string line = buffered_.substr(0, eol);
      buffered_.erase(0, eol + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<Ms>(deadline - SteadyClock::now());
    if (left.count() <= 0) {
      return Fail(ErrorCode::kUnavailable, "no line from the child in time; got: " + buffered_);
    }
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return Fail(ErrorCode::kInternal, Errno("poll"));
    if (ready <= 0) continue;
    char chunk[4096];
    ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n <= 0) return Fail(ErrorCode::kUnavailable, "the child closed stdout; got: " + buffered_);
    buffered_.append(chunk, static_cast<size_t>(n));
  }
}

Result<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  auto deadline = SteadyClock::now() + timeout;
  int status = 0;
  while (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == 0) {
    if (SteadyClock::now() > deadline) {
      Stop();
      return Fail(ErrorCode::kUnavailable, "the child did not finish in time");
    }
    std::this_thread::sleep_for(Ms(5));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool ChildProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void ChildProcess::Stop() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    auto deadline = SteadyClock::now() + std::chrono::seconds(5);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (SteadyClock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(Ms(5));
    }
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

Result<uint16_t> PickFreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Fail(ErrorCode::kInternal, Errno("socket"));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return Fail(ErrorCode::kInternal, Errno("bind"));
  }
  close(fd);
  return ntohs(addr.sin_port);
}

Result<std::string> AwaitGreeting(uint16_t port, std::chrono::milliseconds timeout,
                                  ChildProcess* server) {
  auto deadline = SteadyClock::now() + timeout;
  std::string last_error = "nothing tried";
  while (SteadyClock::now() < deadline) {
    if (server != nullptr && !server->Running()) {
      return Fail(ErrorCode::kUnavailable, "the server exited while starting");
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      pollfd pfd{fd, POLLIN, 0};
      std::string line;
      while (line.find('\n') == std::string::npos && poll(&pfd, 1, 2000) > 0) {
        char chunk[512];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0) break;
        line.append(chunk, static_cast<size_t>(n));
      }
      close(fd);
      if (line.find('\n') != std::string::npos) return line.substr(0, line.find('\n'));
      last_error = "connected but got no greeting";
    } else {
      last_error = Errno("connect");
      close(fd);
    }
    std::this_thread::sleep_for(Ms(10));  // the server is still starting
  }
  return Fail(ErrorCode::kUnavailable,
              "no greeting on port " + std::to_string(port) + " in time: " + last_error);
}

}  // namespace redress::test_peers
