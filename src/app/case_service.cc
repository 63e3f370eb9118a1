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

// Seals `drafts` onto the head of `state` and folds them into it; nothing is stored yet.
Result<void> SealOnto(domain::CaseState& state, std::vector<domain::Event>& events,
                      std::vector<domain::EventDraft> drafts) {
  auto sealed = eventlog::Seal(state.id, state.last_seq, state.head_hash, std::move(drafts));
  if (!sealed) return Fail(sealed.error());
  for (domain::Event& event : *sealed) {
    auto next = domain::Apply(std::move(state), event);
    if (!next) return Fail(next.error());
    state = std::move(*next);
    events.push_back(std::move(event));
  }
  return {};
}

}  // namespace

Result<void> CaseService::Append(CaseChange& change, std::vector<domain::EventDraft> drafts) {
  if (drafts.empty()) return {};
  return SealOnto(change.state, change.events, std::move(drafts));
}

Result<void> CaseService::React(store::DecideTx& tx, CaseChange& change, Timestamp now) const {
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
    if (auto ready = reactor->BeforeAppend(tx, change, now); !ready) return Fail(ready.error());
  }
  return {};
}

Result<CaseChange> CaseService::Record(store::WriteTx& tx, PreparedChange prepared,
                                       Timestamp now) const {
  CaseChange& change = prepared.change;
  if (auto appended = tx.AppendEvents(prepared.before, change.events, change.state, change.due);
      !appended) {
    return Fail(appended.error());
  }
  for (CaseReactor* reactor : reactors_) {
    if (auto settled = reactor->OnSettled(tx, change, now); !settled) return Fail(settled.error());
  }
  return std::move(change);
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
  CaseChange change;
  change.state.id = *case_id;
  change.state.head_hash = std::string(eventlog::kGenesisHash);
  if (auto sealed = SealOnto(change.state, change.events, std::move(drafts)); !sealed) {
    return Fail(sealed.error());
  }
  if (auto reacted = React(tx, change, now); !reacted) return Fail(reacted.error());
  return Record(tx, PreparedChange{std::nullopt, std::move(change)}, now);
}

Result<CaseChange> CaseService::Apply(store::WriteTx& tx, const domain::Principal& actor,
                                      int64_t case_id, const Decision& decide,
                                      Timestamp now) const {
  auto before = tx.LoadCaseForUpdate(case_id);
  if (!before) return Fail(before.error());
  return Apply(tx, actor, std::move(*before), decide, now);
}

Result<CaseChange> CaseService::Apply(store::WriteTx& tx, const domain::Principal& actor,
                                      domain::CaseState current, const Decision& decide,
                                      Timestamp now) const {
  auto prepared = Prepare(tx, actor, std::move(current), decide, now);
  if (!prepared) return Fail(prepared.error());
  return Record(tx, std::move(*prepared), now);
}

Result<PreparedChange> CaseService::Prepare(store::DecideTx& tx, const domain::Principal& actor,
                                            domain::CaseState current, const Decision& decide,
                                            Timestamp now) const {
  if (!domain::CanReadCase(actor, current)) {
    return Fail(ErrorCode::kNotFound, "case " + std::to_string(current.id) + " does not exist");
  }
  auto drafts = decide(current);
  if (!drafts) return Fail(drafts.error());
  PreparedChange prepared{std::nullopt, CaseChange{current, {}, std::nullopt}};
  CaseChange& change = prepared.change;
  if (auto sealed = SealOnto(change.state, change.events, std::move(*drafts)); !sealed) {
    return Fail(sealed.error());
  }
  if (auto reacted = React(tx, change, now); !reacted) return Fail(reacted.error());
  prepared.before = std::move(current);
  return prepared;
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
