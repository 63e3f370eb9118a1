// The `policy_refresh` job: after an admin replaces the escalation policy, every case's
// stored due time (cases.next_due_at) and deadline job are recomputed with the new policy,
// so the breaching-soon queue and the deadlines are right at once rather than at each
// case's next write. PolicyHolder::Replace schedules the first job in the write that
// stores the policy; each job refreshes the next kRefreshChunk cases in id order, in its
// own write, and schedules the job for the chunk after, so a million cases are walked in
// small writes that never hold the writer for long, and a node that dies mid-walk leaves
// the current chunk's job to be taken over.
//
// A job for a policy version this node does not run yet (it has not polled the new one)
// is retried after a backoff; a job for a version older than the running one finds it
// superseded (the newer replacement walks the cases itself) and does nothing.
#pragma once

#include <cstdint>
#include <string>

#include "app/policy_holder.h"
#include "core/result.h"
#include "engine/job_runner.h"
#include "store/store.h"

namespace redress::engine {

/// Cases refreshed per job (per write).
inline constexpr int kRefreshChunk = 500;

/// The handler; `reads` lists case ids (committed data).
JobHandler PolicyRefreshHandler(store::Store& reads, const app::PolicyHolder& policies);

/// Registers the handler under app::kPolicyRefreshJobKind.
void RegisterPolicyRefreshJob(JobRunner& runner, store::Store& reads,
                              const app::PolicyHolder& policies);

}  // namespace redress::engine
