#include "app/case_service.h"

#include <optional>
#include <utility>

#include "domain/permissions.h"
#include "eventlog/hash_chain.h"

namespace redress::app {
namespace {

// Reactions answer events with events (a breach escalates, the escalation is evaluated
// again); a policy that kept answering would be a bug, not a case history.
constexpr int kMaxReactionRounds = 8;

Result<CaseChange> SealAndAppend(store::WriteTx& tx, const std::optional<domain::CaseState>& before,
                                 int64_t case_id, std::vector<domain::EventDraft> drafts) {
  const int64_t head_seq = before ? before->last_seq : 0;
  const std::string head_hash = before ? before->head_hash : std::string(eventlog::kGenesisHash);
  auto events = eventlog::Seal(case_id, head_seq, head_hash, std::move(drafts));
  if (!events) return Fail(events.error());

  domain::CaseState state = before.value_or(domain::CaseState{});
  for (const domain::Event& event : *events) {
    auto next = domain::Apply(std::move(state), event);
    if (!next) return Fail(next.error());
    state = std::move(*next);
  }
  if (auto appended = tx.AppendEvents(before, *events, state); !appended) {
    return Fail(appended.error());
  }
  return CaseChange{std::move(state), std::move(*events)};
}

}  // namespace

Result<void> CaseService::Append(store::WriteTx& tx, CaseChange& change,
                                 std::vector<domain::EventDraft> drafts) {
  if (drafts.empty()) return {};
  auto more = SealAndAppend(tx, change.state, change.state.id, std::move(drafts));
  if (!more) return Fail(more.error());
  change.state = std::move(more->state);
  for (auto& event : more->events) change.events.push_back(std::move(event));
  return {};
}

Result<CaseChange> CaseService::React(store::WriteTx& tx, CaseChange change, Timestamp now) const {
  size_t first_new = 0;
  for (int round = 0; first_new < change.events.size(); ++round) {
    if (round == kMaxReactionRounds) {
      return Fail(ErrorCode::kInternal, "case " + std::to_string(change.state.id) +
                                            ": reactions did not settle after " +
                                            std::to_string(kMaxReactionRounds) + " rounds");
    }
    const size_t end = change.events.size();
    for (CaseReactor* reactor : reactors_) {
      if (auto reacted = reactor->OnEvents(tx, change, first_new, now); !reacted) {
        return Fail(reacted.error());
      }
    }
    first_new = end;
  }
  for (CaseReactor* reactor : reactors_) {
    if (auto settled = reactor->OnSettled(tx, change, now); !settled) return Fail(settled.error());
  }
  return change;
}

Result<CaseChange> CaseService::Open(store::WriteTx& tx, const domain::Principal& actor,
                                     const domain::OpenCaseInput& input, Timestamp now) const {
  auto draft = domain::OpenCase(actor, input, now);
  if (!draft) return Fail(draft.error());
  // A customer opening a case for themselves exists by definition (they authenticated).
  if (!actor.IsCustomer()) {
    auto customer = reads_.GetCustomer(input.customer_id);
    if (!customer) {
      if (customer.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kInvalidArgument,
                    "customer " + std::to_string(input.customer_id) + " does not exist",
                    "customer_id");
      }
      return Fail(customer.error());
    }
  }
  auto case_id = tx.NextCaseId();
  if (!case_id) return Fail(case_id.error());
  std::vector<domain::EventDraft> drafts;
  drafts.push_back(std::move(*draft));
  auto change = SealAndAppend(tx, std::nullopt, *case_id, std::move(drafts));
  if (!change) return Fail(change.error());
  return React(tx, std::move(*change), now);
}

Result<CaseChange> CaseService::Apply(store::WriteTx& tx, const domain::Principal& actor,
                                      int64_t case_id, const Decision& decide,
                                      Timestamp now) const {
  auto before = tx.LoadCaseForUpdate(case_id);
  if (!before) return Fail(before.error());
  if (!domain::CanReadCase(actor, *before)) {
    return Fail(ErrorCode::kNotFound, "case " + std::to_string(case_id) + " does not exist");
  }
  auto drafts = decide(*before);
  if (!drafts) return Fail(drafts.error());
  auto change = SealAndAppend(tx, std::optional<domain::CaseState>(std::move(*before)), case_id,
                              std::move(*drafts));
  if (!change) return Fail(change.error());
  return React(tx, std::move(*change), now);
}

Result<CaseChange> CaseService::Assign(store::WriteTx& tx, const domain::Principal& actor,
                                       int64_t case_id, int64_t owner_id, const std::string& reason,
                                       const std::string& handoff_note, Timestamp now) const {
  auto owner = reads_.GetUser(owner_id);
  if (!owner) {
    if (owner.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kInvalidArgument,
                  "user " + std::to_string(owner_id) + " does not exist", "owner_id");
    }
    return Fail(owner.error());
  }
  if (!owner->active) {
    return Fail(ErrorCode::kInvalidArgument,
                "user " + std::to_string(owner_id) + " is deactivated and cannot own cases",
                "owner_id");
  }
  domain::AssignInput input{owner->id, owner->display_name, reason, handoff_note};
  return Apply(
      tx, actor, case_id,
      [&](const domain::CaseState& state) { return domain::Assign(state, actor, input, now); },
      now);
}

Result<CaseChange> CaseService::OpenNow(store::Store& store, const domain::Principal& actor,
                                        const domain::OpenCaseInput& input, Timestamp now) const {
  std::optional<CaseChange> change;
  auto written = store.Write([&](store::WriteTx& tx) -> Result<void> {
    auto result = Open(tx, actor, input, now);
    if (!result) return Fail(result.error());
    change = std::move(*result);
    return {};
  });
  if (!written) return Fail(written.error());
  return std::move(*change);
}

Result<CaseChange> CaseService::ApplyNow(store::Store& store, const domain::Principal& actor,
                                         int64_t case_id, const Decision& decide,
                                         Timestamp now) const {
  std::optional<CaseChange> change;
  auto written = store.Write([&](store::WriteTx& tx) -> Result<void> {
    auto result = Apply(tx, actor, case_id, decide, now);
    if (!result) return Fail(result.error());
    change = std::move(*result);
    return {};
  });
  if (!written) return Fail(written.error());
  return std::move(*change);
}

}  // namespace redress::app
