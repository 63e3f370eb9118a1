#include "store/sqlite/write_tx.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "core/time_format.h"
#include "eventlog/hash_chain.h"
#include "store/append_check.h"
#include "store/case_columns.h"
#include "store/commitments_column.h"
#include "store/search_text.h"
#include "store/sqlite/queries.h"

namespace redress::store::sqlite {
namespace {

std::string CaseName(int64_t case_id) { return "case " + std::to_string(case_id); }

std::optional<int64_t> OptionalMicros(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return MicrosFromTimestamp(*t);
}

// Adds what was being done to a failure from SQLite, keeping its code.
tl::unexpected<Error> While(std::string_view doing, Error error) {
  error.message = std::string(doing) + ": " + error.message;
  return Fail(std::move(error));
}

}  // namespace

Result<int64_t> SqliteWriteTx::NextCaseId() {
  auto statement =
      db_.Prepare("UPDATE counters SET value = value + 1 WHERE name = 'case_id' RETURNING value");
  if (!statement) return Fail(statement.error());
  auto row = (*statement)->Step();
  if (!row) return While("allocating a case id", row.error());
  if (!*row) return Fail(ErrorCode::kCorruption, "the case_id counter is missing");
  const int64_t id = (*statement)->ColumnInt64(0);
  if (auto done = (*statement)->Run(); !done) return While("allocating a case id", done.error());
  return id;
}

Result<domain::CaseState> SqliteWriteTx::LoadCaseForUpdate(int64_t case_id) {
  // One writer connection holds the database write lock for the whole batch, so reading
  // inside it is already exclusive; no row lock is needed.
  auto found = FindCase(db_, case_id);
  if (!found) return Fail(found.error());
  if (!*found) return Fail(ErrorCode::kNotFound, CaseName(case_id) + " does not exist");
  return std::move(**found);
}

Result<void> SqliteWriteTx::AppendEvents(const std::optional<domain::CaseState>& before,
                                         const std::vector<domain::Event>& events,
                                         const domain::CaseState& after,
                                         const std::optional<CaseDue>& due) {
  if (auto ok = CheckAppendContinues(before, events, after); !ok) return ok;
  const std::string name = CaseName(after.id);

  // The projection first: events reference their case row.
  if (!before) {
    auto customer = db_.Prepare("SELECT 1 FROM customers WHERE id = ?1");
    if (!customer) return Fail(customer.error());
    (*customer)->BindInt64(1, after.customer_id);
    auto row = (*customer)->Step();
    if (!row) return Fail(row.error());
    if (!*row) {
      return Fail(ErrorCode::kNotFound,
                  "customer " + std::to_string(after.customer_id) + " does not exist");
    }
    if (auto inserted = InsertProjection(after, due); !inserted) return inserted;
  } else if (auto updated = UpdateProjection(*before, after, due); !updated) {
    return updated;
  }
  for (const domain::Event& event : events) {
    if (auto inserted = InsertEvent(event); !inserted) return inserted;
  }
  // The search index changes with the events, in the same transaction (at its end).
  for (std::string& text : SearchTexts(!before, after, events)) {
    texts_.push_back(SearchText{after.id, std::move(text)});
  }
  changed_.push_back(after.id);
  return {};
}

Result<void> SqliteWriteTx::FlushSearchTexts() {
  for (const SearchText& pending : texts_) {
    auto statement = db_.Prepare("INSERT INTO case_text (text, case_id) VALUES (?1, ?2)");
    if (!statement) return Fail(statement.error());
    (*statement)->BindText(1, pending.text);
    (*statement)->BindInt64(2, pending.case_id);
    if (auto ran = (*statement)->Run(); !ran) {
      return While("indexing " + CaseName(pending.case_id), ran.error());
    }
  }
  texts_.clear();
  return {};
}

// The parameters of the projection's columns (store/case_columns.h); the due times, when
// written too, are ?22 and ?23 after them.
#define REDRESS_PROJECTION_VALUES                                                       \
  "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19," \
  " ?20, ?21"

void SqliteWriteTx::BindProjection(Statement& s, const domain::CaseState& c) {
  s.BindInt64(1, c.id);
  s.BindInt64(2, c.customer_id);
  s.BindText(3, c.subject);
  s.BindText(4, domain::CaseStatusName(c.status));
  s.BindText(5, domain::PriorityName(c.priority));
  s.BindText(6, c.category);
  s.BindInt64(7, c.level);
  s.BindOptionalInt64(8, c.owner_id);
  s.BindText(9, c.owner_name);
  s.BindText(10, domain::ChannelName(c.channel));
  s.BindInt64(11, MicrosFromTimestamp(c.opened_at));
  s.BindInt64(12, MicrosFromTimestamp(c.updated_at));
  s.BindOptionalInt64(13, OptionalMicros(c.first_response_at));
  s.BindOptionalInt64(14, OptionalMicros(c.last_customer_message_at));
  s.BindInt64(15, c.customer_messages);
  s.BindInt64(16, c.staff_replies);
  s.BindInt64(17, c.internal_notes);
  s.BindInt64(18, c.transfers);
  s.BindInt64(19, c.last_seq);
  s.BindText(20, c.head_hash);
  s.BindText(21, EncodeCommitmentsColumn(c.commitments));
}

void SqliteWriteTx::BindDue(Statement& s, int first, const CaseDue& due) {
  s.BindOptionalInt64(first, OptionalMicros(due.next_step));
  s.BindOptionalInt64(first + 1, OptionalMicros(due.timer));
}

Result<void> SqliteWriteTx::InsertProjection(const domain::CaseState& c,
                                             const std::optional<CaseDue>& due) {
  // Inserted, not upserted: an id that is taken fails on the primary key (kConflict)
  // instead of overwriting another case.
  auto statement =
      due ? db_.Prepare("INSERT INTO cases (" REDRESS_CASE_COLUMNS
                        ", next_due_at, timer_at) VALUES (" REDRESS_PROJECTION_VALUES ", ?22, ?23)")
          : db_.Prepare("INSERT INTO cases (" REDRESS_CASE_COLUMNS
                        ") VALUES (" REDRESS_PROJECTION_VALUES ")");
  if (!statement) return Fail(statement.error());
  BindProjection(**statement, c);
  if (due) BindDue(**statement, 22, *due);
  if (auto ran = (*statement)->Run(); !ran) {
    if (ran.error().code == ErrorCode::kConflict) {
      return Fail(ErrorCode::kConflict, CaseName(c.id) + " already exists");
    }
    return While("writing the row of " + CaseName(c.id), ran.error());
  }
  return {};
}

Result<void> SqliteWriteTx::UpdateProjection(const domain::CaseState& before,
                                             const domain::CaseState& c,
                                             const std::optional<CaseDue>& due) {
  // Compare-and-set on the head the caller read: one statement both checks that nobody
  // appended since and writes the new row. SQLite rewrites an index for every indexed
  // column named in SET, changed or not, so those are named only when they changed (at
  // most 32 statement texts, each cached).
  std::string sql =
      "UPDATE cases SET subject = ?3, priority = ?5, category = ?6, owner_name = ?9,"
      " channel = ?10, opened_at = ?11, updated_at = ?12, first_response_at = ?13,"
      " last_customer_message_at = ?14, customer_messages = ?15, staff_replies = ?16,"
      " internal_notes = ?17, transfers = ?18, last_seq = ?19, head_hash = ?20,"
      " commitments = ?21";
  if (c.customer_id != before.customer_id) sql += ", customer_id = ?2";
  if (c.status != before.status) sql += ", status = ?4";
  if (c.level != before.level) sql += ", level = ?7";
  if (c.owner_id != before.owner_id) sql += ", owner_id = ?8";
  if (due) sql += ", next_due_at = ?24, timer_at = ?25, timer_failures = 0";
  sql += " WHERE id = ?1 AND last_seq = ?22 AND head_hash = ?23";
  auto statement = db_.Prepare(sql);
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  BindProjection(s, c);
  s.BindInt64(22, before.last_seq);
  s.BindText(23, before.head_hash);
  if (due) BindDue(s, 24, *due);
  if (auto ran = s.Run(); !ran) return While("writing the row of " + CaseName(c.id), ran.error());
  if (db_.Changes() == 1) return {};
  // Nothing written: say why.
  auto head = db_.Prepare("SELECT last_seq FROM cases WHERE id = ?1");
  if (!head) return Fail(head.error());
  (*head)->BindInt64(1, c.id);
  auto row = (*head)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kNotFound, CaseName(c.id) + " does not exist");
  const int64_t found_seq = (*head)->ColumnInt64(0);
  return Fail(ErrorCode::kConflict, CaseName(c.id) +
                                        " changed since it was read: expected its last event at "
                                        "seq " +
                                        std::to_string(before.last_seq) + ", found seq " +
                                        std::to_string(found_seq));
}

Result<void> SqliteWriteTx::InsertEvent(const domain::Event& e) {
  auto statement = db_.Prepare(
      "INSERT INTO events (case_id, seq, type, at, actor_kind, actor_id, actor_name, channel,"
      " visibility, data, prev_hash, hash)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindInt64(1, e.case_id);
  s.BindInt64(2, e.seq);
  s.BindText(3, domain::EventTypeName(e.type));
  s.BindInt64(4, MicrosFromTimestamp(e.at));
  s.BindText(5, domain::ActorKindName(e.actor.kind));
  s.BindInt64(6, e.actor.id);
  s.BindText(7, e.actor.name);
  s.BindText(8, domain::ChannelName(e.channel));
  s.BindText(9, domain::VisibilityName(e.visibility));
  // Any faithful JSON will do: the hash is recomputed from the parsed value, never from
  // these bytes.
  s.BindText(10, boost::json::serialize(e.data));
  s.BindText(11, e.prev_hash);
  s.BindText(12, e.hash);
  if (auto ran = s.Run(); !ran) {
    return While("appending event " + std::to_string(e.seq) + " of " + CaseName(e.case_id),
                 ran.error());
  }
  return {};
}

Result<void> SqliteWriteTx::InsertCustomer(domain::Customer& customer) {
  // Check every identity before writing anything, so the error names the customer that
  // already holds it rather than a bare constraint.
  std::set<std::pair<domain::IdentityKind, std::string>> seen;
  for (const domain::Identity& identity : customer.identities) {
    const std::string described =
        std::string(domain::IdentityKindName(identity.kind)) + " " + identity.value;
    if (!seen.emplace(identity.kind, identity.value).second) {
      return Fail(ErrorCode::kInvalidArgument, described + " is listed twice");
    }
    auto owner = FindIdentityOwner(db_, identity.kind, identity.value);
    if (!owner) return Fail(owner.error());
    if (*owner) {
      return Fail(ErrorCode::kConflict,
                  described + " already belongs to customer " + std::to_string(**owner));
    }
  }

  auto insert =
      db_.Prepare("INSERT INTO customers (name, created_at, tier) VALUES (?1, ?2, ?3) RETURNING id");
  if (!insert) return Fail(insert.error());
  (*insert)->BindText(1, customer.name);
  (*insert)->BindInt64(2, MicrosFromTimestamp(customer.created_at));
  (*insert)->BindText(3, customer.tier);
  auto row = (*insert)->Step();
  if (!row) return While("inserting customer", row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "inserting customer returned no id");
  const int64_t id = (*insert)->ColumnInt64(0);
  if (auto done = (*insert)->Run(); !done) return While("inserting customer", done.error());

  for (const domain::Identity& identity : customer.identities) {
    auto statement = db_.Prepare(
        "INSERT INTO customer_identities (kind, value, customer_id, verified)"
        " VALUES (?1, ?2, ?3, ?4)");
    if (!statement) return Fail(statement.error());
    (*statement)->BindText(1, domain::IdentityKindName(identity.kind));
    (*statement)->BindText(2, identity.value);
    (*statement)->BindInt64(3, id);
    (*statement)->BindInt64(4, identity.verified ? 1 : 0);
    if (auto ran = (*statement)->Run(); !ran) {
      return While("inserting identity " + identity.value, ran.error());
    }
  }
  customer.id = id;
  return {};
}

Result<void> SqliteWriteTx::InsertUser(domain::User& user) {
  if (user.role == domain::Role::kCustomer || user.role == domain::Role::kSystem) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("a user cannot have the role ") + domain::RoleName(user.role), "role");
  }
  auto existing = FindUserByEmail(db_, user.email);
  if (!existing) return Fail(existing.error());
  if (*existing) {
    return Fail(ErrorCode::kConflict, "email " + user.email + " already belongs to user " +
                                          std::to_string((*existing)->id));
  }
  auto statement = db_.Prepare(
      "INSERT INTO users (email, display_name, role, level, active, password_hash, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, user.email);
  s.BindText(2, user.display_name);
  s.BindText(3, domain::RoleName(user.role));
  s.BindInt64(4, user.level);
  s.BindInt64(5, user.active ? 1 : 0);
  s.BindText(6, user.password_hash);
  s.BindInt64(7, MicrosFromTimestamp(user.created_at));
  auto row = s.Step();
  if (!row) return While("inserting user " + user.email, row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "inserting user returned no id");
  const int64_t id = s.ColumnInt64(0);
  if (auto done = s.Run(); !done) return While("inserting user " + user.email, done.error());
  user.id = id;
  return {};
}

Result<void> SqliteWriteTx::SetCustomerTier(int64_t customer_id, const std::string& tier) {
  auto statement = db_.Prepare("UPDATE customers SET tier = ?1 WHERE id = ?2");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, tier);
  (*statement)->BindInt64(2, customer_id);
  if (auto ran = (*statement)->Run(); !ran) return Fail(ran.error());
  if (db_.Changes() == 0) {
    return Fail(ErrorCode::kNotFound,
                "customer " + std::to_string(customer_id) + " does not exist");
  }
  return {};
}

Result<std::string> SqliteWriteTx::LoadCustomerTier(int64_t customer_id) {
  auto statement = db_.Prepare("SELECT tier FROM customers WHERE id = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, customer_id);
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row) {
    return Fail(ErrorCode::kNotFound,
                "customer " + std::to_string(customer_id) + " does not exist");
  }
  return (*statement)->ColumnText(0);
}

Result<void> SqliteWriteTx::SetCustomerPassword(int64_t customer_id, const std::string& hash) {
  auto statement = db_.Prepare("UPDATE customers SET password_hash = ?1 WHERE id = ?2");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, hash);
  (*statement)->BindInt64(2, customer_id);
  if (auto ran = (*statement)->Run(); !ran) return Fail(ran.error());
  if (db_.Changes() == 0) {
    return Fail(ErrorCode::kNotFound,
                "customer " + std::to_string(customer_id) + " does not exist");
  }
  return {};
}

Result<void> SqliteWriteTx::InsertApiToken(const domain::ApiToken& token) {
  auto statement = db_.Prepare(
      "INSERT INTO api_tokens (token_hash, owner_role, owner_id, label, created_at, expires_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, token.token_hash);
  s.BindText(2, domain::RoleName(token.owner.role));
  s.BindInt64(3, token.owner.id);
  s.BindText(4, token.label);
  s.BindInt64(5, MicrosFromTimestamp(token.created_at));
  s.BindOptionalInt64(6, OptionalMicros(token.expires_at));
  if (auto ran = s.Run(); !ran) return While("inserting API token", ran.error());
  return {};
}

Result<void> SqliteWriteTx::InsertSession(const domain::Session& session) {
  auto statement = db_.Prepare(
      "INSERT INTO sessions (session_hash, owner_role, owner_id, csrf_token, created_at,"
      " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, session.session_hash);
  s.BindText(2, domain::RoleName(session.owner.role));
  s.BindInt64(3, session.owner.id);
  s.BindText(4, session.csrf_token);
  s.BindInt64(5, MicrosFromTimestamp(session.created_at));
  s.BindInt64(6, MicrosFromTimestamp(session.expires_at));
  if (auto ran = s.Run(); !ran) return While("inserting session", ran.error());
  return {};
}

Result<void> SqliteWriteTx::DeleteSession(const std::string& session_hash) {
  // Deleting a session that is already gone is fine: logging out twice is not an error.
  auto statement = db_.Prepare("DELETE FROM sessions WHERE session_hash = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, session_hash);
  return (*statement)->Run();
}

Result<std::optional<IdempotencyRecord>> SqliteWriteTx::FindIdempotency(const std::string& scope,
                                                                        const std::string& key) {
  return sqlite::FindIdempotency(db_, scope, key);
}

Result<void> SqliteWriteTx::InsertIdempotency(const IdempotencyRecord& r) {
  auto statement = db_.Prepare(
      "INSERT INTO idempotency (scope, key, fingerprint, status, body, location, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, r.scope);
  s.BindText(2, r.key);
  s.BindText(3, r.fingerprint);
  s.BindInt64(4, r.status);
  s.BindText(5, r.body);
  s.BindText(6, r.location);
  s.BindInt64(7, MicrosFromTimestamp(r.created_at));
  if (auto ran = s.Run(); !ran) {
    return While("recording idempotency key " + r.key + " for " + r.scope, ran.error());
  }
  return {};
}

}  // namespace redress::store::sqlite

namespace redress::store::sqlite {
namespace {

Error LeaseLost(int64_t job_id, const std::string& owner) {
  return Error{ErrorCode::kConflict,
               "job " + std::to_string(job_id) + " is no longer leased to " + owner +
                   " (its lease expired and another worker claimed it, or it is done)",
               {}};
}

}  // namespace

Result<bool> SqliteWriteTx::ScheduleJob(const JobSpec& job) {
  auto statement = db_.Prepare(
      "INSERT INTO jobs (kind, key, due_at, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?3)"
      " ON CONFLICT (kind, key) DO NOTHING");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, job.kind);
  s.BindText(2, job.key);
  s.BindInt64(3, MicrosFromTimestamp(job.due_at));
  s.BindText(4, job.payload);
  if (auto ran = s.Run(); !ran) return While("scheduling job " + job.kind, ran.error());
  return db_.Changes() == 1;
}

Result<std::vector<ClaimedJob>> SqliteWriteTx::ClaimJobs(const JobClaim& claim) {
  if (claim.limit < 1) return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1");
  // The writer holds the database's write lock for the whole transaction, so the select
  // and the lease it sets cannot interleave with another claimer on any connection.
  auto statement = db_.Prepare(
      "UPDATE jobs SET lease_owner = ?1, lease_until = ?2, attempts = attempts + 1"
      " WHERE id IN (SELECT id FROM jobs WHERE kind = ?3 AND state = 'pending' AND due_at <= ?4"
      " AND (lease_until IS NULL OR lease_until <= ?4) ORDER BY due_at, id LIMIT ?5)"
      " RETURNING id, kind, key, due_at, payload, attempts, last_error");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, claim.owner);
  s.BindInt64(2, MicrosFromTimestamp(claim.now + claim.lease));
  s.BindText(3, claim.kind);
  s.BindInt64(4, MicrosFromTimestamp(claim.now));
  s.BindInt64(5, claim.limit);
  std::vector<ClaimedJob> jobs;
  for (;;) {
    auto row = s.Step();
    if (!row) return While("claiming " + claim.kind + " jobs", row.error());
    if (!*row) break;
    jobs.push_back(ClaimedJob{s.ColumnInt64(0), s.ColumnText(1), s.ColumnText(2),
                              TimestampFromMicros(s.ColumnInt64(3)), s.ColumnText(4),
                              static_cast<int>(s.ColumnInt64(5)), s.ColumnText(6)});
  }
  std::sort(jobs.begin(), jobs.end(), [](const ClaimedJob& a, const ClaimedJob& b) {
    return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
  });
  return jobs;
}

Result<void> SqliteWriteTx::CompleteJob(int64_t job_id, const std::string& owner, Timestamp now) {
  auto statement = db_.Prepare(
      "UPDATE jobs SET state = 'done', completed_at = ?3, lease_until = NULL"
      " WHERE id = ?1 AND lease_owner = ?2 AND state = 'pending'");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, job_id);
  (*statement)->BindText(2, owner);
  (*statement)->BindInt64(3, MicrosFromTimestamp(now));
  if (auto ran = (*statement)->Run(); !ran) return Fail(ran.error());
  if (db_.Changes() == 0) return Fail(LeaseLost(job_id, owner));
  return {};
}

Result<void> SqliteWriteTx::RetryJob(int64_t job_id, const std::string& owner, Timestamp retry_at,
                                     const std::string& error) {
  auto statement = db_.Prepare(
      "UPDATE jobs SET due_at = ?3, last_error = ?4, lease_owner = NULL, lease_until = NULL"
      " WHERE id = ?1 AND lease_owner = ?2 AND state = 'pending'");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, job_id);
  (*statement)->BindText(2, owner);
  (*statement)->BindInt64(3, MicrosFromTimestamp(retry_at));
  (*statement)->BindText(4, error);
  if (auto ran = (*statement)->Run(); !ran) return Fail(ran.error());
  if (db_.Changes() == 0) return Fail(LeaseLost(job_id, owner));
  return {};
}

Result<bool> SqliteWriteTx::ExpediteJob(const std::string& kind, const std::string& key,
                                        Timestamp due_at) {
  auto statement = db_.Prepare(
      "UPDATE jobs SET due_at = min(due_at, ?3)"
      " WHERE kind = ?1 AND key = ?2 AND state = 'pending'");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, kind);
  (*statement)->BindText(2, key);
  (*statement)->BindInt64(3, MicrosFromTimestamp(due_at));
  if (auto ran = (*statement)->Run(); !ran) return While("expediting job " + kind, ran.error());
  return db_.Changes() == 1;
}

Result<int64_t> SqliteWriteTx::PutSetting(const std::string& key, const std::string& value,
                                          Timestamp now) {
  auto statement = db_.Prepare(
      "INSERT INTO settings (key, value, version, updated_at) VALUES (?1, ?2, 1, ?3)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1,"
      " updated_at = excluded.updated_at RETURNING version");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, key);
  s.BindText(2, value);
  s.BindInt64(3, MicrosFromTimestamp(now));
  auto row = s.Step();
  if (!row) return While("storing setting " + key, row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "storing setting " + key + " returned no version");
  const int64_t version = s.ColumnInt64(0);
  if (auto done = s.Run(); !done) return While("storing setting " + key, done.error());
  return version;
}

Result<int64_t> SqliteWriteTx::LoadRoutingCursor(const std::string& level_id) {
  auto statement = db_.Prepare("SELECT cursor FROM routing_cursors WHERE level_id = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, level_id);
  auto row = (*statement)->Step();
  if (!row) return While("reading the routing cursor of " + level_id, row.error());
  if (!*row) return int64_t{0};
  const int64_t cursor = (*statement)->ColumnInt64(0);
  if (auto done = (*statement)->Run(); !done) return Fail(done.error());
  return cursor;
}

Result<void> SqliteWriteTx::SaveRoutingCursor(const std::string& level_id, int64_t cursor) {
  auto statement = db_.Prepare(
      "INSERT INTO routing_cursors (level_id, cursor) VALUES (?1, ?2)"
      " ON CONFLICT (level_id) DO UPDATE SET cursor = excluded.cursor");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, level_id);
  (*statement)->BindInt64(2, cursor);
  if (auto ran = (*statement)->Run(); !ran) {
    return While("saving the routing cursor of " + level_id, ran.error());
  }
  return {};
}

Result<void> SqliteWriteTx::SetCaseDue(int64_t case_id, const CaseDue& due) {
  auto statement = db_.Prepare(
      "UPDATE cases SET next_due_at = ?2, timer_at = ?3, timer_failures = 0 WHERE id = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, case_id);
  BindDue(**statement, 2, due);
  if (auto ran = (*statement)->Run(); !ran) {
    return While("setting the due times of " + CaseName(case_id), ran.error());
  }
  if (db_.Changes() == 0) return Fail(ErrorCode::kNotFound, CaseName(case_id) + " does not exist");
  return {};
}

Result<std::vector<DueCase>> SqliteWriteTx::ClaimDueCases(Timestamp now, int limit) {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1");
  // The writer holds the database's write lock for the whole transaction, and the caller
  // fires these timers in it: nobody else can take them meanwhile.
  auto due = QueryDueCases(db_, now, limit);
  if (!due) return While("reading the due case timers", due.error());
  return due;
}

Result<void> SqliteWriteTx::DeferCaseTimer(int64_t case_id, Timestamp retry_at) {
  auto statement = db_.Prepare(
      "UPDATE cases SET timer_at = ?2, timer_failures = timer_failures + 1 WHERE id = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, case_id);
  (*statement)->BindInt64(2, MicrosFromTimestamp(retry_at));
  if (auto ran = (*statement)->Run(); !ran) {
    return While("deferring the timer of " + CaseName(case_id), ran.error());
  }
  if (db_.Changes() == 0) return Fail(ErrorCode::kNotFound, CaseName(case_id) + " does not exist");
  return {};
}

Result<std::optional<Error>> SqliteWriteTx::Isolated(const std::function<Result<void>()>& fn) {
  // The writer has each write in its own savepoint already ("write"); this one nests.
  if (auto saved = db_.Run("SAVEPOINT isolated"); !saved) return Fail(saved.error());
  const Mark before = mark();
  Result<void> result = fn();
  if (!db_.InTransaction()) {
    // SQLite rolled the whole transaction back (disk full, I/O error): nothing to keep.
    return Fail(ErrorCode::kUnavailable,
                "the transaction was rolled back under an isolated step" +
                    (result ? std::string() : ": " + result.error().message));
  }
  if (result) {
    if (auto released = db_.Run("RELEASE isolated"); !released) return Fail(released.error());
    return std::optional<Error>();
  }
  auto undone = db_.Run("ROLLBACK TO isolated");
  if (undone) undone = db_.Run("RELEASE isolated");
  if (!undone) {
    return Fail(ErrorCode::kInternal, result.error().message + " (undoing it failed too: " +
                                          undone.error().message + ")");
  }
  RollBackTo(before);
  return std::optional<Error>(result.error());
}

}  // namespace redress::store::sqlite
