// For tests only: a fresh, empty PostgreSQL database per test, created on the cluster
// named by REDRESS_TEST_PG_URL and dropped afterwards, so tests can run in parallel
// (`ctest -j`) without seeing each other's rows. `make test` starts a throwaway cluster
// and sets the variable (scripts/with-test-postgres.sh). Without it the test FAILS with a
// message saying how to run it: a backend that silently goes untested is worse than a red
// test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "store/postgres/pg_conn.h"

namespace redress::store::postgres::testing {

inline constexpr const char* kHowToRun =
    "PostgreSQL tests need a cluster: run them with `make test` (which starts a throwaway "
    "one), or wrap ctest yourself: `scripts/with-test-postgres.sh ctest`, or set "
    "REDRESS_TEST_PG_URL=postgres://user:password@host:port/postgres to a cluster where that "
    "user may CREATE DATABASE";

/// `url` with its database name replaced by `name` (libpq URI form).
inline std::string WithDatabase(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + name;  // key=value form
  const size_t authority = scheme + 3;
  const size_t query = url.find('?', authority);
  const size_t path = url.find('/', authority);
  const std::string tail = query == std::string::npos ? "" : url.substr(query);
  const size_t end_of_host = std::min(path, query);
  return url.substr(0, end_of_host == std::string::npos ? url.size() : end_of_host) + "/" + name +
         tail;
}

class TestDatabase {
 public:
  TestDatabase() {
    const char* base = std::getenv("REDRESS_TEST_PG_URL");
    if (base == nullptr || *base == '\0') {
      ADD_FAILURE() << kHowToRun;
      return;
    }
    base_ = base;
    static std::atomic<int> counter{0};
    std::random_device random;
    name_ = "redress_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(random() % 100000);
    auto admin = Connection::Open(base_);
    if (!admin) {
      ADD_FAILURE() << admin.error().message << "\n" << kHowToRun;
      return;
    }
    if (auto created = (*admin)->Exec("CREATE DATABASE " + name_); !created) {
      ADD_FAILURE() << created.error().message;
      return;
    }
    url_ = WithDatabase(base_, name_);
  }

  ~TestDatabase() {
    if (url_.empty()) return;
    auto admin = Connection::Open(base_);
    if (!admin) return;  // the cluster is going away with the test run anyway
    // FORCE: a store that a failed test leaked must not keep the database alive.
    (void)(*admin)->Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  /// Empty when the database could not be created (the failure is already reported).
  const std::string& url() const { return url_; }
  bool ok() const { return !url_.empty(); }

 private:
  std::string base_;
  std::string name_;
  std::string url_;
};

/// A fixture for tests of the libpq layer: a fresh database and one connection to it.
class ConnectedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.ok());
    auto conn = Connection::Open(db_.url());
    ASSERT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
  }

  TestDatabase db_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace redress::store::postgres::testing
