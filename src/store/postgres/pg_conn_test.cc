// The libpq layer's deferred statements (Connection::Defer), on a real throwaway database:
// they run in the order asked, with the next statement, and a failure among them is that
// statement's failure, never lost: every later statement fails with it until a rollback.
#include "store/postgres/pg_conn.h"

#include <gtest/gtest.h>

#include "store/postgres/test_database.h"

namespace redress::store::postgres {
namespace {

class PgConnTest : public testing::ConnectedTest {
 protected:
  void SetUp() override {
    ConnectedTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(conn_->Exec("CREATE TABLE t (k integer PRIMARY KEY, v text NOT NULL)"));
  }

  int64_t Count() {
    auto rows = conn_->Query("SELECT count(*) FROM t");
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->Int64(0, 0) : -1;
  }
};

TEST_F(PgConnTest, DeferredStatementsRunInOrderBeforeTheNextQuery) {
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(1).Text("one")));
  ASSERT_TRUE(conn_->Defer("UPDATE t SET v = $2 WHERE k = $1", Params().Int64(1).Text("uno")));
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(2).Text("two")));
  // Nothing has reached the server yet: another session sees no row.
  auto other = Connection::Open(db_.url());
  ASSERT_TRUE(other) << other.error().message;
  auto seen = (*other)->Query("SELECT count(*) FROM t");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->Int64(0, 0), 0);

  auto rows = conn_->Query("SELECT v FROM t ORDER BY k");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2);
  EXPECT_EQ(rows->Text(0, 0), "uno");
  EXPECT_EQ(rows->Text(1, 0), "two");
  EXPECT_TRUE(conn_->Healthy());
}

TEST_F(PgConnTest, AFailingDeferredStatementIsTheNextQuerysFailureAndStopsWhatFollows) {
  ASSERT_TRUE(conn_->Exec("BEGIN"));
  ASSERT_TRUE(conn_->Query("INSERT INTO t VALUES (1, 'one')"));
  ASSERT_TRUE(conn_->Defer("SAVEPOINT step"));
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(1).Text("again")));
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(3).Text("three")));
  auto failed = conn_->Query("INSERT INTO t VALUES (4, 'four')");
  ASSERT_FALSE(failed);
  // The duplicate key is named, with its statement and its SQLSTATE.
  EXPECT_EQ(failed.error().code, ErrorCode::kConflict);
  EXPECT_NE(failed.error().message.find("INSERT INTO t VALUES ($1, $2)"), std::string::npos)
      << failed.error().message;
  EXPECT_NE(failed.error().message.find("duplicate key"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(conn_->last_sqlstate(), "23505");
  EXPECT_TRUE(conn_->Healthy());
  // Until the caller rolls back, every statement fails with it again.
  auto again = conn_->Query("SELECT 1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, failed.error().message);
  // The savepoint before the failure was made: rolling back to it revives the transaction,
  // and neither the statement behind the failure nor the query ran.
  conn_->DiscardDeferred();
  ASSERT_TRUE(conn_->Query("ROLLBACK TO SAVEPOINT step"));
  EXPECT_EQ(Count(), 1);
  ASSERT_TRUE(conn_->Query("COMMIT"));
  EXPECT_EQ(Count(), 1);
}

TEST_F(PgConnTest, FlushSendsWhatIsQueuedAndReportsItsFailure) {
  EXPECT_TRUE(conn_->FlushDeferred());  // nothing queued: nothing to do
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(1).Text("one")));
  ASSERT_TRUE(conn_->FlushDeferred());
  EXPECT_EQ(Count(), 1);
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(1).Text("dup"),
                           "adding row 1 again"));
  auto flushed = conn_->FlushDeferred();
  ASSERT_FALSE(flushed);
  EXPECT_EQ(flushed.error().code, ErrorCode::kConflict);
  // The statement's context comes first, so the caller's words survive the delay.
  EXPECT_EQ(flushed.error().message.rfind("adding row 1 again: ", 0), 0u)
      << flushed.error().message;
  // It stays the answer until the caller rolls back (DiscardDeferred), whatever it asks.
  auto again = conn_->FlushDeferred();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, flushed.error().message);
  EXPECT_FALSE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(2).Text("two")));
  EXPECT_FALSE(conn_->Exec("SELECT 1"));
  conn_->DiscardDeferred();
  EXPECT_TRUE(conn_->FlushDeferred());
  EXPECT_EQ(Count(), 1);
}

TEST_F(PgConnTest, ACompareAndSetThatChangesNothingFailsTheWriteUntilItIsRolledBack) {
  ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1, 'one')"));
  ASSERT_TRUE(conn_->Exec("BEGIN"));
  // One row changed: the compare-and-set holds, and the query behind it runs.
  ASSERT_TRUE(conn_->DeferCompareAndSet("UPDATE t SET v = $2 WHERE k = $1 AND v = $3",
                                        Params().Int64(1).Text("uno").Text("one"),
                                        "row 1 was not 'one'"));
  auto read = conn_->Query("SELECT v FROM t WHERE k = 1");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->Text(0, 0), "uno");

  // No row changed: the SQL succeeded, but the next statement fails with the conflict,
  // and so does everything after it, the COMMIT's flush included, though the server
  // itself would commit.
  ASSERT_TRUE(conn_->DeferCompareAndSet("UPDATE t SET v = $2 WHERE k = $1 AND v = $3",
                                        Params().Int64(1).Text("eins").Text("one"),
                                        "row 1 was not 'one'"));
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(2).Text("two")));
  auto failed = conn_->Query("SELECT count(*) FROM t");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kConflict);
  EXPECT_EQ(failed.error().message, "row 1 was not 'one'");
  auto flushed = conn_->FlushDeferred();
  ASSERT_FALSE(flushed);
  EXPECT_EQ(flushed.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(conn_->Query("COMMIT"));

  conn_->DiscardDeferred();
  ASSERT_TRUE(conn_->Query("ROLLBACK"));
  auto rows = conn_->Query("SELECT v FROM t ORDER BY k");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->Text(0, 0), "one");  // the first update was rolled back with the rest
}

TEST_F(PgConnTest, DiscardedStatementsNeverRunAndExecSendsTheQueueFirst) {
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(1).Text("one")));
  conn_->DiscardDeferred();
  EXPECT_EQ(Count(), 0);
  ASSERT_TRUE(conn_->Defer("INSERT INTO t VALUES ($1, $2)", Params().Int64(2).Text("two")));
  ASSERT_TRUE(conn_->Exec("UPDATE t SET v = 'deux' WHERE k = 2"));
  auto rows = conn_->Query("SELECT v FROM t");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1);
  EXPECT_EQ(rows->Text(0, 0), "deux");
}

TEST_F(PgConnTest, ADeferredStatementThatCannotBePreparedFailsAtOnce) {
  auto bad = conn_->Defer("INSERT INTO missing VALUES ($1)", Params().Int64(1));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("missing"), std::string::npos) << bad.error().message;
  EXPECT_TRUE(conn_->FlushDeferred());  // nothing was queued
}

}  // namespace
}  // namespace redress::store::postgres
