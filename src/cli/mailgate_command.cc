// `redress mailgate`: the MTA pipe. Reads one message from stdin and hands it over:
//
//  * `--url http://host:port --token-file F [--mailbox NAME]`: to a running server
//    (POST /api/v1/inbound/email), so the mail host needs no database access, only a
//    mailgate account's token (from the file, or $REDRESS_MAILGATE_TOKEN; never argv).
//    The lean `redress-mailgate` executable does the same (mailgate/url_mailgate.h) and
//    starts several times faster, so that is the one to give an MTA;
//  * `--db ...`: straight into the database through app::MailIntake.
//
// Either way it exits with what the MTA understands (mailgate/mailgate_exit.h): 0 only once the raw
// message is durably stored, 75 when it could not be stored (server or database unreachable, a 5xx,
// a timeout, a wrong token: the MTA retries), 65 only for input that is not a message at all, or
// over HTTP a message the server refuses as too large (413). On 65 the reason goes to stderr, which
// MTAs quote in the bounce, so the sender reads why.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "app/case_service.h"
#include "app/mail_config.h"
#include "app/mail_intake.h"
#include "app/open_store.h"
#include "app/outbound_mail_reactor.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "engine/escalation_wiring.h"
#include "mailgate/mailgate_exit.h"
#include "mailgate/url_mailgate.h"

namespace redress::cli {
namespace {

int Mailgate(const app::Config& config, const std::string& source) {
  // Every failure here is ours (configuration, store), never the sender's: the MTA keeps
  // the message and retries. Only input that is not a message at all bounces (below).
  auto fail = [](const Error& error) {
    PrintError(error);
    return mailgate::kExitTryLater;
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
  auto raw = mailgate::ReadMessageFromStdin(config.mail.max_message_bytes * 2);
  if (!raw) {
    return fail(Error{raw.error().code,
                      raw.error().message + " (the bound is twice [mail] max_message_bytes)",
                      {}});
  }
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
    return mailgate::kExitNotAMessage;
  }
  return mailgate::kExitStored;
}

}  // namespace

void AddMailgateCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand(
      "mailgate", "Read one email on stdin and file it (for an MTA pipe); exit 0 stored, "
                  "75 try again later, 65 not a message");
  auto* db = cmd->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  auto source = std::make_shared<std::string>("mailgate");
  cmd->add_option("--source", *source, "Where the mail came from, kept with it (with --db)");
  auto url = std::make_shared<mailgate::UrlMailgateOptions>();
  mailgate::AddUrlMailgateOptions(*cmd, *url)->excludes(db);
  cmd->callback([&global, source, url] {
    if (!url->url.empty()) {
      global.exit_code = mailgate::RunUrlMailgate(*url);
      return;
    }
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = mailgate::kExitTryLater;
      return;
    }
    global.exit_code = Mailgate(*config, *source);
  });
}

}  // namespace redress::cli
