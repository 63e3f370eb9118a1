// The HTTP server: N I/O threads, each with its own io_context and its own SO_REUSEPORT
// acceptor on the same address, so the kernel spreads connections over the threads and no
// connection state is shared between them (measured 50% faster than one shared
// io_context: ../shared/guides/stack.md, part 2). A connection lives on the thread that
// accepted it, and so do its handlers: state shared across threads must be reached
// explicitly (asio::post to its owner), not touched from handlers.
//
// Lifecycle: construct, Start() (binds, then serves), Stop() from any thread (e.g. the
// CLI's signal handler), Wait() for the threads. Signal handling is the CLI's business.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/services.h"
#include "core/result.h"
#include "http/authenticator.h"
#include "http/dispatcher.h"
#include "http/router.h"
#include "http/static_site.h"

namespace redress::http {

struct ServerOptions {
  std::string host = "127.0.0.1";      // an IP address or a resolvable name
  uint16_t port = 8080;                // 0 = any free port; Start() returns the one chosen
  int threads = 2;                     // I/O threads (1..64), one io_context and acceptor each
  int64_t body_limit_bytes = 1 << 20;  // larger request bodies answer 413
  /// How long Stop() lets in-flight requests finish before abandoning them.
  std::chrono::milliseconds stop_grace{5000};
  /// The web front end's files (null = API only). Loaded by the caller: see static_site.h.
  std::shared_ptr<const StaticSite> site;
};

/// Options from [server] of the config: listen ("host:port", "[::1]:8080"), threads,
/// body_limit_bytes. An unparseable listen value is kInvalidArgument naming it.
Result<ServerOptions> ServerOptionsFromConfig(const app::Config& config);

class Server {
 public:
  /// `services`, `router` and `authenticator` must outlive the server; the router must
  /// not change once Start() was called.
  Server(app::Services& services, const Router& router, Authenticator& authenticator,
         ServerOptions options);
  /// Stops and waits if still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds every acceptor and starts the threads; returns the bound port. An address in
  /// use (also by another SO_REUSEPORT server, which would otherwise silently share the
  /// port) or not bindable is kUnavailable, an unresolvable host kInvalidArgument; on
  /// error nothing is left listening. Call once.
  Result<uint16_t> Start();

  /// Closes the acceptors, closes idle connections, lets requests in progress finish for
  /// up to stop_grace, then stops the threads. Returns at once; thread-safe; idempotent.
  void Stop();

  /// Blocks until the threads have ended (after Stop()). Call from one thread.
  void Wait();

 private:
  struct Worker;

  const ServerOptions options_;
  Dispatcher dispatcher_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stop_requested_{false};
  // Last: workers hold coroutines that use dispatcher_, so they are destroyed first.
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace redress::http
