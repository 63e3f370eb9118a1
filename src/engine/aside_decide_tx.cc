#include "engine/aside_decide_tx.h"

namespace redress::engine {

Error AsideDecideTx::Refuse(std::string what) {
  refused_ = true;
  return Error{ErrorCode::kUnavailable, what + " is only known to the writer", {}};
}

Result<std::string> AsideDecideTx::LoadCustomerTier(int64_t customer_id) {
  return Fail(Refuse("the value tier of customer " + std::to_string(customer_id)));
}

Result<int64_t> AsideDecideTx::LoadRoutingCursor(const std::string& level_id) {
  if (refused_) return Fail(Refuse("level " + level_id + "'s routing cursor"));
  auto found = cursors_.find(level_id);
  if (found != cursors_.end()) return found->second;
  missing_level_ = level_id;
  return Fail(Refuse("level " + level_id + "'s routing cursor"));
}

Result<void> AsideDecideTx::SaveRoutingCursor(const std::string& level_id, int64_t cursor) {
  if (refused_) return Fail(Refuse("level " + level_id + "'s routing cursor"));
  cursors_[level_id] = cursor;
  saves_.push_back(CursorSave{level_id, cursor});
  return {};
}

}  // namespace redress::engine
