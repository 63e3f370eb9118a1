// The write path of a case, in one place: load the projection, let the domain decide the
// events, seal them onto the hash chain, append them and the new projection. Every channel
// (HTTP now; mail, chat and phone later) and the CLI go through these functions, so a
// message is a case event the same way whatever door it came in by.
//
// The functions run inside a store transaction (they take a WriteTx&) so a caller can
// combine them with other work in the same commit, e.g. the HTTP layer stores the
// idempotent response of a POST in the transaction that made the case.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_commands.h"
#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"
#include "store/store.h"

namespace redress::app {

/// What a command did: the case after it and the events it appended.
struct CaseChange {
  domain::CaseState state;
  std::vector<domain::Event> events;
};

/// Decides the events for a command given the case's current state.
using Decision =
    std::function<Result<std::vector<domain::EventDraft>>(const domain::CaseState&)>;

/// Opens a case for `input.customer_id`. The customer must exist (kInvalidArgument naming
/// customer_id otherwise, since the caller chose the id).
Result<CaseChange> OpenCase(store::WriteTx& tx, store::Store& reads, const domain::Principal& actor,
                            const domain::OpenCaseInput& input, Timestamp now);

/// Runs `decide` against case `case_id` and appends what it returns. A case the actor may
/// not read is kNotFound, exactly like a case that does not exist.
Result<CaseChange> ApplyToCase(store::WriteTx& tx, const domain::Principal& actor, int64_t case_id,
                               const Decision& decide);

/// Assignment needs the new owner's user record (name, active); this resolves it and
/// applies domain::Assign. Unknown or inactive owner is kInvalidArgument on "owner_id".
Result<CaseChange> AssignCase(store::WriteTx& tx, store::Store& reads,
                              const domain::Principal& actor, int64_t case_id, int64_t owner_id,
                              const std::string& reason, const std::string& handoff_note,
                              Timestamp now);

/// Blocking convenience for the CLI and the demo loader: one command, one transaction.
Result<CaseChange> OpenCaseNow(store::Store& store, const domain::Principal& actor,
                               const domain::OpenCaseInput& input, Timestamp now);
Result<CaseChange> ApplyToCaseNow(store::Store& store, const domain::Principal& actor,
                                  int64_t case_id, const Decision& decide);

}  // namespace redress::app
