// Copies the write-ahead log back into the database file on a thread and connection of its
// own, so that the writer thread never stops to do it.
//
// With SQLite's automatic checkpoint, the commit that takes the WAL past 1,000 pages also
// copies those pages into the database file and fsyncs it, on the committing connection:
// on the store's single writer thread that was 5-8% of all write time, paid by whichever
// writes happened to share that commit. Here the writer's commit hook only wakes this
// thread once the WAL holds `wake_pages` pages. Its PASSIVE checkpoint waits for no one:
// the writer keeps committing while it copies, and readers keep their snapshots.
//
// The WAL only starts over from its beginning when a write begins with every frame
// already copied. Under a sustained stream of commits the background copy may never
// quite catch up, so once the WAL holds `writer_pages` pages the writer checkpoints the
// (mostly copied) rest itself, which lets the next write restart the log. That bounds
// the WAL file.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "store/sqlite/sqlite_db.h"

namespace redress::store::sqlite {

struct WalCheckpointOptions {
  int wake_pages = 1000;     // SQLite's own automatic checkpoint threshold
  int writer_pages = 16000;  // about 64 MiB of 4 KiB pages
  /// Called (on either thread) when a checkpoint fails for another reason than a
  /// checkpoint already running; the WAL then keeps growing until one succeeds.
  std::function<void(const Error&)> on_error;
};

class WalCheckpointer {
 public:
  /// Opens its own connection to `writer`'s file and takes over `writer`'s commit hook
  /// (which turns off SQLite's automatic checkpoint on that connection). `writer` must
  /// outlive the checkpointer and may only be used by one thread, as always.
  static Result<std::unique_ptr<WalCheckpointer>> Start(Database& writer, int busy_timeout_ms,
                                                        WalCheckpointOptions options);
  /// Gives the writer connection its automatic checkpoint back and stops the thread.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  int64_t background_checkpoints() const { return background_.load(std::memory_order_relaxed); }
  int64_t writer_checkpoints() const { return by_writer_.load(std::memory_order_relaxed); }
  int64_t failures() const { return failures_.load(std::memory_order_relaxed); }

 private:
  WalCheckpointer(Database& writer, std::unique_ptr<Database> own, WalCheckpointOptions options);

  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();
  /// Runs a PASSIVE checkpoint on `db`; false when another checkpoint was running.
  bool Checkpoint(Database& db, const char* who);

  Database& writer_;
  std::unique_ptr<Database> own_;
  const WalCheckpointOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;

  std::atomic<int64_t> background_{0};
  std::atomic<int64_t> by_writer_{0};
  std::atomic<int64_t> failures_{0};

  std::thread thread_;  // last: starts after everything it uses is constructed
};

}  // namespace redress::store::sqlite
