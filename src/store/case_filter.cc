#include "store/case_filter.h"

#include "core/time_format.h"

namespace redress::store {

CaseFilterSql BuildCaseFilter(const CaseQuery& query, bool with_cursor,
                              const std::function<std::string(int)>& placeholder) {
  CaseFilterSql sql;
  auto add = [&](const char* fragment, std::variant<int64_t, std::string> value) {
    sql.params.push_back(std::move(value));
    sql.where += fragment + placeholder(static_cast<int>(sql.params.size()));
  };
  if (query.status) add(" AND status = ", std::string(domain::CaseStatusName(*query.status)));
  if (query.owner_id) {
    add(" AND owner_id = ", *query.owner_id);
  } else if (query.unowned) {
    sql.where += " AND owner_id IS NULL";
  }
  if (query.level) add(" AND level = ", int64_t{*query.level});
  if (query.customer_id) add(" AND customer_id = ", *query.customer_id);
  if (query.active_only) sql.where += " AND status NOT IN ('solved', 'closed')";
  if (query.due_by) add(" AND next_due_at <= ", MicrosFromTimestamp(*query.due_by));
  if (with_cursor && !query.sort_due && query.before_id) add(" AND id < ", *query.before_id);
  return sql;
}

const char* CaseOrderSql(const CaseQuery& query) {
  // SQLite sorts NULL first ascending and PostgreSQL last: say where they go explicitly.
  return query.sort_due ? " ORDER BY next_due_at IS NULL, next_due_at, id"
                        : " ORDER BY id DESC";
}

}  // namespace redress::store
