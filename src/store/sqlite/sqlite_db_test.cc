#include "store/sqlite/sqlite_db.h"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("t.db"), Database::Mode::kReadWriteCreate, 1000);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto made = db_->Exec(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, b BLOB, u TEXT UNIQUE)");
    ASSERT_TRUE(made) << made.error().message;
  }

  testutil::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteDbTest, BindsAndReadsEveryType) {
  const std::vector<uint8_t> blob{0, 1, 2, 255, 0};
  {
    auto insert = db_->Prepare("INSERT INTO t (n, s, b, u) VALUES (?1, ?2, ?3, ?4)");
    ASSERT_TRUE(insert) << insert.error().message;
    (*insert)->BindInt64(1, INT64_MIN);
    (*insert)->BindText(2, std::string("a\0b", 3));
    (*insert)->BindBlob(3, blob);
    (*insert)->BindNull(4);
    ASSERT_TRUE((*insert)->Run());
  }
  EXPECT_EQ(db_->Changes(), 1);
  EXPECT_EQ(db_->LastInsertRowId(), 1);

  auto select = db_->Prepare("SELECT n, s, b, u FROM t WHERE id = ?1");
  ASSERT_TRUE(select);
  (*select)->BindInt64(1, 1);
  auto row = (*select)->Step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*select)->ColumnInt64(0), INT64_MIN);
  EXPECT_EQ((*select)->ColumnText(1), std::string("a\0b", 3));
  EXPECT_EQ((*select)->ColumnBlob(2), std::string("\0\1\2\xff\0", 5));
  EXPECT_TRUE((*select)->ColumnIsNull(3));
  EXPECT_FALSE((*select)->ColumnIsNull(0));
  EXPECT_EQ((*select)->ColumnOptionalInt64(3), std::nullopt);
  EXPECT_EQ((*select)->ColumnOptionalInt64(0), INT64_MIN);
  row = (*select)->Step();
  ASSERT_TRUE(row);
  EXPECT_FALSE(*row);
}

TEST_F(SqliteDbTest, PreparesEachTextOnceAndResetsOnRelease) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (n) VALUES (10), (20)"));
  const char* sql = "SELECT n FROM t ORDER BY n";
  Statement* first = nullptr;
  {
    auto s = db_->Prepare(sql);
    ASSERT_TRUE(s);
    first = &**s;
    ASSERT_TRUE(*(*s)->Step());
    EXPECT_EQ((*s)->ColumnInt64(0), 10);
    ASSERT_TRUE(*(*s)->Step());
    EXPECT_EQ((*s)->ColumnInt64(0), 20);
  }
  auto again = db_->Prepare(sql);
  ASSERT_TRUE(again);
  EXPECT_EQ(&**again, first);
  // Released mid-way above, so this use starts from the first row again.
  ASSERT_TRUE(*(*again)->Step());
  EXPECT_EQ((*again)->ColumnInt64(0), 10);
}

TEST_F(SqliteDbTest, ConstraintViolationIsConflictWithSqliteText) {
  ASSERT_TRUE(db_->Exec("INSERT INTO t (u) VALUES ('x')"));
  auto insert = db_->Prepare("INSERT INTO t (u) VALUES (?1)");
  ASSERT_TRUE(insert);
  (*insert)->BindText(1, "x");
  auto ran = (*insert)->Run();
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().code, ErrorCode::kConflict);
  EXPECT_NE(ran.error().message.find("UNIQUE constraint failed: t.u"), std::string::npos)
      << ran.error().message;
  // The failed statement is usable again.
  (*insert)->Reset();
  (*insert)->BindText(1, "y");
  EXPECT_TRUE((*insert)->Run());
}

TEST_F(SqliteDbTest, SyntaxErrorNamesTheProblem) {
  auto bad = db_->Prepare("SELEKT 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  EXPECT_NE(bad.error().message.find("syntax error"), std::string::npos) << bad.error().message;

  auto exec = db_->Exec("CREATE TABLE t (x)");
  ASSERT_FALSE(exec);
  EXPECT_NE(exec.error().message.find("already exists"), std::string::npos)
      << exec.error().message;
}

TEST_F(SqliteDbTest, BindErrorIsReportedByStep) {
  auto s = db_->Prepare("SELECT ?1");
  ASSERT_TRUE(s);
  (*s)->BindInt64(5, 1);  // there is no parameter 5
  auto row = (*s)->Step();
  ASSERT_FALSE(row);
  EXPECT_NE(row.error().message.find("parameter 5"), std::string::npos) << row.error().message;
  (*s)->Reset();
  (*s)->BindInt64(1, 1);
  EXPECT_TRUE((*s)->Step());
}

TEST_F(SqliteDbTest, BusyWriterIsUnavailable) {
  auto other = Database::Open(dir_.File("t.db"), Database::Mode::kReadWrite, 0);
  ASSERT_TRUE(other);
  ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE"));
  EXPECT_TRUE(db_->InTransaction());
  auto begun = (*other)->Exec("BEGIN IMMEDIATE");
  ASSERT_FALSE(begun);
  EXPECT_EQ(begun.error().code, ErrorCode::kUnavailable) << begun.error().message;
  ASSERT_TRUE(db_->Exec("COMMIT"));
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(SqliteDbTest, OpeningAMissingFileWithoutCreateFails) {
  auto db = Database::Open(dir_.File("missing.db"), Database::Mode::kReadWrite, 0);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("missing.db"), std::string::npos) << db.error().message;
}

}  // namespace
}  // namespace redress::store::sqlite
