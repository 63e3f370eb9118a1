#include "store/postgres/pool.h"

#include <utility>

namespace redress::store::postgres {

Pool::Lease::~Lease() {
  if (conn_) pool_->Return(std::move(conn_));
}

Pool::Pool(std::string url, int max_connections)
    : url_(std::move(url)), max_connections_(max_connections) {}

Pool::~Pool() = default;

Result<Pool::Lease> Pool::Acquire() {
  {
    std::unique_lock lock(mu_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;  // reserve the slot; connect outside the lock (a network round trip)
  }
  auto conn = Connection::Open(url_);
  if (!conn) {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    returned_.notify_one();
    return Fail(conn.error());
  }
  return Lease(this, std::move(*conn));
}

int Pool::open_connections() const {
  std::lock_guard lock(mu_);
  return open_;
}

void Pool::Return(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn->Healthy()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;  // lost its server: the next borrower opens a fresh one
    }
  }
  returned_.notify_one();
}

}  // namespace redress::store::postgres
