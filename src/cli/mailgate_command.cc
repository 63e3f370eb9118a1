// `redress mailgate --db ...`: the MTA pipe. Reads one message from stdin, files it
// straight into the database through app::MailIntake (the same path as every other door
// for mail) and exits with what the MTA understands (channels/email/transport/
// mailgate_exit.h): 0 only once the raw message is durably stored, 75 when it could not
// be stored (database locked or unreachable: the MTA retries), 65 only for input that is
// not a message at all (it is still stored, as received). It writes to the database
// directly, so --db (or the config's database) is required; handing the message to a
// running server over HTTP instead is an open item of issue 5 (no inbound route yet).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "app/case_service.h"
#include "app/mail_intake.h"
#include "app/outbound_mail_reactor.h"
#include "app/open_store.h"
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
  auto fail = [](const Error& error) {
    PrintError(error);
    return transport::MailgateExitCode(transport::MailgateOutcomeOf(Fail(error)));
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
    outbound.emplace(*signer, nullptr, app::OutboundMailOptionsFrom(config.mail));
    cases.AddReactor(*outbound);
  }
  app::MailIntake intake(cases, *signer,
                         app::MailIntakeOptions{config.mail.addresses,
                                                config.mail.max_message_bytes,
                                                config.mail.max_attachment_bytes});
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

}  // namespace

void AddMailgateCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand(
      "mailgate", "Read one email on stdin and file it (for an MTA pipe); exit 0 stored, "
                  "75 try again later, 65 not a message");
  cmd->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  auto source = std::make_shared<std::string>("mailgate");
  cmd->add_option("--source", *source, "Where the mail came from, kept with it");
  cmd->callback([&global, source] {
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = transport::kExitTryLater;
      return;
    }
    global.exit_code = Mailgate(*config, *source);
  });
}

}  // namespace redress::cli
