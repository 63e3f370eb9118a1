// A DecideTx for deciding a case away from the writer's thread (engine/prepared_claim.h):
// it answers routing cursors from a copy the write loaded, keeps their saves in memory to
// be replayed in the write in order, and refuses what it cannot answer without the store
// (a customer's tier, a cursor not copied). A refusal is not the case's failure: the
// caller decides that case again on the writer, with the real transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace redress::engine {

/// A routing cursor saved while deciding, to be saved in the write (WriteTx::SaveRoutingCursor).
struct CursorSave {
  std::string level_id;
  int64_t cursor = 0;
};

class AsideDecideTx final : public store::DecideTx {
 public:
  /// `cursors`: the levels' cursors as the write has them now.
  explicit AsideDecideTx(std::map<std::string, int64_t> cursors) : cursors_(std::move(cursors)) {}

  Result<std::string> LoadCustomerTier(int64_t customer_id) override;
  Result<int64_t> LoadRoutingCursor(const std::string& level_id) override;
  Result<void> SaveRoutingCursor(const std::string& level_id, int64_t cursor) override;

  /// True once a call was refused: what was decided since the last TakeSaves needs the
  /// writer, and this copy of the cursors may no longer be trusted.
  bool refused() const { return refused_; }
  /// The level whose cursor was asked for and not copied, if that was the refusal.
  const std::optional<std::string>& missing_level() const { return missing_level_; }
  /// The saves since the last call, in order.
  std::vector<CursorSave> TakeSaves() { return std::exchange(saves_, {}); }

 private:
  Error Refuse(std::string what);

  std::map<std::string, int64_t> cursors_;
  std::vector<CursorSave> saves_;
  bool refused_ = false;
  std::optional<std::string> missing_level_;
};

}  // namespace redress::engine
