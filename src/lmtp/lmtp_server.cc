#include "lmtp/lmtp_server.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/error.hpp>
#include <exception>
#include <optional>
#include <set>
#include <utility>

#include "app/awaitables.h"
#include "app/listen_address.h"
#include "app/log.h"
#include "app/stop_when_drained.h"
#include "lmtp/lmtp_reply.h"

namespace redress::lmtp {

namespace asio = boost::asio;
using generic_stream = asio::generic::stream_protocol;
using Stream = boost::beast::basic_stream<generic_stream>;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr std::string_view kUnixPrefix = "unix:";

std::string HostName() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') return "localhost";
  return name.data();
}

Result<asio::ip::tcp::endpoint> ResolveTcp(std::string_view listen) {
  Result<app::ListenAddress> address = app::ParseListenAddress(listen);
  if (!address) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("[mail.lmtp] listen must be host:port or unix:/path, got '{}': {}",
                            listen, address.error().message),
                "mail.lmtp.listen");
  }
  auto endpoint = app::ResolveListenAddress(*address);
  if (!endpoint) {
    return Fail(ErrorCode::kInvalidArgument, "[mail.lmtp] " + endpoint.error().message,
                "mail.lmtp.listen");
  }
  return endpoint;
}

uint16_t BoundPort(const generic_stream::endpoint& endpoint) {
  const sockaddr* address = endpoint.data();
  if (address->sa_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(address)->sin_port);
  }
  if (address->sa_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(address)->sin6_port);
  }
  return 0;
}

/// A Unix socket file that nobody answers on is what a killed server leaves behind: it is
/// removed so that the bind succeeds. One that answers belongs to a live process.
Result<void> ClearStaleSocket(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) return {};
  if (!S_ISSOCK(info.st_mode)) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on unix:{}: the path exists and is not a socket", path));
  }
  asio::io_context context;
  asio::local::stream_protocol::socket probe(context);
  boost::system::error_code ec;
  probe.connect(asio::local::stream_protocol::endpoint(path), ec);
  if (!ec) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen on unix:{}: another process is listening there", path));
  }
  ::unlink(path.c_str());
  return {};
}

void LogEscaped(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    app::Log(app::LogLevel::kError, "LMTP coroutine failed", {{"what", ex.what()}});
  } catch (...) {
    app::Log(app::LogLevel::kError, "LMTP coroutine failed");
  }
}

}  // namespace

LmtpServerOptions LmtpServerOptionsFrom(const app::MailConfig& mail) {
  LmtpServerOptions options;
  if (mail.lmtp) {
    options.listen = mail.lmtp->listen;
    options.socket_mode = mail.lmtp->socket_mode;
    options.max_connections = static_cast<int>(mail.lmtp->max_connections);
  }
  options.limits.max_message_bytes = mail.max_message_bytes;
  return options;
}

// Everything the I/O thread touches. Only that thread reads or writes `connections`,
// `stopping` and `acceptor` once serving started.
struct LmtpServer::State {
  State(store::Store& writer, Clock& time, const app::MailIntake& filing, asio::thread_pool& pool,
        LmtpRecipients ours, LmtpServerOptions settings)
      : store(writer),
        clock(time),
        intake(filing),
        cpu(pool),
        recipients(std::move(ours)),
        options(std::move(settings)) {}

  struct Connection {
    Stream* stream = nullptr;
    bool delivering = false;
  };

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Serve(Stream stream);
  asio::awaitable<email::LmtpReply> Deliver(email::LmtpMessage& message);
  void BeginStop(std::chrono::steady_clock::time_point deadline);

  store::Store& store;
  Clock& clock;
  const app::MailIntake& intake;
  asio::thread_pool& cpu;
  const LmtpRecipients recipients;
  const LmtpServerOptions options;
  std::string unix_path;  // set when listening on a Unix socket
  std::string host;       // in greetings and 421 replies; set once by Start()

  std::set<Connection*> connections;
  bool stopping = false;
  asio::io_context context{1};
  std::optional<asio::basic_socket_acceptor<generic_stream>> acceptor;
};

asio::awaitable<void> LmtpServer::State::AcceptLoop() {
  asio::steady_timer backoff(context);
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(kAwait);
    if (ec == asio::error::operation_aborted || !acceptor->is_open() || stopping) co_return;
    if (ec) {
      app::Log(app::LogLevel::kWarn, "LMTP accept failed", {{"error", ec.message()}});
      backoff.expires_after(kAcceptRetryDelay);
      co_await backoff.async_wait(kAwait);
      continue;
    }
    asio::co_spawn(context, Serve(Stream(std::move(socket))), LogEscaped);
  }
}

asio::awaitable<void> LmtpServer::State::Serve(Stream stream) {
  Connection self{&stream};
  connections.insert(&self);
  struct Deregister {
    std::set<Connection*>& set;
    Connection* self;
    ~Deregister() { set.erase(self); }
  } deregister{connections, &self};

  // By value: a coroutine's parameters live in its frame across the suspension.
  auto send = [&stream](std::string text) -> asio::awaitable<bool> {
    stream.expires_after(kWriteTimeout);
    auto [ec, written] = co_await asio::async_write(stream, asio::buffer(text), kAwait);
    co_return !ec;
  };

  if (static_cast<int>(connections.size()) > options.max_connections) {
    co_await send("421 4.3.2 too many connections, try again later\r\n");
    co_return;
  }
  email::LmtpSession session(host, options.limits, [this](std::string_view address) {
    return recipients.Refusal(address);
  });
  if (!co_await send(session.Greeting())) co_return;

  std::array<char, 64 * 1024> buffer{};
  for (;;) {
    if (stopping) {
      co_await send("421 4.3.2 " + host + " is shutting down, try again later\r\n");
      co_return;
    }
    stream.expires_after(session.in_data() ? options.data_timeout : options.command_timeout);
    auto [ec, read] = co_await stream.async_read_some(asio::buffer(buffer), kAwait);
    if (ec == boost::beast::error::timeout) {
      co_await send("421 4.4.2 " + host + " timeout, closing connection\r\n");
      co_return;
    }
    if (ec) co_return;  // the client went away, or Stop() cancelled the read
    email::LmtpSession::Step step = session.Receive(std::string_view(buffer.data(), read));
    for (;;) {
      if (!step.replies.empty() && !co_await send(step.replies)) co_return;
      if (step.close) co_return;
      if (!step.message) break;
      self.delivering = true;
      const email::LmtpReply reply = co_await Deliver(*step.message);
      self.delivering = false;
      step = session.Delivered(reply);
    }
  }
}

asio::awaitable<email::LmtpReply> LmtpServer::State::Deliver(email::LmtpMessage& message) {
  // Reading MIME is CPU work: on the pool, never on this I/O thread or the writer.
  std::function<app::PreparedMail()> prepare = [&]() {
    return intake.Prepare(std::move(message.data));
  };
  const app::PreparedMail prepared =
      co_await app::RunOnPool<app::PreparedMail>(cpu, std::move(prepare));
  const app::MailSource source{"lmtp", recipients.CategoryOf(message.recipients)};
  const Timestamp now = clock.Now();
  Result<app::IntakeResult> filed = Fail(ErrorCode::kInternal, "the write did not run");
  store::WriteFn write = [&](store::WriteTx& tx) -> Result<void> {
    auto ingested = intake.Ingest(tx, prepared, source, now);
    if (!ingested) return Fail(ingested.error());
    filed = std::move(*ingested);
    return {};
  };
  Result<void> written = co_await app::WriteDurably(store, std::move(write));
  if (!written) {
    filed = Fail(written.error());
    app::Log(app::LogLevel::kWarn, "LMTP message not stored; the MTA will retry",
             {{"error", written.error().message},
              {"from", message.reverse_path},
              {"sha256", prepared.sha256}});
  } else {
    app::Log(app::LogLevel::kInfo, "LMTP message stored",
             {{"outcome", app::IntakeOutcomeName(filed->outcome)},
              {"case_id", filed->case_id ? *filed->case_id : int64_t{0}},
              {"sha256", prepared.sha256},
              {"recipients", static_cast<int64_t>(message.recipients.size())}});
  }
  co_return ReplyFor(filed);
}

void LmtpServer::State::BeginStop(std::chrono::steady_clock::time_point deadline) {
  stopping = true;
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  // Idle connections (waiting for a command or for the rest of a message not yet
  // acknowledged) are cut now; the MTA retries whatever had no answer. A connection whose
  // message is being stored gets its answers first.
  for (Connection* connection : connections) {
    if (!connection->delivering) connection->stream->socket().cancel(ignored);
  }
  asio::co_spawn(context,
                 app::StopWhenDrained(
                     context, [this] { return connections.size(); }, deadline, "LMTP"),
                 LogEscaped);
}

LmtpServer::LmtpServer(store::Store& store, Clock& clock, const app::MailIntake& intake,
                       asio::thread_pool& cpu, LmtpRecipients recipients, LmtpServerOptions options)
    : state_(std::make_unique<State>(store, clock, intake, cpu, std::move(recipients),
                                     std::move(options))) {}

LmtpServer::~LmtpServer() {
  Stop();
  Wait();
}

Result<std::string> LmtpServer::Start() {
  if (thread_.joinable() || state_->acceptor) {
    return Fail(ErrorCode::kInternal, "LmtpServer::Start called twice");
  }
  const std::string& listen = state_->options.listen;
  state_->host = state_->options.host_name.empty() ? HostName() : state_->options.host_name;
  generic_stream::endpoint endpoint;
  std::string described;
  const bool unix_socket = listen.starts_with(kUnixPrefix);
  if (unix_socket) {
    const std::string path = listen.substr(kUnixPrefix.size());
    if (path.empty() || path.front() != '/') {
      return Fail(ErrorCode::kInvalidArgument,
                  "[mail.lmtp] listen: a Unix socket needs an absolute path, got '" + listen + "'",
                  "mail.lmtp.listen");
    }
    if (auto cleared = ClearStaleSocket(path); !cleared) return Fail(cleared.error());
    endpoint = generic_stream::endpoint(asio::local::stream_protocol::endpoint(path));
    state_->unix_path = path;
  } else {
    auto tcp = ResolveTcp(listen);
    if (!tcp) return Fail(tcp.error());
    endpoint = generic_stream::endpoint(*tcp);
  }

  asio::basic_socket_acceptor<generic_stream> acceptor(state_->context);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec && !unix_socket) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec && unix_socket && ::chmod(state_->unix_path.c_str(), state_->options.socket_mode) != 0) {
    ec = boost::system::error_code(errno, boost::system::system_category());
  }
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    if (unix_socket) state_->unix_path.clear();
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot listen for LMTP on {}: {}", listen, ec.message()));
  }
  if (unix_socket) {
    described = listen;
  } else {
    const uint16_t port = BoundPort(acceptor.local_endpoint());
    const std::string host = listen.substr(0, listen.rfind(':'));
    described = fmt::format("{}:{}", host, port);
  }
  state_->acceptor.emplace(std::move(acceptor));
  asio::co_spawn(state_->context, state_->AcceptLoop(), LogEscaped);
  thread_ = std::thread([state = state_.get()] {
    for (;;) {
      try {
        state->context.run();
        return;
      } catch (const std::exception& e) {
        app::Log(app::LogLevel::kError, "LMTP I/O thread caught an exception",
                 {{"what", e.what()}});
      }
    }
  });
  app::Log(app::LogLevel::kInfo, "listening for LMTP",
           {{"address", described}, {"max_connections", state_->options.max_connections}});
  return described;
}

void LmtpServer::Stop() {
  if (stop_requested_.exchange(true)) return;
  if (!thread_.joinable()) return;
  const auto deadline = std::chrono::steady_clock::now() + state_->options.stop_grace;
  asio::post(state_->context, [state = state_.get(), deadline] { state->BeginStop(deadline); });
}

void LmtpServer::Wait() {
  if (thread_.joinable()) thread_.join();
  if (!state_->unix_path.empty()) {
    ::unlink(state_->unix_path.c_str());
    state_->unix_path.clear();
  }
}

}  // namespace redress::lmtp
