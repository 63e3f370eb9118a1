// Firing one claim of due timers with the deciding beside the writer (issue 4: a burst of
// deadlines is bound by the store's one writer thread, and about a quarter of what a
// deadline cost that thread was deciding, not storing).
//
// A thread of its own decides the claimed cases in order (PreparedCaseTimerHandler with an
// AsideDecideTx holding the routing cursors the write had when it started) and hands each
// decision over as soon as it is made; the writer, meanwhile, replays the cursor saves and
// runs the write of each case in the same order. So the writes happen exactly as if every
// case had been decided on the writer one after the other: same events, same owners picked
// round robin, same commit.
//
// A case whose decision needs what the deciding thread cannot answer (a cursor it was not
// given, a customer's tier) stops it. The writer reads that case again, decides and
// writes it itself, reloads the cursors it knows (now including the one missed) and starts
// deciding the rest aside again. The first escalation to each level in a claim takes this
// path; the rest do not.
#pragma once

#include <exception>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "engine/job_runner.h"
#include "store/store.h"

namespace redress::engine {

/// Fires every timer of `due` (just claimed in `tx`) with `handler`, in order, deciding
/// beside the writer. The first failure is returned and ends the write (as the first,
/// non-isolated attempt of a claim does); nothing is left running when it returns.
Result<void> FireClaimAside(store::WriteTx& tx, std::vector<store::DueCase>& due, Timestamp now,
                            const PreparedCaseTimerHandler& handler);

/// A handler's exception as the error it is recorded as (a bug in the handler, confined to
/// its case like an error value).
Error HandlerThrew(const std::exception& e);

/// Decides and writes one timer on the writer's thread, with the real transaction.
Result<void> FireOnWriter(store::WriteTx& tx, store::DueCase& timer, Timestamp now,
                          const PreparedCaseTimerHandler& handler);

}  // namespace redress::engine
