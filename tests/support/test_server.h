// Runs the real `redress` binary for integration tests: a private temporary directory with
// its own SQLite file, the CLI to migrate it and to make accounts and tokens, and
// `redress serve` on an ephemeral loopback port. Everything a test could get wrong about
// processes (timeouts, zombies, leaked descriptors, a server that never comes up) is
// handled here and reported as a failed AssertionResult with the server's log attached,
// so a test reads as the API conversation it checks.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/http_client.h"

namespace redress::testing {

/// What a finished child process left behind.
struct ProcessResult {
  /// Exit status when it exited normally; -1 when it was killed by a signal or could not
  /// be started (then `error` says why).
  int exit_code = -1;
  int signal = 0;  // the terminating signal, 0 if it exited
  std::string out;
  std::string err;
  std::string error;  // set when the process could not be run or timed out

  bool Ok() const { return error.empty() && exit_code == 0; }
  /// One line for failure messages: exit status, then stdout and stderr.
  std::string Describe() const;
};

/// Runs `argv` (argv[0] is a path, or a name looked up in PATH) with `stdin_data` on its
/// standard input, collects stdout and stderr, and kills it after `timeout`. REDRESS_*
/// variables of the test's environment are not passed on, so a developer's shell cannot
/// change what a test sees.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// RunProcess with the `redress` binary under test as argv[0].
ProcessResult RunCli(const std::vector<std::string>& args, const std::string& stdin_data = {});

/// Path of the `redress` binary under test: the one built with the tests, or
/// $REDRESS_IT_BINARY when set (to run the suite against an installed or modified build).
std::string RedressBinary();

/// A fresh directory under the system temp dir, removed with its contents on destruction
/// (kept when REDRESS_KEEP_TEST_DIRS is set, for post-mortems).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Empty when the directory could not be created.
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A staff account made through the CLI for the tests.
struct StaffAccount {
  int64_t id = 0;
  std::string email;
  std::string name;
  std::string role;  // "agent", "supervisor", "admin"
  int level = 1;
  std::string password;  // empty when made without one
  std::string token;     // "rdt_..." bearer token
};

/// One server process over one database. Start() prepares the database (migrate, four staff
/// accounts with tokens) and starts `redress serve`; Restart() and Kill9() act on the same
/// database for durability tests. The destructor stops the server and removes the directory.
class TestServer {
 public:
  TestServer() = default;
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  /// Prepares a database with agent L1 (with a password), agent L2, a supervisor (level 2)
  /// and an admin (level 3), each with a token, and starts serving.
  ///
  /// The database is made with the CLI (`migrate`, `user add`, `token create`) once per
  /// `redress` binary and copied for every later server: ctest runs each test in its own
  /// process, and rebuilding it each time (nine CLI runs, an argon2 hash among them) would
  /// dominate the suite's run time. The template lives in the temp dir, keyed by the
  /// binary's path, size and mtime; REDRESS_IT_FRESH_DB=1 builds from scratch every time.
  ::testing::AssertionResult Start();

  /// Starts `redress serve` on the existing database and waits (up to 10 s) for the port
  /// file. The port changes on every start.
  ::testing::AssertionResult Serve();

  /// SIGTERM, then SIGKILL if the server has not exited within `grace`. Fails unless the
  /// server exited by itself with status 0.
  ::testing::AssertionResult Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  /// SIGKILL without warning, as a crash or power cut would; waits for the process to go.
  ::testing::AssertionResult Kill9();

  /// Stop() (or reaping a dead process) followed by Serve().
  ::testing::AssertionResult Restart();

  /// Arguments added to every later `redress serve` (e.g. {"--test-clock"}).
  void set_extra_serve_args(std::vector<std::string> args) { extra_serve_args_ = std::move(args); }
  /// A TOML configuration file for every later `redress serve` (`redress --config <path>`).
  void set_config_file(std::string path) { config_file_ = std::move(path); }

  bool Running() const { return pid_ > 0; }
  uint16_t port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string db_path() const { return (dir_.path() / "redress.db").string(); }

  const StaffAccount& agent1() const { return agent1_; }
  const StaffAccount& agent2() const { return agent2_; }
  const StaffAccount& supervisor() const { return supervisor_; }
  const StaffAccount& admin() const { return admin_; }

  /// A new client for this server's current port.
  HttpClient Client(bool keep_alive = false) const;

  /// `redress <args...> --db <this db>`.
  ProcessResult Cli(std::vector<std::string> args, const std::string& stdin_data = {}) const;

  /// Creates a staff user through the CLI and a token for it. Fails with the CLI's output.
  ::testing::AssertionResult AddStaff(StaffAccount& account) const;
  static ::testing::AssertionResult AddStaff(const std::string& db, StaffAccount& account);

  /// `redress token create --customer <id>`; empty on failure (reported with ADD_FAILURE).
  std::string CustomerToken(int64_t customer_id) const;

  /// The last `max_bytes` of the server's stderr across every start, for failure messages.
  std::string LogTail(size_t max_bytes = 4000) const;
  /// Everything the server wrote to stderr across every start (its JSON log).
  std::string FullLog() const;

 private:
  std::vector<StaffAccount*> Accounts() { return {&agent1_, &agent2_, &supervisor_, &admin_}; }
  /// migrate + the four accounts on `db`.
  ::testing::AssertionResult Prepare(const std::string& db);
  /// Copies the template database (building it first if needed) and reads the accounts'
  /// ids and tokens from beside it.
  ::testing::AssertionResult PrepareFromTemplate();
  ::testing::AssertionResult WaitForPortFile(std::chrono::milliseconds deadline);
  ::testing::AssertionResult Reap(std::chrono::milliseconds deadline, int* status);

  TempDir dir_;
  std::vector<std::string> extra_serve_args_;
  std::string config_file_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  StaffAccount agent1_;
  StaffAccount agent2_;
  StaffAccount supervisor_;
  StaffAccount admin_;
};

}  // namespace redress::testing
