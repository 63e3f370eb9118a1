// The WHERE clause of a case listing, written once for both backends: they differ only in
// how a placeholder is spelled ("?3" in SQLite, "$3" in PostgreSQL). Built from fixed
// fragments, so the number of distinct statement texts stays small; values are always
// bound, never pasted into the text.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "store/store.h"

namespace redress::store {

struct CaseFilterSql {
  std::string where;  // " AND status = ?1 AND ..." (empty: no filter)
  std::vector<std::variant<int64_t, std::string>> params;  // in placeholder order
};

/// The filters of `query`; the id cursor too when `with_cursor` (not for counts, and never
/// with sort_due, which pages by offset). `placeholder(n)` spells the n-th (1-based).
CaseFilterSql BuildCaseFilter(const CaseQuery& query, bool with_cursor,
                              const std::function<std::string(int)>& placeholder);

/// The ORDER BY of a listing: soonest next due time first (none last), or newest first.
const char* CaseOrderSql(const CaseQuery& query);

}  // namespace redress::store
