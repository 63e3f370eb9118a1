// The `mail_send` job (scheduled by app::OutboundMailReactor): sends one outbox entry with
// SmtpSender and records what became of it as a `delivery` event on the case, with the
// outbox row updated in the same write that completes the job:
//
//   accepted          status "sent" (recipients the server refused at RCPT TO, if any,
//                     are listed with its reply under "refused")
//   temporary failure status "deferred" with "retry_at" from transport::RetryPolicy, and a
//                     follow-up job "outbox:<id>:<attempt>" due then; once the policy gives
//                     up (give_up_after since the entry was queued), status "failed"
//   permanent failure status "failed" with the server's reply (5xx) as "detail"
//
// The SMTP conversation runs outside any write (JobRunner::RegisterWork), so the store's
// writer never waits on the network.
//
// Exactly once, and where SMTP makes it at-least-once: the job queue leases the entry to
// one node, and the send is recorded in the write that completes the job; a node that
// loses its lease records nothing. But if a node dies (or loses its lease) after the server
// accepted the DATA and before that write commits, the job is run again and the message is
// sent a second time. SMTP has no way to ask "did you already take this?", so a message may
// arrive twice in that window; both copies carry the same Message-ID, which mail clients
// use to show one. The runner's lease must exceed one SMTP attempt (connect timeout plus
// operation timeout) so that a slow server alone never causes a second send.
#pragma once

#include <functional>

#include "app/case_service.h"
#include "channels/email/transport/retry_policy.h"
#include "channels/email/transport/smtp_sender.h"
#include "engine/job_runner.h"
#include "store/store.h"

namespace redress::engine {

struct MailSendOptions {
  email::transport::SmtpConfig smtp;
  email::transport::RetryPolicy retry;
  /// Uniform in [0, 1), for the retry jitter; tests fix it.
  std::function<double()> jitter_sample;
};

JobWork MailSendWork(store::Store& store, const app::CaseService& cases, MailSendOptions options);

/// Registers MailSendWork under app::kMailSendJobKind.
void RegisterMailSendJob(JobRunner& runner, store::Store& store, const app::CaseService& cases,
                         MailSendOptions options);

}  // namespace redress::engine
