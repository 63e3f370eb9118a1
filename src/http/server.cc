#include "http/server.h"

#include <fmt/format.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <thread>
#include <utility>

#include "app/listen_address.h"
#include "app/log.h"
#include "app/stop_when_drained.h"
#include "http/session.h"

namespace redress::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// When accept fails (typically EMFILE: out of file descriptors), wait this long before
// the next attempt instead of spinning on the error.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
constexpr int kMaxThreads = 64;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

std::string Describe(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  if (address.is_v6()) return fmt::format("[{}]:{}", address.to_string(), endpoint.port());
  return fmt::format("{}:{}", address.to_string(), endpoint.port());
}

/// SO_REUSEPORT lets a second server of the same user bind a port we listen on, and the
/// kernel would then split connections between the two. A plain bind (SO_REUSEADDR only,
/// so a restart is not blocked by TIME_WAIT) fails if anything listens there.
Result<void> CheckPortFree(const tcp::endpoint& endpoint) {
  asio::io_context context;
  tcp::acceptor probe(context);
  boost::system::error_code ec;
  probe.open(endpoint.protocol(), ec);
  if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) probe.bind(endpoint, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}: {}", Describe(endpoint), ec.message()));
  }
  return {};
}

Result<tcp::acceptor> Listen(asio::io_context& context, const tcp::endpoint& endpoint) {
  tcp::acceptor acceptor(context);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.set_option(ReusePort(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on {}: {}", Describe(endpoint), ec.message()));
  }
  return acceptor;
}

/// Completion of a detached coroutine: nothing should escape one, but if something does
/// (std::bad_alloc), it is logged and the server carries on.
auto LogEscapedException(std::string_view what) {
  return [what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      app::Log(app::LogLevel::kError, "coroutine failed", {{"in", what}, {"what", ex.what()}});
    } catch (...) {
      app::Log(app::LogLevel::kError, "coroutine failed", {{"in", what}});
    }
  };
}

asio::awaitable<void> AcceptLoop(tcp::acceptor& acceptor, ConnectionSet& connections,
                                 const Dispatcher& dispatcher, uint64_t body_limit) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer backoff(executor);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kAwait);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      app::Log(app::LogLevel::kWarn, "accept failed", {{"error", ec.message()}});
      backoff.expires_after(kAcceptRetryDelay);
      co_await backoff.async_wait(kAwait);
      continue;
    }
    asio::co_spawn(executor,
                   ServeConnection(std::move(socket), dispatcher, connections, body_limit),
                   LogEscapedException("connection"));
  }
}

void RunUntilStopped(asio::io_context& context) {
  for (;;) {
    try {
      context.run();
      return;
    } catch (const std::exception& e) {
      app::Log(app::LogLevel::kError, "I/O thread caught an exception", {{"what", e.what()}});
    }
  }
}

}  // namespace

// Member order matters for destruction: the context goes before `connections` because
// destroying it destroys suspended connection coroutines, which deregister from
// `connections`; the acceptor and the (joined) thread go before the context.
struct Server::Worker {
  ConnectionSet connections;
  asio::io_context context{1};  // one thread runs it: no scheduler locking needed
  std::optional<tcp::acceptor> acceptor;
  std::thread thread;
};

Result<ServerOptions> ServerOptionsFromConfig(const app::Config& config) {
  ServerOptions options;
  Result<app::ListenAddress> listen = app::ParseListenAddress(config.listen);
  if (!listen) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("[server] listen must be host:port (e.g. 127.0.0.1:8080 or "
                            "[::1]:8080), got '{}': {}",
                            config.listen, listen.error().message),
                "listen");
  }
  options.host = listen->host;
  options.port = listen->port;

  if (config.threads < 1 || config.threads > kMaxThreads) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("[server] threads must be 1..{}, got {}", kMaxThreads, config.threads),
                "threads");
  }
  options.threads = config.threads;
  if (config.body_limit_bytes <= 0) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("[server] body_limit_bytes must be positive, got {}", config.body_limit_bytes),
        "body_limit_bytes");
  }
  options.body_limit_bytes = config.body_limit_bytes;
  return options;
}

Server::Server(app::Services& services, const Router& router, Authenticator& authenticator,
               ServerOptions options)
    : options_(std::move(options)), dispatcher_(services, router, authenticator, options_.site) {}

Server::~Server() {
  Stop();
  Wait();
}

Result<uint16_t> Server::Start() {
  if (started_.exchange(true)) return Fail(ErrorCode::kInternal, "Server::Start called twice");
  if (stop_requested_) return Fail(ErrorCode::kInternal, "Server::Start called after Stop");
  if (options_.threads < 1 || options_.threads > kMaxThreads) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("server threads must be 1..{}, got {}", kMaxThreads, options_.threads));
  }
  if (options_.body_limit_bytes <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "server body limit must be positive");
  }

  Result<tcp::endpoint> endpoint = app::ResolveListenAddress({options_.host, options_.port});
  if (!endpoint) return Fail(std::move(endpoint.error()));
  if (endpoint->port() != 0) {
    Result<void> free = CheckPortFree(*endpoint);
    if (!free) return Fail(std::move(free.error()));
  }

  // Bind every acceptor before serving, so that a failure leaves nothing listening. With
  // port 0 the first bind picks the port and the others join it.
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < options_.threads; ++i) {
    auto worker = std::make_unique<Worker>();
    Result<tcp::acceptor> acceptor = Listen(worker->context, *endpoint);
    if (!acceptor) return Fail(std::move(acceptor.error()));
    if (endpoint->port() == 0) endpoint->port(acceptor->local_endpoint().port());
    worker->acceptor.emplace(std::move(*acceptor));
    workers.push_back(std::move(worker));
  }

  workers_ = std::move(workers);
  const auto body_limit = static_cast<uint64_t>(options_.body_limit_bytes);
  for (auto& worker : workers_) {
    asio::co_spawn(worker->context,
                   AcceptLoop(*worker->acceptor, worker->connections, dispatcher_, body_limit),
                   LogEscapedException("accept"));
    worker->thread = std::thread([context = &worker->context] { RunUntilStopped(*context); });
  }
  app::Log(app::LogLevel::kInfo, "listening",
           {{"address", Describe(*endpoint)}, {"threads", options_.threads}});
  return endpoint->port();
}

void Server::Stop() {
  if (stop_requested_.exchange(true)) return;
  const auto deadline = std::chrono::steady_clock::now() + options_.stop_grace;
  for (auto& worker : workers_) {
    Worker* w = worker.get();
    asio::post(w->context, [w, deadline] {
      boost::system::error_code ignored;
      w->acceptor->close(ignored);
      w->connections.Drain();
      asio::co_spawn(w->context,
                     app::StopWhenDrained(
                         w->context, [w] { return w->connections.size(); }, deadline, "HTTP"),
                     LogEscapedException("stop"));
    });
  }
}

void Server::Wait() {
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

}  // namespace redress::http
