#include "engine/policy_refresh_job.h"

#include <boost/json/parse.hpp>

#include "app/escalation_reactor.h"

namespace redress::engine {
namespace {

struct Chunk {
  int64_t version = 0;
  int64_t after_case_id = 0;
};

Result<Chunk> ChunkOf(const store::ClaimedJob& job) {
  boost::system::error_code ec;
  const boost::json::value payload = boost::json::parse(job.payload, ec);
  const boost::json::object* object = ec ? nullptr : payload.if_object();
  const boost::json::value* version = object ? object->if_contains("version") : nullptr;
  const boost::json::value* after = object ? object->if_contains("after_case_id") : nullptr;
  if (version == nullptr || !version->is_int64() || after == nullptr || !after->is_int64()) {
    return Fail(ErrorCode::kCorruption,
                "policy_refresh job " + job.key +
                    ": payload must be {\"version\": N, \"after_case_id\": N}, got " + job.payload);
  }
  return Chunk{version->as_int64(), after->as_int64()};
}

}  // namespace

JobHandler PolicyRefreshHandler(store::Store& reads, const app::PolicyHolder& policies) {
  return [&reads, &policies](store::WriteTx& tx, const store::ClaimedJob& job,
                             Timestamp now) -> Result<void> {
    auto chunk = ChunkOf(job);
    if (!chunk) return Fail(chunk.error());
    const app::RunningPolicy running = policies.Current();
    if (running.version > chunk->version) return {};  // superseded by a newer replacement
    if (running.version < chunk->version) {
      return Fail(ErrorCode::kUnavailable,
                  "this node runs policy version " + std::to_string(running.version) +
                      ", not yet version " + std::to_string(chunk->version));
    }
    auto ids = reads.ListCaseIds(chunk->after_case_id, kRefreshChunk);
    if (!ids) return Fail(ids.error());
    for (int64_t id : *ids) {
      auto state = tx.LoadCaseForUpdate(id);
      if (!state) return Fail(state.error());
      if (state->status == domain::CaseStatus::kClosed) continue;
      if (auto scheduled = app::ScheduleDeadlines(tx, *state, *running.policy, now); !scheduled) {
        return scheduled;
      }
    }
    if (static_cast<int>(ids->size()) < kRefreshChunk) return {};
    return app::SchedulePolicyRefresh(tx, chunk->version, ids->back(), now);
  };
}

void RegisterPolicyRefreshJob(JobRunner& runner, store::Store& reads,
                              const app::PolicyHolder& policies) {
  runner.Register(app::kPolicyRefreshJobKind, PolicyRefreshHandler(reads, policies));
}

}  // namespace redress::engine
