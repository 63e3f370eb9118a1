// Read-only connections for concurrent readers. In WAL mode readers never wait for the
// writer, so each thread that reads borrows its own connection (each with its own
// statement cache) and returns it when done. Connections are opened on demand up to a
// limit; past it, a reader waits for one to come back.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/sqlite/sqlite_db.h"

namespace redress::store::sqlite {

class ReadPool {
 public:
  /// A borrowed connection; returns to the pool when destroyed.
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    ReadPool* pool_;
    std::unique_ptr<Database> db_;
  };

  ReadPool(std::string path, int max_connections, int busy_timeout_ms);
  ~ReadPool();  // every lease must have been returned
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  /// An idle connection, a newly opened one if below the limit, or (at the limit) the
  /// next one returned. Fails only if opening a new connection fails.
  Result<Lease> Acquire();

  /// Connections opened so far (idle or leased).
  int open_connections() const;

 private:
  void Return(std::unique_ptr<Database> db);

  const std::string path_;
  const int max_connections_;
  const int busy_timeout_ms_;
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Database>> idle_;
  int open_ = 0;
};

}  // namespace redress::store::sqlite
