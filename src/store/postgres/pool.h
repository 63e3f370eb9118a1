// Connections to one PostgreSQL database for concurrent users. A thread borrows a
// connection (with its own prepared statements) and returns it when the lease ends.
// Connections are opened on demand up to a limit; past it, a borrower waits. A connection
// that lost its server is dropped on return instead of being handed out again.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/postgres/pg_conn.h"

namespace redress::store::postgres {

class Pool {
 public:
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Pool(std::string url, int max_connections);
  ~Pool();  // every lease must have been returned
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// An idle connection, a new one if below the limit, or (at the limit) the next one
  /// returned. Fails only if opening a new connection fails.
  Result<Lease> Acquire();

  int open_connections() const;

 private:
  void Return(std::unique_ptr<Connection> conn);

  const std::string url_;
  const int max_connections_;
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace redress::store::postgres
