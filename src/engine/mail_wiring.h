// Outbound mail for one serve process, built in one place so the composition root stays
// short: the thread token signer, the reactor that queues replies, acknowledgements and
// escalation notices on every case write, and a job runner of its own for `mail_send`.
//
// Why a runner of its own: an SMTP attempt may take minutes (a slow smarthost, a timeout),
// and the escalation runner works its kinds one job at a time; sharing it would hold SLA
// deadlines behind the mail. This runner claims one job at a time with a lease longer than
// one SMTP attempt (see engine/mail_send_job.h on at-least-once).
#pragma once

#include <memory>

#include "app/case_service.h"
#include "app/mail_config.h"
#include "app/outbound_mail_reactor.h"
#include "app/policy_holder.h"
#include "channels/email/thread_token.h"
#include "core/clock.h"
#include "core/result.h"
#include "engine/job_runner.h"
#include "store/store.h"

namespace redress::engine {

class MailWiring {
 public:
  /// Null (after one log line saying so) when outbound mail is not configured: [mail]
  /// addresses and [mail.smtp] are both needed. Errors for a configuration that cannot
  /// work (unreadable key or password file, bad SMTP url). Adds the reactor to `cases`, so
  /// call it before the first write. Nothing runs yet.
  static Result<std::unique_ptr<MailWiring>> Build(store::Store& store, Clock& clock,
                                                   app::CaseService& cases,
                                                   const app::MailConfig& mail,
                                                   const app::PolicyHolder* policies);

  void Start() { jobs_->Start(); }
  JobRunner& jobs() { return *jobs_; }

 private:
  MailWiring() = default;

  std::unique_ptr<email::ThreadTokenSigner> signer_;
  std::unique_ptr<app::OutboundMailReactor> reactor_;
  std::unique_ptr<JobRunner> jobs_;  // last: destroyed (and stopped) before what it uses
};

}  // namespace redress::engine
