// The SQL that reads the schema back into domain values, the PostgreSQL twin of
// store/sqlite/queries.h. Shared by the read pool and by writers (which must see their own
// uncommitted rows), so each function takes the connection to run on. Absence is nullopt;
// stored values that do not parse are kCorruption naming the row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/case_state.h"
#include "domain/customer.h"
#include "domain/event.h"
#include "domain/user.h"
#include "store/postgres/pg_conn.h"
#include "store/store.h"

namespace redress::store::postgres {

/// `lock` appends FOR UPDATE: the row stays locked until the transaction ends.
/// The cases whose timer is due at `now`, earliest first, their rows locked; rows another
/// transaction holds are skipped (WriteTx::ClaimDueCases).
Result<std::vector<DueCase>> ClaimDueCaseRows(Connection& conn, Timestamp now, int limit);
Result<std::optional<domain::CaseState>> FindCase(Connection& conn, int64_t case_id,
                                                  bool lock = false);
Result<CasePage> QueryCases(Connection& conn, const CaseQuery& query);
Result<int64_t> CountCases(Connection& conn, const CaseQuery& query);
Result<std::optional<Setting>> FindSetting(Connection& conn, const std::string& key);
Result<EventPage> QueryEvents(Connection& conn, const EventQuery& query);
Result<std::vector<domain::Event>> QueryAllEvents(Connection& conn, int64_t case_id);
Result<std::vector<int64_t>> QueryCaseIds(Connection& conn, int64_t after_id, int limit);

Result<std::optional<domain::Customer>> FindCustomer(Connection& conn, int64_t customer_id);
Result<std::optional<int64_t>> FindIdentityOwner(Connection& conn, domain::IdentityKind kind,
                                                 const std::string& value);
Result<std::optional<std::pair<domain::Customer, std::string>>> FindCustomerLogin(
    Connection& conn, const std::string& email);

Result<std::optional<domain::User>> FindUser(Connection& conn, int64_t user_id);
Result<std::optional<domain::User>> FindUserByEmail(Connection& conn, const std::string& email);
Result<std::vector<domain::User>> QueryUsers(Connection& conn);

Result<std::optional<domain::ApiToken>> FindApiToken(Connection& conn,
                                                     const std::string& token_hash);
Result<std::optional<domain::Session>> FindSession(Connection& conn,
                                                   const std::string& session_hash);
Result<std::optional<Attachment>> GetAttachment(Connection& conn, int64_t id);  // attachments.cc
Result<std::optional<IdempotencyRecord>> FindIdempotency(Connection& conn, const std::string& scope,
                                                         const std::string& key);

/// Case ids matching every word (already split by SearchWords), best first.
Result<std::vector<int64_t>> SearchCaseIds(Connection& conn, const std::vector<std::string>& words,
                                           int limit);

Result<StoreStats> CountRows(Connection& conn);

}  // namespace redress::store::postgres
