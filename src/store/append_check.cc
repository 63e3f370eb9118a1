#include "store/append_check.h"

#include <string>

#include "eventlog/hash_chain.h"

namespace redress::store {
namespace {

std::string CaseName(int64_t case_id) { return "case " + std::to_string(case_id); }

}  // namespace

Result<void> CheckAppendContinues(const std::optional<domain::CaseState>& before,
                                  const std::vector<domain::Event>& events,
                                  const domain::CaseState& after) {
  const std::string name = CaseName(after.id);
  if (events.empty()) return Fail(ErrorCode::kInvalidArgument, "no events to append to " + name);
  if (before && before->id != after.id) {
    return Fail(ErrorCode::kInvalidArgument,
                "appending to " + name + " with the state of " + CaseName(before->id));
  }
  int64_t seq = before ? before->last_seq : 0;
  std::string hash = before ? before->head_hash : std::string(eventlog::kGenesisHash);
  for (const domain::Event& event : events) {
    if (event.case_id != after.id) {
      return Fail(ErrorCode::kInvalidArgument,
                  "event of " + CaseName(event.case_id) + " appended to " + name);
    }
    if (event.seq != seq + 1 || event.prev_hash != hash) {
      return Fail(ErrorCode::kInvalidArgument,
                  "event seq " + std::to_string(event.seq) + " does not continue " + name +
                      " at seq " + std::to_string(seq) + " (hash " + hash.substr(0, 12) + "..)");
    }
    seq = event.seq;
    hash = event.hash;
  }
  if (after.last_seq != seq || after.head_hash != hash) {
    return Fail(ErrorCode::kInvalidArgument,
                "the new state of " + name + " ends at seq " + std::to_string(after.last_seq) +
                    " but its events end at seq " + std::to_string(seq));
  }
  return {};
}

}  // namespace redress::store
