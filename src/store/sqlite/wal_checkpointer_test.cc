#include "store/sqlite/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/test_util.h"

namespace redress::store::sqlite {
namespace {

constexpr std::uintmax_t kFrame = 4096 + 24;  // a WAL frame: page plus frame header

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenWriteConnection(path_, /*create=*/true, 1000);
    ASSERT_TRUE(db) << db.error().message;
    writer_ = std::move(*db);
    // Fsyncs only slow the test down; what is checked here is where pages go.
    auto made = writer_->Exec("PRAGMA synchronous = OFF; CREATE TABLE t (b BLOB)");
    ASSERT_TRUE(made) << made.error().message;
  }

  // One commit per row; each row fills about one page.
  void Insert(int rows) {
    for (int i = 0; i < rows; ++i) {
      auto insert = writer_->Prepare("INSERT INTO t (b) VALUES (zeroblob(3000))");
      ASSERT_TRUE(insert) << insert.error().message;
      auto ran = (*insert)->Run();
      ASSERT_TRUE(ran) << ran.error().message;
    }
  }

  std::uintmax_t WalBytes() const { return std::filesystem::file_size(path_ + "-wal"); }
  std::uintmax_t DatabaseBytes() const { return std::filesystem::file_size(path_); }

  testutil::TempDir dir_;
  const std::string path_ = dir_.File("wal.db");
  std::unique_ptr<Database> writer_;
};

TEST_F(WalCheckpointerTest, TheBackgroundThreadCopiesTheWalAndTheWriterDoesNot) {
  const std::uintmax_t before = DatabaseBytes();
  auto checkpointer = WalCheckpointer::Start(
      *writer_, 1000, {.wake_pages = 50, .writer_pages = 1'000'000, .on_error = {}});
  ASSERT_TRUE(checkpointer) << checkpointer.error().message;
  Insert(300);
  for (int waited = 0; waited < 500 && DatabaseBytes() < before + 250 * 4096; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(DatabaseBytes(), before + 250 * 4096) << "the rows never reached the database file";
  EXPECT_GE((*checkpointer)->background_checkpoints(), 1);
  EXPECT_EQ((*checkpointer)->writer_checkpoints(), 0);
  EXPECT_EQ((*checkpointer)->failures(), 0);
}

TEST_F(WalCheckpointerTest, TheWriterCheckpointsItselfOnceTheWalReachesItsBound) {
  // wake_pages == writer_pages: the background thread is never woken, so only the
  // writer's own checkpoint can keep the WAL from growing with every commit.
  auto checkpointer = WalCheckpointer::Start(
      *writer_, 1000, {.wake_pages = 40, .writer_pages = 40, .on_error = {}});
  ASSERT_TRUE(checkpointer) << checkpointer.error().message;
  Insert(600);
  EXPECT_GE((*checkpointer)->writer_checkpoints(), 10);
  EXPECT_EQ((*checkpointer)->background_checkpoints(), 0);
  EXPECT_LT(WalBytes(), 60 * kFrame) << "the WAL was never restarted";
}

TEST_F(WalCheckpointerTest, StoppingGivesTheWriterSqlitesAutomaticCheckpointBack) {
  {
    auto checkpointer = WalCheckpointer::Start(
        *writer_, 1000, {.wake_pages = 1'000'000, .writer_pages = 1'000'000, .on_error = {}});
    ASSERT_TRUE(checkpointer) << checkpointer.error().message;
    Insert(100);
  }
  Insert(1500);
  EXPECT_LT(WalBytes(), 1200 * kFrame);
}

TEST_F(WalCheckpointerTest, RefusesThresholdsThatCannotWork) {
  auto zero =
      WalCheckpointer::Start(*writer_, 1000, {.wake_pages = 0, .writer_pages = 10, .on_error = {}});
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("wake_pages"), std::string::npos);
  auto inverted = WalCheckpointer::Start(*writer_, 1000,
                                         {.wake_pages = 100, .writer_pages = 10, .on_error = {}});
  ASSERT_FALSE(inverted);
  EXPECT_NE(inverted.error().message.find("100 and 10"), std::string::npos);
}

}  // namespace
}  // namespace redress::store::sqlite
