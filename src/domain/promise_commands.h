// Promises are first-class: what, by when, by whom, kept or broken on record. A promise
// nobody keeps by its due time is broken by the system (the scheduler asks
// OverduePromises) and that is an escalation trigger (policy/triggers.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"

namespace redress::domain {

inline constexpr size_t kMaxPromiseChars = 500;
/// A promise further out than this is not a promise the customer can hold anyone to.
inline constexpr std::chrono::hours kMaxPromiseHorizon{24 * 366};

struct PromiseInput {
  std::string what;  // "Cashback of 150 INR credited to your Amazon Pay balance"
  Timestamp due_at{};
};

/// `promise_made` (public), by staff on an open case. `what`: 1-500 characters, one line;
/// due_at must be after `now` and within kMaxPromiseHorizon (kInvalidArgument, field
/// "due_at"). The actor is recorded as the one who made it.
Result<std::vector<EventDraft>> MakePromise(const CaseState& state, const Principal& actor,
                                            const PromiseInput& input, Timestamp now);

/// `promise_kept` (public), by staff. An unknown id is kNotFound; a promise already kept
/// or broken is kConflict. The note (optional) says how it was kept.
Result<std::vector<EventDraft>> KeepPromise(const CaseState& state, const Principal& actor,
                                            int64_t promise_id, const std::string& note,
                                            Timestamp now);

/// `promise_broken` (public). By staff with a reason (at any time: "the warehouse cannot
/// ship it"), or by the system automatically once the due time has passed (earlier is
/// kConflict).
Result<std::vector<EventDraft>> BreakPromise(const CaseState& state, const Principal& actor,
                                             int64_t promise_id, const std::string& reason,
                                             Timestamp now);

/// Ids of open promises whose due time is at or before `now`, oldest first.
std::vector<int64_t> OverduePromises(const CaseState& state, Timestamp now);

}  // namespace redress::domain
