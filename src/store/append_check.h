// The argument checks every backend's WriteTx::AppendEvents makes before touching the
// database: the events must be exactly the next links of the chain that `before` ends (or
// start a new chain), and `after` must end where they end. A failure is a caller bug
// (kInvalidArgument), not a race; races are the backends' head check (kConflict).
#pragma once

#include <optional>
#include <vector>

#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"

namespace redress::store {

Result<void> CheckAppendContinues(const std::optional<domain::CaseState>& before,
                                  const std::vector<domain::Event>& events,
                                  const domain::CaseState& after);

}  // namespace redress::store
