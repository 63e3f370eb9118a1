#include "engine/escalation_wiring.h"

#include <unistd.h>

#include <array>
#include <random>

#include "engine/policy_refresh_job.h"
#include "engine/sla_deadline_timer.h"

namespace redress::engine {

std::string NodeOwnerName() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  std::random_device random;
  return std::string(host.data()) + ":" + std::to_string(getpid()) + ":" +
         std::to_string(random());
}

Result<std::unique_ptr<EscalationWiring>> EscalationWiring::Build(store::Store& store,
                                                                  Clock& clock,
                                                                  app::CaseService& cases,
                                                                  const std::string& policy_file) {
  auto policies = app::PolicyHolder::Load(store, clock, policy_file);
  if (!policies) return Fail(policies.error());
  std::unique_ptr<EscalationWiring> wiring(new EscalationWiring());
  wiring->policies_ = std::move(*policies);
  wiring->reactor_ = std::make_unique<app::EscalationReactor>(store, *wiring->policies_);
  cases.AddReactor(*wiring->reactor_);
  JobRunnerOptions options;
  options.owner = NodeOwnerName();
  wiring->jobs_ = std::make_unique<JobRunner>(store, clock, options);
  RegisterSlaDeadlineTimers(*wiring->jobs_, cases, *wiring->policies_);
  RegisterPolicyRefreshJob(*wiring->jobs_, store, *wiring->policies_);
  return wiring;
}

EscalationWiring::~EscalationWiring() {
  if (jobs_) jobs_->Stop();
}

void EscalationWiring::Start() {
  jobs_->Start();
  policies_->StartPolling();
}

}  // namespace redress::engine
