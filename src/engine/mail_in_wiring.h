// Inbound mail for one serve process, built in one place so the composition root stays
// short: the thread-token signer and app::MailIntake behind POST /api/v1/inbound/email,
// and the IMAP poller of the configured [[mail.mailboxes]] (engine/mail_poll_job.h).
// Without [mail] addresses there is no intake (the route answers 503) and no poller.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/case_service.h"
#include "app/mail_config.h"
#include "app/mail_intake.h"
#include "channels/email/thread_token.h"
#include "core/clock.h"
#include "core/result.h"
#include "engine/mail_poll_job.h"
#include "store/store.h"

namespace redress::engine {

class MailInWiring {
 public:
  /// Reads the thread key and every mailbox's password file; a bad setting is an error
  /// naming it (the server does not start). Nothing runs yet.
  static Result<std::unique_ptr<MailInWiring>> Build(store::Store& store, Clock& clock,
                                                     const app::CaseService& cases,
                                                     const app::MailConfig& mail,
                                                     std::string owner);

  /// Starts polling the mailboxes (if any).
  Result<void> Start();

  /// Null when mail is not configured.
  const app::MailIntake* intake() const { return intake_.get(); }

 private:
  MailInWiring() = default;

  std::optional<email::ThreadTokenSigner> signer_;
  std::unique_ptr<app::MailIntake> intake_;
  std::unique_ptr<MailPoller> poller_;  // last: destroyed (and stopped) before the intake
};

}  // namespace redress::engine
