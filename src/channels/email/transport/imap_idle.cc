#include "channels/email/transport/imap_idle.h"

#include <libetpan/libetpan.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "channels/email/transport/imap_response.h"
#include "channels/email/transport/server_certificate.h"
#include "channels/email/transport/tcp_keepalive.h"

namespace redress::email::transport {
namespace {

using Clock = std::chrono::steady_clock;

// SNI for the handshake (a server with several names picks its certificate by it); an IP
// address is not sent as a name.
void NameTheServer(mailstream_ssl_context* context, void* host) {
  const auto* name = static_cast<const std::string*>(host);
  if (!IsIpAddress(*name))
    mailstream_ssl_set_server_name(context, const_cast<char*>(name->c_str()));
}

// CAPABILITY: libetpan keeps the answer in the session (for mailimap_has_extension).
int AskCapabilities(mailimap* session) {
  mailimap_capability_data* answer = nullptr;
  const int code = mailimap_capability(session, &answer);
  if (answer != nullptr) mailimap_capability_data_free(answer);
  return code;
}

// The server's last words (a tagged NO or BAD text), if libetpan kept them.
std::string ServerSaid(mailimap* session) {
  return session->imap_response != nullptr ? std::string(session->imap_response) : "";
}

class Connection {
 public:
  Connection(mailimap* session, const ImapMailboxConfig& config)
      : session_(session),
        config_(config),
        where_("IMAP server " + config.endpoint.host + ":" + std::to_string(config.endpoint.port)) {
  }

  Error Explain(int code, const std::string& what) const {
    const std::string said = ServerSaid(session_);
    const std::string tail = said.empty() ? "" : ": " + said;
    switch (code) {
      case MAILIMAP_ERROR_LOGIN:
        return {ErrorCode::kUnauthenticated,
                where_ + " refused the login of user '" + config_.endpoint.username +
                    "' (wrong user name or password?)" + tail,
                "endpoint.password"};
      case MAILIMAP_ERROR_EXAMINE:
        return {ErrorCode::kNotFound,
                what + ": " + where_ + " cannot open folder '" + config_.folder + "'" + tail,
                {}};
      case MAILIMAP_ERROR_STREAM:
      case MAILIMAP_ERROR_CONNECTION_REFUSED:
      case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
      case MAILIMAP_ERROR_SSL:
      case MAILIMAP_ERROR_STARTTLS:
      case MAILIMAP_ERROR_FATAL:
        return {ErrorCode::kUnavailable,
                what + ": " + where_ + ": connection failed or lost (libetpan error " +
                    std::to_string(code) + ")" + tail,
                {}};
      default:
        return {
            ErrorCode::kInternal,
            what + ": " + where_ + " failed (libetpan error " + std::to_string(code) + ")" + tail,
            {}};
    }
  }

  Result<void> Check(int code, const std::string& what) const {
    if (code == MAILIMAP_NO_ERROR || code == MAILIMAP_NO_ERROR_AUTHENTICATED ||
        code == MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
      return {};
    }
    return tl::unexpected(Explain(code, what));
  }

  // TCP (interruptible, socket_interrupt.h), then TLS for implicit TLS, the greeting, and
  // STARTTLS when configured and offered.
  Result<void> Open(SocketInterrupt* interrupt) {
    const MailEndpoint& endpoint = config_.endpoint;
    auto fd = ConnectTcp(endpoint.host, endpoint.port, endpoint.connect_timeout, interrupt);
    if (!fd) return Fail(fd.error().code, "connecting to the IMAP server: " + fd.error().message);
    // A server that vanished without closing is noticed in about two minutes, not at the
    // next IDLE renewal (tcp_keepalive.h).
    if (auto probed = EnableTcpKeepalive(*fd); !probed) {
      if (interrupt != nullptr) interrupt->Detach();
      close(*fd);
      return Fail(probed.error());
    }
    auto* host = const_cast<std::string*>(&endpoint.host);
    const bool implicit = endpoint.tls == TlsMode::kImplicit;
    mailstream* stream = implicit ? mailstream_ssl_open_with_callback_timeout(
                                        *fd, session_->imap_timeout, NameTheServer, host)
                                  : mailstream_socket_open_timeout(*fd, session_->imap_timeout);
    if (stream == nullptr) {
      if (interrupt != nullptr) interrupt->Detach();
      close(*fd);
      return Fail(ErrorCode::kUnavailable,
                  (implicit ? "TLS handshake with " : "opening a stream to ") + where_ + " failed");
    }
    // From here the session owns the stream and its socket (mailimap_free closes them).
    if (auto ok = Check(mailimap_connect(session_, stream), "reading the greeting"); !ok) {
      return ok;
    }
    if (implicit) return CheckCertificate();
    if (endpoint.tls == TlsMode::kNone) return {};
    if (auto ok = Check(AskCapabilities(session_), "asking for capabilities"); !ok) {
      return ok;
    }
    if (!mailimap_has_extension(session_, "STARTTLS")) {
      if (endpoint.tls == TlsMode::kStartTlsOptional) return {};
      return Fail(ErrorCode::kUnavailable, where_ +
                                               " does not offer STARTTLS, which tls = "
                                               "starttls requires");
    }
    if (auto ok = Check(mailimap_socket_starttls_with_callback(session_, NameTheServer, host),
                        "STARTTLS");
        !ok) {
      return ok;
    }
    return CheckCertificate();
  }

  Result<void> CheckCertificate() const {
    if (!config_.endpoint.verify_peer) return {};
    std::vector<std::string> chain;
    if (carray* certificates = mailstream_get_certificate_chain(session_->imap_stream)) {
      for (unsigned i = 0; i < carray_count(certificates); ++i) {
        const auto* der = static_cast<MMAPString*>(carray_get(certificates, i));
        chain.emplace_back(der->str, der->len);
      }
      mailstream_certificate_chain_free(certificates);
    }
    return CheckServerCertificate(chain, config_.endpoint.host, config_.endpoint.ca_file);
  }

 private:
  mailimap* session_;
  const ImapMailboxConfig& config_;
  std::string where_;
};

}  // namespace

void ImapIdle::SessionFree::operator()(mailimap* session) const { mailimap_free(session); }

ImapIdle::ImapIdle(ImapIdle&&) noexcept = default;

ImapIdle& ImapIdle::operator=(ImapIdle&& other) noexcept {
  if (this != &other) {
    Close();
    session_ = std::move(other.session_);
    config_ = std::move(other.config_);
    interrupt_ = other.interrupt_;
    supports_idle_ = other.supports_idle_;
  }
  return *this;
}

ImapIdle::~ImapIdle() { Close(); }

void ImapIdle::Close() {
  if (session_ == nullptr) return;  // moved from: the socket is another ImapIdle's
  if (interrupt_ != nullptr) interrupt_->Detach();
  session_.reset();
}

Result<ImapIdle> ImapIdle::Connect(const ImapMailboxConfig& config, SocketInterrupt* interrupt) {
  if (config.endpoint.host.empty() || config.endpoint.port == 0) {
    return Fail(ErrorCode::kInvalidArgument, "the IMAP server needs a host and a port", "endpoint");
  }
  if (auto quoted = QuoteFolderName(config.folder); !quoted) {
    return Fail(ErrorCode::kInvalidArgument, quoted.error().message, "folder");
  }
  ImapIdle idle(Session(mailimap_new(0, nullptr)), config, interrupt);
  if (idle.session_ == nullptr) {
    return Fail(ErrorCode::kInternal, "out of memory for an IMAP session");
  }
  auto opened = idle.Open();
  if (!opened && idle.Interrupted()) {
    return Fail(ErrorCode::kUnavailable, "connecting to IMAP server " + config.endpoint.host + ":" +
                                             std::to_string(config.endpoint.port) +
                                             ": interrupted");
  }
  if (!opened) return Fail(opened.error());
  return idle;
}

Result<void> ImapIdle::Open() {
  mailimap* session = session_.get();
  const ImapMailboxConfig& config = config_;
  // Every blocking step (connect, handshake, one command's reply) gives up after this.
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(config.endpoint.connect_timeout).count();
  mailimap_set_timeout(session, std::max<time_t>(1, seconds));

  Connection connection(session, config);
  if (auto opened = connection.Open(interrupt_); !opened) return opened;
  if (!config.endpoint.username.empty()) {
    if (auto ok = connection.Check(mailimap_login(session, config.endpoint.username.c_str(),
                                                  config.endpoint.password.c_str()),
                                   "logging in");
        !ok) {
      return ok;
    }
  }
  // After login: servers announce more (IDLE among them) to an authenticated client.
  if (auto ok = connection.Check(AskCapabilities(session), "asking for capabilities"); !ok) {
    return ok;
  }
  if (auto ok =
          connection.Check(mailimap_examine(session, config.folder.c_str()), "opening the folder");
      !ok) {
    return ok;
  }
  supports_idle_ = mailimap_has_idle(session) != 0;
  return {};
}

Result<IdleEvent> ImapIdle::Wait(std::chrono::milliseconds timeout,
                                 const std::function<bool()>& stop) {
  if (!supports_idle_) {
    return Fail(ErrorCode::kInvalidArgument,
                "IMAP server " + config_.endpoint.host + " does not support IDLE");
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (stop() || Interrupted()) return IdleEvent::kStopped;
    const auto now = Clock::now();
    if (now >= deadline) return IdleEvent::kTimeout;
    auto changed = IdleRound(std::min<Clock::time_point>(deadline, now + kMaxIdleRound), stop);
    if (!changed && Interrupted()) return IdleEvent::kStopped;  // the socket was shut down
    if (!changed) return Fail(changed.error());
    if (*changed) return IdleEvent::kChanged;
  }
}

// One IDLE ... DONE: true if the server reported a change meanwhile.
Result<bool> ImapIdle::IdleRound(Clock::time_point until, const std::function<bool()>& stop) {
  mailimap* session = session_.get();
  Connection connection(session, config_);
  session->imap_selection_info->sel_has_exists = 0;
  session->imap_selection_info->sel_has_recent = 0;
  if (auto ok =
          connection.Check(mailimap_idle(session), "starting IDLE on " + config_.endpoint.host);
      !ok) {
    return Fail(ok.error());
  }
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0 || stop() || Interrupted()) break;
    auto readable = Readable(std::min<std::chrono::milliseconds>(left, std::chrono::seconds(1)));
    if (!readable) return Fail(readable.error());
    if (*readable) break;
  }
  // Interrupted: the socket reads end-of-file, so no DONE round trip (Wait says kStopped).
  if (Interrupted()) return Fail(ErrorCode::kUnavailable, "interrupted");
  // DONE makes the server finish IDLE; libetpan reads the untagged responses up to the
  // tagged OK and files them in the session's selection and response info.
  if (auto ok =
          connection.Check(mailimap_idle_done(session), "ending IDLE on " + config_.endpoint.host);
      !ok) {
    return Fail(ok.error());
  }
  const mailimap_response_info* info = session->imap_response_info;
  const bool expunged =
      info != nullptr && info->rsp_expunged != nullptr && clist_count(info->rsp_expunged) > 0;
  const bool fetched =
      info != nullptr && info->rsp_fetch_list != nullptr && clist_count(info->rsp_fetch_list) > 0;
  return session->imap_selection_info->sel_has_exists ||
         session->imap_selection_info->sel_has_recent || expunged || fetched;
}

// Whether the server sent something, waiting at most `at_most`. Bytes libetpan already
// read into its buffer count too: the socket would not show them.
Result<bool> ImapIdle::Readable(std::chrono::milliseconds at_most) {
  mailimap* session = session_.get();
  if (session->imap_stream->read_buffer_len > 0) return true;
  pollfd watched{mailimap_idle_get_fd(session), POLLIN, 0};
  const int ready = poll(&watched, 1, static_cast<int>(at_most.count()));
  if (ready < 0 && errno != EINTR) {
    return Fail(ErrorCode::kUnavailable,
                "waiting for IMAP server " + config_.endpoint.host + ": " + std::strerror(errno));
  }
  return ready > 0;
}

}  // namespace redress::email::transport
