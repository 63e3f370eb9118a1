// The PostgreSQL half of live change notifications: every append does
// pg_notify('redress_case_changed', '<case id>') inside its transaction (so it is sent on
// commit and never for a rolled-back write), and each store that has subscribers keeps one
// dedicated connection LISTENing on that channel, waking on its socket, and publishing
// what it hears to the store's ChangeHub. A lost connection is re-opened (once a second);
// notifications sent in between are lost, which the Store interface allows.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"
#include "store/change_hub.h"
#include "store/postgres/pg_conn.h"

namespace redress::store::postgres {

inline constexpr const char* kCaseChangedChannel = "redress_case_changed";

class ChangeListener {
 public:
  /// Connects and LISTENs before returning, so every commit after this is heard.
  static Result<std::unique_ptr<ChangeListener>> Start(const std::string& url,
                                                       std::shared_ptr<ChangeHub> hub);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

 private:
  ChangeListener(std::string url, std::shared_ptr<ChangeHub> hub, std::unique_ptr<Connection> conn,
                 int wake_read, int wake_write);
  void Run();
  /// Waits up to `timeout_ms` (-1: forever) for the connection or the stop pipe; false
  /// when asked to stop.
  bool Wait(int timeout_ms);

  const std::string url_;
  std::shared_ptr<ChangeHub> hub_;
  std::unique_ptr<Connection> conn_;  // touched only by thread_ once it runs
  const int wake_read_;
  const int wake_write_;
  std::thread thread_;
};

}  // namespace redress::store::postgres
