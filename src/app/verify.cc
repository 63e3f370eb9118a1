#include "app/verify.h"

#include "domain/case_state.h"
#include "eventlog/hash_chain.h"

namespace redress::app {

Result<VerifyReport> VerifyAllCases(store::Store& store) {
  VerifyReport report;
  int64_t after = 0;
  constexpr int kBatch = 500;
  for (;;) {
    auto ids = store.ListCaseIds(after, kBatch);
    if (!ids) return Fail(ids.error());
    for (int64_t case_id : *ids) {
      after = case_id;
      ++report.cases;
      auto events = store.LoadEvents(case_id);
      if (!events) return Fail(events.error());
      report.events += static_cast<int64_t>(events->size());
      if (auto broken = eventlog::VerifyChain(*events)) {
        report.broken_case = broken->case_id != 0 ? broken->case_id : case_id;
        report.broken_seq = broken->seq;
        report.problem = broken->problem;
        return report;
      }
      auto folded = domain::Fold(*events);
      auto stored = store.GetCase(case_id);
      if (!stored) return Fail(stored.error());
      if (!folded) {
        report.broken_case = case_id;
        report.problem = "events do not fold: " + folded.error().message;
        return report;
      }
      if (!(*folded == *stored)) {
        report.broken_case = case_id;
        report.broken_seq = folded->last_seq + 1;
        report.problem = "the case row disagrees with its events (stored head seq " +
                         std::to_string(stored->last_seq) + " " + stored->head_hash +
                         ", events end at seq " + std::to_string(folded->last_seq) + " " +
                         folded->head_hash + ")";
        return report;
      }
    }
    if (static_cast<int>(ids->size()) < kBatch) break;
  }
  return report;
}

}  // namespace redress::app
