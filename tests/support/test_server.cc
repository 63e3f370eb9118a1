#include "support/test_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string_view>
#include <thread>

extern char** environ;

namespace redress::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// A pipe end closes itself, so no early return leaks a descriptor into later children.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(other.Release()) {}
  Fd& operator=(Fd&& other) noexcept {
    Reset(other.Release());
    return *this;
  }
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

bool MakePipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end.Reset(fds[0]);
  write_end.Reset(fds[1]);
  return true;
}

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Writing to a child that has already exited must fail with EPIPE, not kill the test.
void IgnoreSigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

// The test's environment minus REDRESS_*: configuration comes only from the test's flags.
std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("REDRESS_", 0) == 0) continue;
    env.emplace_back(entry);
  }
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct ChildFds {
  int in = -1;
  int out = -1;
  int err = -1;
};

// fork + exec with the given standard descriptors. Between fork and exec the child only
// makes async-signal-safe calls, since the test process may have threads. An exec failure
// comes back through a close-on-exec pipe so it is reported as such, not as exit 127.
pid_t Spawn(std::vector<std::string> argv, const ChildFds& fds, bool die_with_parent,
            std::string* error) {
  std::vector<std::string> env = ChildEnvironment();
  std::vector<char*> c_argv = CStrings(argv);
  std::vector<char*> c_env = CStrings(env);
  Fd status_read, status_write;
  if (!MakePipe(status_read, status_write)) {
    *error = Errno("pipe");
    return -1;
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = Errno("fork");
    return -1;
  }
  if (pid == 0) {
    if (die_with_parent) {
      // A crashed or timed-out test run must not leave servers behind.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(126);
    }
    ::signal(SIGPIPE, SIG_DFL);
    if (::dup2(fds.in, 0) < 0 || ::dup2(fds.out, 1) < 0 || ::dup2(fds.err, 2) < 0) {
      int e = errno;
      [[maybe_unused]] auto n = ::write(status_write.get(), &e, sizeof e);
      ::_exit(127);
    }
    // Keep only stdio and the exec-status pipe (close-on-exec) open in the child.
    int keep = status_write.get();
    for (int fd = 3; fd < keep; ++fd) ::close(fd);
    ::closefrom(keep + 1);
    ::execvpe(c_argv[0], c_argv.data(), c_env.data());
    int e = errno;
    [[maybe_unused]] auto n = ::write(keep, &e, sizeof e);
    ::_exit(127);
  }
  status_write.Reset();
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(status_read.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof child_errno) {
    ::waitpid(pid, nullptr, 0);
    *error = "cannot run " + argv[0] + ": " + std::strerror(child_errno);
    return -1;
  }
  return pid;
}

std::string Trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

std::optional<int64_t> ParseId(const std::string& text) {
  std::string t = Trim(text);
  if (t.empty() || t.size() > 18) return std::nullopt;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(t);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

}  // namespace

std::string ProcessResult::Describe() const {
  std::string text;
  if (!error.empty()) text += "error: " + error + "; ";
  if (signal != 0) {
    text += "killed by signal " + std::to_string(signal);
  } else {
    text += "exit " + std::to_string(exit_code);
  }
  text += "; stdout: [" + out + "]; stderr: [" + err + "]";
  return text;
}

std::string RedressBinary() {
  const char* override_path = std::getenv("REDRESS_IT_BINARY");
  return override_path != nullptr && *override_path != '\0' ? override_path : REDRESS_BINARY;
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_data,
                         milliseconds timeout) {
  IgnoreSigpipe();
  ProcessResult result;
  Fd in_read, in_write, out_read, out_write, err_read, err_write;
  if (!MakePipe(in_read, in_write) || !MakePipe(out_read, out_write) ||
      !MakePipe(err_read, err_write)) {
    result.error = Errno("pipe");
    return result;
  }
  pid_t pid = Spawn(argv, ChildFds{in_read.get(), out_write.get(), err_write.get()},
                    /*die_with_parent=*/true, &result.error);
  if (pid < 0) return result;
  in_read.Reset();
  out_write.Reset();
  err_write.Reset();
  ::fcntl(in_write.get(), F_SETFL, O_NONBLOCK);
  if (stdin_data.empty()) in_write.Reset();

  size_t written = 0;
  auto deadline = Clock::now() + timeout;
  bool timed_out = false;
  while (out_read.get() >= 0 || err_read.get() >= 0) {
    std::vector<pollfd> fds;
    if (in_write.get() >= 0) fds.push_back({in_write.get(), POLLOUT, 0});
    if (out_read.get() >= 0) fds.push_back({out_read.get(), POLLIN, 0});
    if (err_read.get() >= 0) fds.push_back({err_read.get(), POLLIN, 0});
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (ready < 0 && errno != EINTR) {
      result.error = Errno("poll");
      break;
    }
    for (const pollfd& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in_write.get()) {
        ssize_t n = ::write(p.fd, stdin_data.data() + written, stdin_data.size() - written);
        if (n > 0) written += static_cast<size_t>(n);
        // EPIPE: the child stopped reading; what it wrote so far still counts.
        if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == stdin_data.size()) {
          in_write.Reset();
        }
        continue;
      }
      char buf[8192];
      ssize_t n = ::read(p.fd, buf, sizeof buf);
      if (n > 0) {
        (p.fd == out_read.get() ? result.out : result.err).append(buf, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        (p.fd == out_read.get() ? out_read : err_read).Reset();
      }
    }
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
    result.error = "timed out after " + std::to_string(timeout.count()) + " ms";
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

ProcessResult RunCli(const std::vector<std::string>& args, const std::string& stdin_data) {
  std::vector<std::string> argv{RedressBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, stdin_data);
}

TempDir::TempDir() {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / "redress-it-XXXXXX").string();
  if (::mkdtemp(templ.data()) != nullptr) path_ = templ;
}

TempDir::~TempDir() {
  if (path_.empty() || std::getenv("REDRESS_KEEP_TEST_DIRS") != nullptr) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

TestServer::~TestServer() {
  if (Running()) {
    auto stopped = Stop();
    if (!stopped) ADD_FAILURE() << "stopping the test server: " << stopped.message();
  }
}

::testing::AssertionResult TestServer::Start() {
  if (dir().empty()) return ::testing::AssertionFailure() << Errno("mkdtemp");
  agent1_ = {0, "agent1@redress.test", "Priya (L1)", "agent", 1, "correct horse battery", ""};
  agent2_ = {0, "agent2@redress.test", "Dev (L2)", "agent", 2, "", ""};
  supervisor_ = {0, "supervisor@redress.test", "Sam Supervisor", "supervisor", 2, "", ""};
  admin_ = {0, "admin@redress.test", "Ada Admin", "admin", 3, "", ""};
  const char* fresh = std::getenv("REDRESS_IT_FRESH_DB");
  auto prepared =
      fresh != nullptr && std::string(fresh) != "0" ? Prepare(db_path()) : PrepareFromTemplate();
  if (!prepared) return prepared;
  return Serve();
}

::testing::AssertionResult TestServer::Prepare(const std::string& db) {
  ProcessResult migrate = RunCli({"migrate", "--db", db});
  if (!migrate.Ok()) {
    return ::testing::AssertionFailure() << "redress migrate: " << migrate.Describe();
  }
  for (StaffAccount* account : Accounts()) {
    auto added = AddStaff(db, *account);
    if (!added) return added;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult TestServer::PrepareFromTemplate() {
  // The key covers everything the template depends on: the binary and the account specs.
  struct stat st {};
  if (::stat(RedressBinary().c_str(), &st) != 0) {
    return ::testing::AssertionFailure() << Errno("stat " + RedressBinary());
  }
  std::string key = "v1|" + RedressBinary() + "|" + std::to_string(st.st_size) + "|" +
                    std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  for (const StaffAccount* a : Accounts()) {
    key += "|" + a->email + "," + a->name + "," + a->role + "," + std::to_string(a->level) + "," +
           a->password;
  }
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  char name[64];
  std::snprintf(name, sizeof name, "redress-it-template-%016zx", std::hash<std::string>{}(key));
  fs::path templ = base / name;

  // Serialise with other test processes: one builds, the others wait and copy.
  std::string lock_path = templ.string() + ".lock";
  Fd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (lock.get() < 0) return ::testing::AssertionFailure() << Errno("open " + lock_path);
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return ::testing::AssertionFailure() << Errno("flock " + lock_path);
  }
  fs::path accounts_file = templ / "accounts";
  if (!fs::exists(accounts_file)) {
    fs::path building = templ.string() + ".building";
    fs::remove_all(building, ec);
    fs::remove_all(templ, ec);
    if (!fs::create_directories(building, ec)) {
      return ::testing::AssertionFailure() << "cannot create " << building << ": " << ec.message();
    }
    auto prepared = Prepare((building / "redress.db").string());
    if (!prepared) {
      fs::remove_all(building, ec);
      return prepared;
    }
    std::ofstream out(building / "accounts");
    for (const StaffAccount* a : Accounts()) {
      out << a->email << '\t' << a->id << '\t' << a->token << '\n';
    }
    out.close();
    if (!out) return ::testing::AssertionFailure() << "cannot write " << building / "accounts";
    fs::rename(building, templ, ec);
    if (ec) {
      return ::testing::AssertionFailure() << "cannot rename " << building << ": " << ec.message();
    }
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(templ, ec)) {
    std::string file = entry.path().filename().string();
    if (file.rfind("redress.db", 0) != 0) continue;
    fs::copy_file(entry.path(), dir() / file, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      return ::testing::AssertionFailure()
             << "cannot copy " << entry.path() << ": " << ec.message();
    }
  }
  std::istringstream lines(ReadFile(accounts_file));
  std::string email, id, token;
  int found = 0;
  while (std::getline(lines, email, '\t') && std::getline(lines, id, '\t') &&
         std::getline(lines, token)) {
    for (StaffAccount* a : Accounts()) {
      if (a->email != email) continue;
      a->id = ParseId(id).value_or(0);
      a->token = token;
      ++found;
    }
  }
  if (found != static_cast<int>(Accounts().size()) || !fs::exists(db_path())) {
    return ::testing::AssertionFailure()
           << "the template " << templ << " is incomplete; delete it and rerun";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult TestServer::AddStaff(StaffAccount& account) const {
  return AddStaff(db_path(), account);
}

::testing::AssertionResult TestServer::AddStaff(const std::string& db, StaffAccount& account) {
  std::vector<std::string> args{"user", "add", "--db", db, "--email", account.email};
  args.insert(args.end(), {"--role", account.role, "--level", std::to_string(account.level)});
  args.insert(args.end(), {"--name", account.name});
  if (!account.password.empty()) args.push_back("--password-stdin");
  ProcessResult added = RunCli(args, account.password.empty() ? "" : account.password + "\n");
  if (!added.Ok()) {
    return ::testing::AssertionFailure()
           << "redress user add " << account.email << ": " << added.Describe();
  }
  std::optional<int64_t> id = ParseId(added.out);
  if (!id) {
    return ::testing::AssertionFailure()
           << "redress user add should print the new user id, printed: [" << added.out << "]";
  }
  account.id = *id;
  ProcessResult token = RunCli({"token", "create", "--db", db, "--email", account.email});
  account.token = Trim(token.out);
  if (!token.Ok() || account.token.rfind("rdt_", 0) != 0) {
    return ::testing::AssertionFailure()
           << "redress token create --email " << account.email << ": " << token.Describe();
  }
  return ::testing::AssertionSuccess();
}

std::string TestServer::CustomerToken(int64_t customer_id) const {
  ProcessResult token = Cli({"token", "create", "--customer", std::to_string(customer_id)});
  std::string value = Trim(token.out);
  if (!token.Ok() || value.rfind("rdt_", 0) != 0) {
    ADD_FAILURE() << "redress token create --customer " << customer_id << ": " << token.Describe();
    return {};
  }
  return value;
}

ProcessResult TestServer::Cli(std::vector<std::string> args, const std::string& stdin_data) const {
  args.push_back("--db");
  args.push_back(db_path());
  return RunCli(args, stdin_data);
}

::testing::AssertionResult TestServer::Serve() {
  if (Running()) return ::testing::AssertionFailure() << "the server is already running";
  fs::path port_file = dir() / "port";
  std::error_code ec;
  fs::remove(port_file, ec);
  Fd in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  Fd out(::open((dir() / "server.out").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  Fd err(::open((dir() / "server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (in.get() < 0 || out.get() < 0 || err.get() < 0) {
    return ::testing::AssertionFailure() << Errno("opening the server's log files");
  }
  std::string error;
  std::vector<std::string> argv{RedressBinary()};
  if (!config_file_.empty()) argv.insert(argv.end(), {"--config", config_file_});
  argv.insert(argv.end(), {"serve", "--db", db_path(), "--listen", "127.0.0.1:0", "--port-file",
                           port_file.string()});
  argv.insert(argv.end(), extra_serve_args_.begin(), extra_serve_args_.end());
  pid_ = Spawn(argv, ChildFds{in.get(), out.get(), err.get()}, /*die_with_parent=*/true, &error);
  if (pid_ < 0) return ::testing::AssertionFailure() << error;
  return WaitForPortFile(std::chrono::seconds(10));
}

::testing::AssertionResult TestServer::WaitForPortFile(milliseconds deadline) {
  fs::path port_file = dir() / "port";
  auto until = Clock::now() + deadline;
  while (Clock::now() < until) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ::testing::AssertionFailure()
             << "redress serve " << DescribeStatus(status) << " before writing its port file; "
             << "log:\n"
             << LogTail();
    }
    std::string text = Trim(ReadFile(port_file));
    std::optional<int64_t> port = ParseId(text);
    if (port && *port > 0 && *port < 65536) {
      port_ = static_cast<uint16_t>(*port);
      return ::testing::AssertionSuccess();
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return ::testing::AssertionFailure() << "redress serve did not write a port to " << port_file
                                       << " within " << deadline.count() << " ms; log:\n"
                                       << LogTail();
}

::testing::AssertionResult TestServer::Reap(milliseconds deadline, int* status) {
  auto until = Clock::now() + deadline;
  do {
    pid_t r = ::waitpid(pid_, status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return ::testing::AssertionSuccess();
    }
    if (r < 0 && errno != EINTR) {
      pid_ = -1;
      return ::testing::AssertionFailure() << Errno("waitpid");
    }
    std::this_thread::sleep_for(milliseconds(5));
  } while (Clock::now() < until);
  return ::testing::AssertionFailure() << "still running after " << deadline.count() << " ms";
}

::testing::AssertionResult TestServer::Stop(milliseconds grace) {
  if (!Running()) return ::testing::AssertionSuccess();
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!Reap(grace, &status)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return ::testing::AssertionFailure()
           << "redress serve ignored SIGTERM for " << grace.count() << " ms and was killed; log:\n"
           << LogTail();
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return ::testing::AssertionFailure()
           << "redress serve " << DescribeStatus(status) << " on SIGTERM; log:\n"
           << LogTail();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult TestServer::Kill9() {
  if (!Running()) return ::testing::AssertionFailure() << "the server is not running";
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
    return ::testing::AssertionFailure()
           << "redress serve had already " << DescribeStatus(status) << " before SIGKILL; log:\n"
           << LogTail();
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult TestServer::Restart() {
  if (Running()) {
    auto stopped = Stop();
    if (!stopped) return stopped;
  }
  return Serve();
}

HttpClient TestServer::Client(bool keep_alive) const {
  return HttpClient("127.0.0.1", port_, keep_alive);
}

std::string TestServer::FullLog() const { return ReadFile(dir() / "server.log"); }

std::string TestServer::LogTail(size_t max_bytes) const {
  std::string log = ReadFile(dir() / "server.log");
  if (log.size() > max_bytes) log = "..." + log.substr(log.size() - max_bytes);
  return log;
}

}  // namespace redress::testing
