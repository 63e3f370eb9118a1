// The SQL that reads the schema back into domain values. Shared by the read connections
// and by the writer's transaction (which must see its own uncommitted writes), so each
// function takes the connection to run on. Absence is nullopt here; the Store methods
// decide whether it is an error. Stored values that do not parse (an unknown enum name,
// a payload that is not a JSON object) are kCorruption naming the row.
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
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace redress::store::sqlite {

Result<std::optional<domain::CaseState>> FindCase(Database& db, int64_t case_id);
/// The cases whose timer is due at `now`, earliest first (WriteTx::ClaimDueCases).
Result<std::vector<DueCase>> QueryDueCases(Database& db, Timestamp now, int limit);
Result<CasePage> QueryCases(Database& db, const CaseQuery& query);
Result<int64_t> CountCases(Database& db, const CaseQuery& query);
Result<std::optional<Setting>> FindSetting(Database& db, const std::string& key);
Result<EventPage> QueryEvents(Database& db, const EventQuery& query);
Result<std::vector<domain::Event>> QueryAllEvents(Database& db, int64_t case_id);
Result<std::vector<int64_t>> QueryCaseIds(Database& db, int64_t after_id, int limit);

Result<std::optional<domain::Customer>> FindCustomer(Database& db, int64_t customer_id);
/// The id of the customer holding an identity, if any.
Result<std::optional<int64_t>> FindIdentityOwner(Database& db, domain::IdentityKind kind,
                                                 const std::string& value);
/// The customer holding an email identity, with their password hash ("" = none set).
Result<std::optional<std::pair<domain::Customer, std::string>>> FindCustomerLogin(
    Database& db, const std::string& email);

Result<std::optional<domain::User>> FindUser(Database& db, int64_t user_id);
Result<std::optional<domain::User>> FindUserByEmail(Database& db, const std::string& email);
Result<std::vector<domain::User>> QueryUsers(Database& db);

Result<std::optional<domain::ApiToken>> FindApiToken(Database& db, const std::string& token_hash);
Result<std::optional<domain::Session>> FindSession(Database& db, const std::string& session_hash);
Result<std::optional<Attachment>> GetAttachment(Database& db, int64_t id);  // attachments.cc
Result<std::optional<IdempotencyRecord>> FindIdempotency(Database& db, const std::string& scope,
                                                         const std::string& key);

/// Row counts for Stats (the commit counters are the writer's, not the database's).
/// Case ids matching every word (already split by SearchWords), best first.
Result<std::vector<int64_t>> SearchCaseIds(Database& db, const std::vector<std::string>& words,
                                           int limit);

Result<StoreStats> CountRows(Database& db);

}  // namespace redress::store::sqlite
