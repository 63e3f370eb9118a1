#include "engine/mail_in_wiring.h"

#include <utility>

#include "app/log.h"

namespace redress::engine {

Result<std::unique_ptr<MailInWiring>> MailInWiring::Build(store::Store& store, Clock& clock,
                                                          const app::CaseService& cases,
                                                          const app::MailConfig& mail,
                                                          std::string owner) {
  std::unique_ptr<MailInWiring> wiring(new MailInWiring());
  if (!mail.enabled()) return wiring;
  auto key = app::LoadThreadKey(mail);
  if (!key) return Fail(key.error());
  auto signer = email::ThreadTokenSigner::Create(*key);
  if (!signer) return Fail(signer.error());
  wiring->signer_.emplace(std::move(*signer));
  wiring->intake_ =
      std::make_unique<app::MailIntake>(cases, *wiring->signer_, app::MailIntakeOptionsFrom(mail));
  if (!mail.mailboxes.empty()) {
    auto poller = MailPoller::Build(store, clock, *wiring->intake_, mail.mailboxes, std::move(owner));
    if (!poller) return Fail(poller.error());
    wiring->poller_ = std::move(*poller);
  }
  return wiring;
}

Result<void> MailInWiring::Start() {
  if (!poller_) return {};
  return poller_->Start();
}

}  // namespace redress::engine
