// Rechecks every case in a database: its hash chain from the first event, and that the
// stored projection row equals the fold of its events (which also catches a log whose tail
// was cut off, since the projection keeps the head hash). Used by `redress verify`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace redress::app {

struct VerifyReport {
  int64_t cases = 0;
  int64_t events = 0;
  /// The first broken case found, if any.
  std::optional<int64_t> broken_case;
  std::optional<int64_t> broken_seq;
  std::string problem;

  bool intact() const { return !broken_case.has_value(); }
};

/// Walks every case in id order and stops at the first broken one.
Result<VerifyReport> VerifyAllCases(store::Store& store);

}  // namespace redress::app
