// Everything one serve process needs for escalation, built in one place so the
// composition root stays short: the running policy (app::PolicyHolder, polled for other
// nodes' changes), the reactor that evaluates triggers and schedules deadlines on every
// case write, and this node's JobRunner with the SLA deadline job and the policy refresh
// job (due times recomputed after an admin replaces the policy) registered. Other job
// kinds (outbound mail, mailbox polls) register on jobs() before Start().
#pragma once

#include <memory>
#include <string>

#include "app/case_service.h"
#include "app/escalation_reactor.h"
#include "app/policy_holder.h"
#include "core/clock.h"
#include "core/result.h"
#include "engine/job_runner.h"
#include "store/store.h"

namespace redress::engine {

class EscalationWiring {
 public:
  /// Loads the policy (database > `policy_file` > built-in), adds the reactor to `cases`
  /// (so before the first write) and registers the deadline job. Nothing runs yet.
  static Result<std::unique_ptr<EscalationWiring>> Build(store::Store& store, Clock& clock,
                                                         app::CaseService& cases,
                                                         const std::string& policy_file);
  ~EscalationWiring();  // stops the runner and the poller

  /// Starts the job runner (a pass every 0.5 s) and the policy poller (every second).
  void Start();

  app::PolicyHolder& policies() { return *policies_; }
  JobRunner& jobs() { return *jobs_; }

 private:
  EscalationWiring() = default;

  std::unique_ptr<app::PolicyHolder> policies_;
  std::unique_ptr<app::EscalationReactor> reactor_;
  std::unique_ptr<JobRunner> jobs_;
};

/// "host:pid:random": unique per node process, for job leases.
std::string NodeOwnerName();

}  // namespace redress::engine
