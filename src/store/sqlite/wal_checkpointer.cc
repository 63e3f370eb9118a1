#include "store/sqlite/wal_checkpointer.h"

#include <sqlite3.h>

#include <utility>

namespace redress::store::sqlite {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(Database& writer,
                                                                int busy_timeout_ms,
                                                                WalCheckpointOptions options) {
  if (options.wake_pages < 1 || options.writer_pages < options.wake_pages) {
    return Fail(ErrorCode::kInvalidArgument,
                "WAL checkpoint thresholds must satisfy 1 <= wake_pages <= writer_pages, got " +
                    std::to_string(options.wake_pages) + " and " +
                    std::to_string(options.writer_pages));
  }
  auto own = Database::Open(writer.path(), Database::Mode::kReadWrite, busy_timeout_ms);
  if (!own) return Fail(own.error());
  // A connection only finds the WAL when it first reads; until then a checkpoint on it
  // quietly does nothing. Asking for the journal mode reads, and checks it too.
  auto journal = (*own)->QueryText("PRAGMA journal_mode");
  if (!journal) return Fail(journal.error());
  if (*journal != "wal") {
    return Fail(ErrorCode::kUnavailable, "database " + writer.path() +
                                             " is not in WAL mode (journal mode '" + *journal +
                                             "'), so there is no WAL to checkpoint");
  }
  return std::unique_ptr<WalCheckpointer>(
      new WalCheckpointer(writer, std::move(*own), std::move(options)));
}

WalCheckpointer::WalCheckpointer(Database& writer, std::unique_ptr<Database> own,
                                 WalCheckpointOptions options)
    : writer_(writer),
      own_(std::move(own)),
      options_(std::move(options)),
      thread_([this] { Loop(); }) {
  sqlite3_wal_hook(writer_.handle(), &WalCheckpointer::OnCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(writer_.handle(), 1000);  // SQLite's default
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

int WalCheckpointer::OnCommit(void* self_ptr, sqlite3* /*db*/, const char* /*schema*/,
                              int wal_pages) {
  auto* self = static_cast<WalCheckpointer*>(self_ptr);
  if (wal_pages >= self->options_.writer_pages) {
    // The commit has happened whatever this returns; a failure is reported, never
    // turned into an error of the write that triggered it.
    if (self->Checkpoint(self->writer_, "the writer")) {
      self->by_writer_.fetch_add(1, std::memory_order_relaxed);
    }
  } else if (wal_pages >= self->options_.wake_pages) {
    {
      std::lock_guard lock(self->mu_);
      self->wanted_ = true;
    }
    self->cv_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || wanted_; });
      if (stopping_) return;
      wanted_ = false;
    }
    if (Checkpoint(*own_, "the background checkpointer")) {
      background_.fetch_add(1, std::memory_order_relaxed);
    }
  }
}

bool WalCheckpointer::Checkpoint(Database& db, const char* who) {
  int wal_frames = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db.handle(), "main", SQLITE_CHECKPOINT_PASSIVE,
                                           &wal_frames, &copied);
  if (rc == SQLITE_OK) return true;
  if (rc == SQLITE_BUSY) return false;  // the other one is checkpointing right now
  failures_.fetch_add(1, std::memory_order_relaxed);
  if (options_.on_error) {
    options_.on_error(
        SqliteError(db.handle(), rc,
                    std::string("checkpointing the WAL of ") + db.path() + " (by " + who + ")"));
  }
  return false;
}

}  // namespace redress::store::sqlite
