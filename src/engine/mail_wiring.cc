#include "engine/mail_wiring.h"

#include <chrono>
#include <utility>

#include "app/log.h"
#include "app/mail_server_endpoint.h"
#include "engine/escalation_wiring.h"
#include "engine/mail_send_job.h"

namespace redress::engine {

Result<std::unique_ptr<MailWiring>> MailWiring::Build(store::Store& store, Clock& clock,
                                                      app::CaseService& cases,
                                                      const app::MailConfig& mail,
                                                      const app::PolicyHolder* policies) {
  if (!app::OutboundMailConfigured(mail)) {
    app::Log(app::LogLevel::kInfo,
             "outbound mail is not configured ([mail] addresses and [mail.smtp]): replies, "
             "acknowledgements and escalation notices are not mailed");
    return std::unique_ptr<MailWiring>();
  }
  auto key = app::LoadThreadKey(mail);
  if (!key) return Fail(key.error());
  auto signer = email::ThreadTokenSigner::Create(*key);
  if (!signer) return Fail(signer.error());
  auto endpoint = app::ToMailEndpoint(*mail.smtp, app::kSmtpSchemes, "mail.smtp");
  if (!endpoint) return Fail(endpoint.error());

  std::unique_ptr<MailWiring> wiring(new MailWiring());
  wiring->signer_ = std::make_unique<email::ThreadTokenSigner>(std::move(*signer));
  wiring->reactor_ = std::make_unique<app::OutboundMailReactor>(
      *wiring->signer_, policies, app::OutboundMailOptionsFrom(mail));
  cases.AddReactor(*wiring->reactor_);

  MailSendOptions send;
  send.smtp.endpoint = std::move(*endpoint);
  const std::string& from = mail.addresses.front();
  send.smtp.helo_name = from.substr(from.find('@') + 1);  // our mail domain
  JobRunnerOptions runner;
  runner.owner = NodeOwnerName();
  runner.batch = 1;  // claim one, send it, record it: no claimed job waits behind a slow one
  runner.lease = std::chrono::duration_cast<std::chrono::microseconds>(
      send.smtp.endpoint.connect_timeout + send.smtp.endpoint.operation_timeout +
      std::chrono::minutes(1));
  wiring->jobs_ = std::make_unique<JobRunner>(store, clock, runner);
  app::Log(app::LogLevel::kInfo, "outbound mail enabled",
           {{"from", from}, {"smtp", mail.smtp->url},
            {"tls", email::transport::TlsModeName(send.smtp.endpoint.tls)}});
  RegisterMailSendJob(*wiring->jobs_, store, cases, std::move(send));
  return wiring;
}

}  // namespace redress::engine
