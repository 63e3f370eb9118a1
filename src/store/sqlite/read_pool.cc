#include "store/sqlite/read_pool.h"

#include <utility>

namespace redress::store::sqlite {

ReadPool::Lease::~Lease() {
  if (db_) pool_->Return(std::move(db_));
}

ReadPool::ReadPool(std::string path, int max_connections, int busy_timeout_ms)
    : path_(std::move(path)),
      max_connections_(max_connections),
      busy_timeout_ms_(busy_timeout_ms) {}

ReadPool::~ReadPool() = default;

Result<ReadPool::Lease> ReadPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
      std::unique_ptr<Database> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
    // Reserve the slot now and open outside the lock: opening touches the file system.
    ++open_;
  }
  auto db = Database::Open(path_, Database::Mode::kReadOnly, busy_timeout_ms_);
  if (!db) {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    returned_.notify_one();
    return Fail(db.error());
  }
  return Lease(this, std::move(*db));
}

int ReadPool::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

void ReadPool::Return(std::unique_ptr<Database> db) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(db));
  }
  returned_.notify_one();
}

}  // namespace redress::store::sqlite
