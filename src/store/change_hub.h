// Fan-out of "case N changed" to in-process subscribers, the part of live change
// notifications that both backends share. The SQLite backend publishes to it after each
// commit (one hub per database file, shared by every SqliteStore of the process); the
// PostgreSQL backend publishes what its LISTEN connection hears from every node.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "store/store.h"

namespace redress::store {

class ChangeHub : public std::enable_shared_from_this<ChangeHub> {
 public:
  /// Registers `callback`; it stops being called when the returned subscription is
  /// destroyed (and once that destructor returns, no call is still running).
  std::unique_ptr<Subscription> Subscribe(CaseChanged callback);
  /// Calls every subscriber with `case_id`, in this thread, one after another.
  void Publish(int64_t case_id);
  bool empty() const;

 private:
  class HubSubscription;
  void Unsubscribe(int64_t id);

  mutable std::mutex mu_;   // guards callbacks_ and next_id_
  std::mutex dispatch_mu_;  // held while callbacks run, so Unsubscribe can wait
  std::map<int64_t, CaseChanged> callbacks_;
  int64_t next_id_ = 0;
};

}  // namespace redress::store
