// For tests only: the backends the contract suites run against, behind one small
// interface. A contract test is written once (TEST_P over BackendNames()) and must pass on
// every backend; backend-specific behaviour is tested beside each backend.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/test_database.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store/test_util.h"

namespace redress::store::testutil {

/// One empty database of one backend, alive as long as this object.
class TestBackend {
 public:
  virtual ~TestBackend() = default;
  /// Opens a store on this database (migrating it). Call again for a second instance on
  /// the same data (another node) or after dropping the first (a restart).
  virtual Result<std::unique_ptr<Store>> Open() = 0;
  /// Runs SQL outside the store, as an operator with a SQL shell would.
  virtual Result<void> ExecRaw(const std::string& sql) = 0;
  /// What `--db` would be for this database.
  virtual std::string url() const = 0;
};

class SqliteBackend final : public TestBackend {
 public:
  Result<std::unique_ptr<Store>> Open() override {
    auto store = sqlite::SqliteStore::Open(path_);
    if (!store) return Fail(store.error());
    return std::unique_ptr<Store>(std::move(*store));
  }
  Result<void> ExecRaw(const std::string& sql) override {
    auto db = sqlite::Database::Open(path_, sqlite::Database::Mode::kReadWrite, 5000);
    if (!db) return Fail(db.error());
    return (*db)->Exec(sql);
  }
  std::string url() const override { return path_; }

 private:
  TempDir dir_;
  std::string path_ = dir_.File("redress.db");
};

class PostgresBackend final : public TestBackend {
 public:
  Result<std::unique_ptr<Store>> Open() override {
    if (!db_.ok()) return Fail(ErrorCode::kUnavailable, postgres::testing::kHowToRun);
    postgres::PostgresOptions options;
    options.read_connections = 4;
    options.write_connections = 3;
    auto store = postgres::PostgresStore::Open(db_.url(), options);
    if (!store) return Fail(store.error());
    return std::unique_ptr<Store>(std::move(*store));
  }
  Result<void> ExecRaw(const std::string& sql) override {
    auto conn = postgres::Connection::Open(db_.url());
    if (!conn) return Fail(conn.error());
    return (*conn)->Exec(sql);
  }
  std::string url() const override { return db_.url(); }

 private:
  postgres::testing::TestDatabase db_;
};

inline std::unique_ptr<TestBackend> MakeBackend(const std::string& name) {
  if (name == "postgres") return std::make_unique<PostgresBackend>();
  return std::make_unique<SqliteBackend>();
}

inline std::vector<std::string> BackendNames() { return {"sqlite", "postgres"}; }

/// Test names end in the backend: StoreCasesTest.EventsReadBackIdentical/postgres.
struct BackendName {
  std::string operator()(const ::testing::TestParamInfo<std::string>& info) const {
    return info.param;
  }
};

/// The fixture most contract suites start from: a fresh store of the parameter's backend
/// holding one customer, Asha (customer_), with asha@example.com.
class StoreWithCustomerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto opened = backend_->Open();
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    customer_ = AddCustomer(*store_, "Asha", "asha@example.com");
  }

  std::unique_ptr<TestBackend> backend_ = MakeBackend(GetParam());
  std::unique_ptr<Store> store_;
  int64_t customer_ = 0;
};

}  // namespace redress::store::testutil
