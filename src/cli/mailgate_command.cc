// `redress mailgate`: the MTA pipe. Reads one message from stdin and hands it over:
//
//  * `--url http://host:port --token-file F [--mailbox NAME]`: to a running server
//    (POST /api/v1/inbound/email), so the mail host needs no database access, only a
//    mailgate account's token (from the file, or $REDRESS_MAILGATE_TOKEN; never argv);
//  * `--db ...`: straight into the database through app::MailIntake.
//
// Either way it exits with what the MTA understands (channels/email/transport/
// mailgate_exit.h): 0 only once the raw message is durably stored, 75 when it could not
// be stored (server or database unreachable, a 5xx, a timeout, a wrong token: the MTA
// retries), 65 only for input that is not a message at all, or over HTTP a message the
// server refuses as too large (413). On 65 the reason goes to stderr, which MTAs quote in
// the bounce, so the sender reads why.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "app/case_service.h"
#include "app/mail_config.h"
#include "app/mail_intake.h"
#include "app/outbound_mail_reactor.h"
#include "app/open_store.h"
#include "channels/email/transport/http_submission.h"
#include "channels/email/transport/mailgate_exit.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "engine/escalation_wiring.h"

namespace redress::cli {
namespace {

namespace transport = email::transport;

Result<std::string> ReadStdin(int64_t hard_limit) {
  std::string raw;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n == 0) return raw;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrorCode::kUnavailable, std::string("reading stdin: ") + std::strerror(errno));
    }
    raw.append(buffer, static_cast<size_t>(n));
    if (static_cast<int64_t>(raw.size()) > hard_limit) {
      return Fail(ErrorCode::kPayloadTooLarge,
                  "the message is larger than " + std::to_string(hard_limit) +
                      " bytes, twice [mail] max_message_bytes; not stored");
    }
  }
}

int Mailgate(const app::Config& config, const std::string& source) {
  // Every failure here is ours (configuration, store), never the sender's: the MTA keeps
  // the message and retries. Only input that is not a message at all bounces (below).
  auto fail = [](const Error& error) {
    PrintError(error);
    return transport::kExitTryLater;
  };
  if (!config.mail.enabled()) {
    return fail(Error{ErrorCode::kUnavailable,
                      "[mail] addresses is not configured: mail cannot be filed", "mail"});
  }
  auto key = app::LoadThreadKey(config.mail);
  if (!key) return fail(key.error());
  auto signer = email::ThreadTokenSigner::Create(*key);
  if (!signer) return fail(signer.error());
  // Read everything the MTA gives before anything can fail later, up to a hard bound.
  auto raw = ReadStdin(config.mail.max_message_bytes * 2);
  if (!raw) return fail(raw.error());
  auto store = app::OpenStore(config.db, app::MigratePolicy::kRequire);
  if (!store) return fail(Error{ErrorCode::kUnavailable, store.error().message, {}});
  app::CaseService cases(**store);
  // The escalation reactor sees every case write, whoever makes it: a customer's third
  // email escalates by repeat contact and a new case gets its SLA deadlines, exactly as if
  // the mail had come through the server. Nothing is started here (no job runner).
  SystemClock clock;
  auto escalation =
      engine::EscalationWiring::Build(**store, clock, cases, config.escalation_policy_file);
  if (!escalation) return fail(Error{ErrorCode::kUnavailable, escalation.error().message, {}});
  // Acknowledgements are queued in the same write as the new case; a running server's
  // mail runner sends them (engine/mail_send_job.h).
  std::optional<app::OutboundMailReactor> outbound;
  if (app::OutboundMailConfigured(config.mail)) {
    // With the policies, so an escalation notice says when the next step is due.
    outbound.emplace(*signer, &(*escalation)->policies(),
                     app::OutboundMailOptionsFrom(config.mail));
    cases.AddReactor(*outbound);
  }
  app::MailIntake intake(cases, *signer, app::MailIntakeOptionsFrom(config.mail));
  auto result = intake.IngestNow(**store, std::move(*raw), app::MailSource{source, ""}, clock.Now());
  if (!result) return fail(result.error());
  std::fprintf(stderr, "redress mailgate: %s%s%s\n", app::IntakeOutcomeName(result->outcome),
               result->case_id ? (" case " + std::to_string(*result->case_id)).c_str() : "",
               result->detail.empty() ? "" : ("; " + result->detail).c_str());
  if (result->outcome == app::IntakeOutcome::kNotAMessage) {
    return transport::kExitNotAMessage;
  }
  return transport::kExitStored;
}

struct UrlOptions {
  std::string url;
  std::string token_file;
  std::string mailbox;
  int timeout_seconds = 120;
};

// The token: the file's content, else $REDRESS_MAILGATE_TOKEN. Never a command-line value.
Result<std::string> MailgateToken(const UrlOptions& options) {
  if (!options.token_file.empty()) return app::ReadSecretFile(options.token_file, "--token-file");
  const char* env = std::getenv("REDRESS_MAILGATE_TOKEN");
  if (env != nullptr && *env != '\0') return std::string(env);
  return Fail(ErrorCode::kInvalidArgument,
              "--url needs a token: --token-file FILE or $REDRESS_MAILGATE_TOKEN");
}

int MailgateOverHttp(const UrlOptions& options) {
  auto fail = [](const Error& error) {
    PrintError(error);
    return transport::kExitTryLater;
  };
  auto token = MailgateToken(options);
  if (!token) return fail(token.error());
  // The server enforces its own limit (413); this bound only keeps a runaway pipe from
  // exhausting memory on the mail host.
  auto raw = ReadStdin(int64_t{256} << 20);
  if (!raw) {
    PrintError(raw.error());
    return raw.error().code == ErrorCode::kPayloadTooLarge ? transport::kExitNotAMessage
                                                           : transport::kExitTryLater;
  }
  transport::HttpSubmission submission{options.url, *token, options.mailbox, "",
                                       std::chrono::seconds(options.timeout_seconds)};
  auto reply = transport::SubmitOverHttp(submission, *raw);
  if (!reply) return fail(reply.error());
  const auto outcome = transport::MailgateOutcomeOfHttpStatus(reply->status);
  // The server's JSON (or problem document) says what happened; it holds no secret.
  std::string body = reply->body.substr(0, 2000);
  for (char& c : body) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  switch (outcome) {
    case transport::MailgateOutcome::kStored:
      std::fprintf(stderr, "redress mailgate: stored (HTTP %d) %s\n", reply->status, body.c_str());
      break;
    case transport::MailgateOutcome::kTooLarge:
      std::fprintf(stderr,
                   "redress mailgate: the message (%zu bytes) is larger than this help desk "
                   "accepts and was not delivered; please send large files another way, for "
                   "example as a link. (HTTP 413) %s\n",
                   raw->size(), body.c_str());
      break;
    case transport::MailgateOutcome::kNotAMessage:
      std::fprintf(stderr,
                   "redress mailgate: the input is not an email message and was not filed "
                   "(HTTP %d) %s\n",
                   reply->status, body.c_str());
      break;
    case transport::MailgateOutcome::kCouldNotStore:
      std::fprintf(stderr, "redress mailgate: not stored, try again later (HTTP %d) %s\n",
                   reply->status, body.c_str());
      break;
  }
  return transport::MailgateExitCode(outcome);
}

}  // namespace

void AddMailgateCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand(
      "mailgate", "Read one email on stdin and file it (for an MTA pipe); exit 0 stored, "
                  "75 try again later, 65 not a message");
  auto* db = cmd->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  auto source = std::make_shared<std::string>("mailgate");
  cmd->add_option("--source", *source, "Where the mail came from, kept with it (with --db)");
  auto url = std::make_shared<UrlOptions>();
  auto* url_option = cmd->add_option(
      "--url", url->url, "Hand the message to a running server (http://host:port) instead of --db");
  url_option->excludes(db);
  cmd->add_option("--token-file", url->token_file,
                  "With --url: file holding a mailgate account's token (else "
                  "$REDRESS_MAILGATE_TOKEN)")
      ->needs(url_option);
  cmd->add_option("--mailbox", url->mailbox,
                  "With --url: the [[mail.mailboxes]] name the mail arrived for (its queue)")
      ->needs(url_option);
  cmd->add_option("--timeout", url->timeout_seconds, "With --url: seconds to wait for the server")
      ->needs(url_option)
      ->check(CLI::Range(1, 3600));
  cmd->callback([&global, source, url] {
    if (!url->url.empty()) {
      global.exit_code = MailgateOverHttp(*url);
      return;
    }
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = transport::kExitTryLater;
      return;
    }
    global.exit_code = Mailgate(*config, *source);
  });
}

}  // namespace redress::cli
