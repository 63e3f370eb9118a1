// `redress serve`: the composition root. Builds the real implementations of every
// interface (store, clock, metrics, authenticator), registers the routes and runs the
// server until SIGINT or SIGTERM.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "app/auth_service.h"
#include "app/escalation_reactor.h"
#include "app/log.h"
#include "app/metrics.h"
#include "app/open_store.h"
#include "app/services.h"
#include "app/test_clock.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/time_format.h"
#include "engine/escalation_wiring.h"
#include "engine/mail_in_wiring.h"
#include "engine/mail_wiring.h"
#include "http/api/credential_authenticator.h"
#include "http/api/routes.h"
#include "http/router.h"
#include "http/server.h"
#include "lmtp/lmtp_server.h"

namespace redress::cli {
namespace {

struct ServeOptions {
  std::optional<std::string> listen;
  std::optional<int> threads;
  std::optional<std::string> port_file;
  std::optional<std::string> web_root;
  bool test_clock = false;
  std::optional<std::string> test_clock_start;
  std::optional<std::string> escalation_policy;
};

/// Writes the port atomically (temp file + rename) so a watcher never reads half a number.
Result<void> WritePortFile(const std::string& path, uint16_t port) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) {
      return Fail(ErrorCode::kUnavailable, "cannot write the port file " + temp);
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return Fail(ErrorCode::kUnavailable, "cannot rename " + temp + " to " + path);
  }
  return {};
}

int Serve(const app::Config& config, const ServeOptions& options) {
  app::InitLogging(config.log_level, config.log_format);
  auto store = app::OpenStore(config.db, app::MigratePolicy::kApply);
  if (!store) {
    PrintError(store.error());
    return 1;
  }
  SystemClock system_clock;
  std::optional<app::TestClock> test_clock;
  if (options.test_clock) {
    Timestamp start = system_clock.Now();
    if (options.test_clock_start) {
      auto parsed = ParseTimestamp(*options.test_clock_start);
      if (!parsed) {
        PrintError(Error{ErrorCode::kInvalidArgument,
                         "--test-clock-start must be an RFC 3339 time: " + parsed.error().message,
                         {}});
        return 2;
      }
      start = *parsed;
    }
    test_clock.emplace(start);
  }
  Clock& clock = test_clock ? static_cast<Clock&>(*test_clock) : system_clock;
  app::Metrics metrics;
  boost::asio::thread_pool cpu_pool(2);
  app::CaseService cases(**store);
  app::Services services{**store, clock, config, metrics, cases, cpu_pool};
  if (test_clock) services.test_clock = &*test_clock;

  // ---- escalation: the running policy, the reactor on every case write, this node's job
  // runner (SLA deadlines; other channels register their job kinds on `escalation.jobs()`
  // before Start).
  auto escalation = engine::EscalationWiring::Build(**store, clock, cases,
                                                    config.escalation_policy_file);
  if (!escalation) {
    PrintError(escalation.error());
    return 2;
  }
  services.policies = &(*escalation)->policies();
  if (test_clock) {
    // Acceptance tests: a reply to "move the clock" comes after every deadline it passed.
    test_clock->OnMoved([&wiring = **escalation](Timestamp) { wiring.jobs().RunUntilIdle(); });
  }
  // ---- end escalation (started below, once the stop signals are blocked)
  // Outbound mail (engine/mail_wiring.h): null when [mail.smtp] is not configured.
  auto mail_out = engine::MailWiring::Build(**store, clock, cases, config.mail,
                                            &(*escalation)->policies());
  if (!mail_out) {
    PrintError(mail_out.error());
    return 2;
  }
  if (test_clock && *mail_out) {
    test_clock->OnMoved([&wiring = **mail_out](Timestamp) { wiring.jobs().RunUntilIdle(); });
  }
  // ---- inbound mail: the intake behind POST /api/v1/inbound/email, the IMAP pollers
  auto mail_in = engine::MailInWiring::Build(**store, clock, cases, config.mail,
                                             engine::NodeOwnerName());
  if (!mail_in) {
    PrintError(mail_in.error());
    return 2;
  }
  services.mail_intake = (*mail_in)->intake();
  app::AuthService auth(**store, clock, config);
  http::api::CredentialAuthenticator authenticator(auth);
  http::Router router;
  http::api::RegisterAllRoutes(router);
  if (test_clock) {
    http::api::RegisterTestClockRoutes(router);
    app::Log(app::LogLevel::kWarn, "test clock enabled: time stands still until an admin moves it",
             {{"now", FormatTimestamp(test_clock->Now())}});
  }

  // Block the stop signals in every thread (the server's threads inherit this mask) and
  // wait for them here, so shutdown runs in one known place.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // What the job runners do shows in /metrics (a failing deadline timer is retried, and
  // without this only its log line would say so).
  auto count_pass = [&metrics](const engine::PassReport& pass) {
    metrics.BackgroundDone().Inc(pass.done);
    metrics.BackgroundRetried().Inc(pass.retried);
    metrics.BackgroundLost().Inc(pass.lost);
    metrics.BackgroundErrors().Inc(pass.errors);
  };
  (*escalation)->jobs().OnPass(count_pass);
  if (*mail_out) (*mail_out)->jobs().OnPass(count_pass);
  (*escalation)->Start();
  if (*mail_out) (*mail_out)->Start();
  if (auto started = (*mail_in)->Start(); !started) {
    PrintError(started.error());
    return 1;
  }

  auto server_options = http::ServerOptionsFromConfig(config);
  if (!server_options) {
    PrintError(server_options.error());
    return 2;
  }
  if (!config.web_root.empty()) {
    auto site = http::StaticSite::Load(config.web_root);
    if (!site) {
      PrintError(site.error());
      return 2;
    }
    server_options->site = *site;
    app::Log(app::LogLevel::kInfo, "serving the web front end",
             {{"root", config.web_root}, {"files", static_cast<int64_t>((*site)->file_count())}});
  }
  // ---- the LMTP listener ([mail.lmtp]): the MTA's door for many messages per connection.
  // Declared before the HTTP server and, like it, destroyed only after the store has
  // drained its writes (their completions are posted to its io_context).
  std::optional<lmtp::LmtpServer> lmtp_server;
  if (config.mail.lmtp && services.mail_intake != nullptr) {
    lmtp_server.emplace(**store, clock, *services.mail_intake, services.cpu,
                        lmtp::LmtpRecipients::From(config.mail),
                        lmtp::LmtpServerOptionsFrom(config.mail));
    auto bound = lmtp_server->Start();
    if (!bound) {
      PrintError(bound.error());
      return 1;
    }
    std::printf("Redress takes LMTP on %s\n", bound->c_str());
  }
  http::Server server(services, router, authenticator, *server_options);
  auto port = server.Start();
  if (!port) {
    PrintError(port.error());
    return 1;
  }
  // Stops everything in an order where nothing outlives what it posts to: the servers' I/O
  // threads first, then the runners, then the CPU pool (a parse still running there posts
  // its result to a server's io_context, and an HTTP handler's pool work may read the
  // store), and the store last: its queued writes post their completions to the servers'
  // io_contexts, which exist until this function returns.
  auto stop_all = [&] {
    server.Stop();
    if (lmtp_server) lmtp_server->Stop();
    server.Wait();
    if (lmtp_server) lmtp_server->Wait();
    mail_out->reset();    // stops the mail runner (after its current SMTP attempt)
    mail_in->reset();     // stops the mailbox poller after the message in progress
    escalation->reset();  // stops the job runner and the policy poller
    cpu_pool.join();
    store->reset();
  };
  const std::string& host = server_options->host;
  app::Log(app::LogLevel::kInfo, "serving",
           {{"listen", host + ":" + std::to_string(*port)}, {"db", config.db},
            {"threads", config.threads}});
  std::printf("Redress is serving on http://%s:%u\n", host.c_str(), static_cast<unsigned>(*port));
  std::fflush(stdout);
  if (options.port_file) {
    if (auto written = WritePortFile(*options.port_file, *port); !written) {
      PrintError(written.error());
      stop_all();
      return 1;
    }
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  app::Log(app::LogLevel::kInfo, "stopping", {{"signal", signal_number}});
  stop_all();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API until SIGINT or SIGTERM");
  auto options = std::make_shared<ServeOptions>();
  cmd->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  cmd->add_option("--listen", options->listen, "host:port to listen on (port 0 = any free)");
  cmd->add_option("--threads", options->threads, "I/O threads");
  cmd->add_option("--port-file", options->port_file,
                  "Write the bound port to this file once listening");
  cmd->add_option("--web-root", options->web_root,
                  "Serve the built web front end from this directory (e.g. web/dist)");
  cmd->add_option("--escalation-policy", options->escalation_policy,
                  "Escalation matrix (TOML, see docs/escalation.md); a policy an admin stored "
                  "through the API takes precedence");
  cmd->add_flag("--test-clock", options->test_clock,
                "For acceptance tests only: time stands still and admins move it through "
                "/api/v1/test-clock");
  cmd->add_option("--test-clock-start", options->test_clock_start,
                  "Start time of the test clock (RFC 3339; default: now)")
      ->needs("--test-clock");
  cmd->callback([&global, options] {
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = 2;
      return;
    }
    if (options->listen) config->listen = *options->listen;
    if (options->threads) config->threads = *options->threads;
    if (options->web_root) config->web_root = *options->web_root;
    if (options->escalation_policy) config->escalation_policy_file = *options->escalation_policy;
    if (auto valid = app::ValidateConfig(*config); !valid) {
      PrintError(valid.error());
      global.exit_code = 2;
      return;
    }
    global.exit_code = Serve(*config, *options);
  });
}

}  // namespace redress::cli
