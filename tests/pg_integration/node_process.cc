#include "pg_integration/node_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

NodeProcess::NodeProcess(std::string db_url, fs::path dir, std::string name,
                         std::vector<std::string> extra_args)
    : db_url_(std::move(db_url)),
      dir_(std::move(dir)),
      name_(std::move(name)),
      extra_args_(std::move(extra_args)) {}

NodeProcess::~NodeProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string NodeProcess::LogTail() const {
  std::string log = ReadAll(dir_ / (name_ + ".log"));
  return log.size() > 3000 ? log.substr(log.size() - 3000) : log;
}

::testing::AssertionResult NodeProcess::Start() {
  const fs::path port_file = dir_ / (name_ + ".port");
  std::error_code ec;
  fs::remove(port_file, ec);
  const std::string binary = RedressBinary();
  const std::string log = (dir_ / (name_ + ".log")).string();
  std::vector<std::string> args{binary,        "serve",
                                "--db",        db_url_,
                                "--listen",    "127.0.0.1:0",
                                "--port-file", port_file.string(),
                                "--threads",   "2"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) return ::testing::AssertionFailure() << "fork failed";
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int in = ::open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) {
      ::_exit(127);
    }
    ::closefrom(3);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const auto until = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < until) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ::testing::AssertionFailure() << name_ << " exited before serving; log:\n"
                                           << LogTail();
    }
    const std::string text = ReadAll(port_file);
    if (!text.empty() && text.back() == '\n') {
      port_ = static_cast<uint16_t>(std::stoi(text));
      return ::testing::AssertionSuccess();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ::testing::AssertionFailure() << name_ << " wrote no port within 10 s; log:\n"
                                       << LogTail();
}

::testing::AssertionResult NodeProcess::Stop() {
  if (pid_ <= 0) return ::testing::AssertionFailure() << name_ << " is not running";
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << name_ << " did not exit cleanly (status " << status << "); log:\n"
         << LogTail();
}

::testing::AssertionResult NodeProcess::Kill9() {
  if (pid_ <= 0) return ::testing::AssertionFailure() << name_ << " is not running";
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return ::testing::AssertionSuccess();
}

}  // namespace redress::testing
