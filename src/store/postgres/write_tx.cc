#include "store/postgres/write_tx.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "core/time_format.h"
#include "store/append_check.h"
#include "store/case_columns.h"
#include "store/commitments_column.h"
#include "store/postgres/queries.h"
#include "store/search_text.h"

namespace redress::store::postgres {
namespace {

std::string CaseName(int64_t case_id) { return "case " + std::to_string(case_id); }

std::optional<int64_t> OptionalMicros(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return MicrosFromTimestamp(*t);
}

tl::unexpected<Error> While(std::string_view doing, Error error) {
  error.message = std::string(doing) + ": " + error.message;
  return Fail(std::move(error));
}

}  // namespace

Result<int64_t> PgWriteTx::NextCaseId() {
  auto rows = conn_.Query("SELECT nextval('case_ids')");
  if (!rows) return While("allocating a case id", rows.error());
  return rows->Int64(0, 0);
}

Result<domain::CaseState> PgWriteTx::LoadCaseForUpdate(int64_t case_id) {
  auto found = FindCase(conn_, case_id, /*lock=*/true);
  if (!found) return Fail(found.error());
  if (!*found) return Fail(ErrorCode::kNotFound, CaseName(case_id) + " does not exist");
  return std::move(**found);
}

Result<void> PgWriteTx::AppendEvents(const std::optional<domain::CaseState>& before,
                                     const std::vector<domain::Event>& events,
                                     const domain::CaseState& after,
                                     const std::optional<CaseDue>& due) {
  if (auto ok = CheckAppendContinues(before, events, after); !ok) return ok;
  const std::string name = CaseName(after.id);

  if (!before) {
    auto customer =
        conn_.Query("SELECT 1 FROM customers WHERE id = $1", Params().Int64(after.customer_id));
    if (!customer) return Fail(customer.error());
    if (customer->empty()) {
      return Fail(ErrorCode::kNotFound,
                  "customer " + std::to_string(after.customer_id) + " does not exist");
    }
    // A taken id is named plainly here; the INSERT's primary key still guards a race.
    auto stored = FindCase(conn_, after.id);
    if (!stored) return Fail(stored.error());
    if (*stored) return Fail(ErrorCode::kConflict, name + " already exists");
    if (auto written = InsertProjection(after, due); !written) return written;
  } else if (auto updated = UpdateProjection(*before, after, due); !updated) {
    return updated;
  }
  if (auto inserted = InsertEventsAndNotify(events, after.id); !inserted) return inserted;
  // The search index changes with the events, in the same transaction.
  for (const std::string& text : SearchTexts(!before, after, events)) {
    auto ran = conn_.Query("INSERT INTO case_text (case_id, text) VALUES ($1, $2)",
                           Params().Int64(after.id).Text(text));
    if (!ran) return While("indexing " + name, ran.error());
  }
  return {};
}

namespace {

// The projection's columns as $1..$21, in the order of the INSERT and UPDATE below.
Params ProjectionParams(const domain::CaseState& c) {
  Params params;
  params.Int64(c.id)
      .Int64(c.customer_id)
      .Text(c.subject)
      .Text(domain::CaseStatusName(c.status))
      .Text(domain::PriorityName(c.priority))
      .Text(c.category)
      .Int64(c.level)
      .OptionalInt64(c.owner_id)
      .Text(c.owner_name)
      .Text(domain::ChannelName(c.channel))
      .Int64(MicrosFromTimestamp(c.opened_at))
      .Int64(MicrosFromTimestamp(c.updated_at))
      .OptionalInt64(OptionalMicros(c.first_response_at))
      .OptionalInt64(OptionalMicros(c.last_customer_message_at))
      .Int64(c.customer_messages)
      .Int64(c.staff_replies)
      .Int64(c.internal_notes)
      .Int64(c.transfers)
      .Int64(c.last_seq)
      .Text(c.head_hash)
      .Text(EncodeCommitmentsColumn(c.commitments));
  return params;
}

// next_due_at and timer_at, appended to `params`.
Params& WithDue(Params& params, const CaseDue& due) {
  return params.OptionalInt64(OptionalMicros(due.next_step))
      .OptionalInt64(OptionalMicros(due.timer));
}

}  // namespace

// The parameters of the projection's columns (store/case_columns.h) as ProjectionParams
// binds them, and the due times as the two parameters after them, so that the INSERT and
// the UPDATE are written once with and once without them.
#define REDRESS_PROJECTION_VALUES                                                         \
  "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19," \
  " $20, $21"
#define REDRESS_PROJECTION_SET                                                            \
  "customer_id = $2, subject = $3, status = $4, priority = $5, category = $6, level = $7," \
  " owner_id = $8, owner_name = $9, channel = $10, opened_at = $11, updated_at = $12,"    \
  " first_response_at = $13, last_customer_message_at = $14, customer_messages = $15,"    \
  " staff_replies = $16, internal_notes = $17, transfers = $18, last_seq = $19,"          \
  " head_hash = $20, commitments = $21"
#define REDRESS_HEAD_CHECK " WHERE id = $1 AND last_seq = $22 AND head_hash = $23"

Result<void> PgWriteTx::InsertProjection(const domain::CaseState& c,
                                         const std::optional<CaseDue>& due) {
  // Inserted, not upserted: an id that is taken fails on the primary key (kConflict)
  // instead of overwriting another case.
  Params params = ProjectionParams(c);
  if (due) WithDue(params, *due);
  auto ran = conn_.Query(due ? "INSERT INTO cases (" REDRESS_CASE_COLUMNS
                               ", next_due_at, timer_at)"
                               " VALUES (" REDRESS_PROJECTION_VALUES ", $22, $23)"
                             : "INSERT INTO cases (" REDRESS_CASE_COLUMNS
                               ")"
                               " VALUES (" REDRESS_PROJECTION_VALUES ")",
                         params);
  if (!ran) return While("writing the row of " + CaseName(c.id), ran.error());
  return {};
}

Result<void> PgWriteTx::UpdateProjection(const domain::CaseState& before,
                                         const domain::CaseState& c,
                                         const std::optional<CaseDue>& due) {
  // Compare-and-set on the head the caller read: the UPDATE locks the row (waiting for a
  // writer that holds it) and checks the head on the newest version, so a concurrent
  // append makes it match nothing instead of being overwritten. Nothing here waits for its
  // answer: it travels with the next statement (Connection::DeferCompareAndSet), and if
  // it matched nothing, that statement fails with kConflict and so does every later one
  // until the write or its isolated step is rolled back.
  Params params = ProjectionParams(c);
  params.Int64(before.last_seq).Text(before.head_hash);
  if (due) WithDue(params, *due);
  auto queued = conn_.DeferCompareAndSet(
      due ? "UPDATE cases SET " REDRESS_PROJECTION_SET
            ", next_due_at = $24, timer_at = $25, timer_failures = 0" REDRESS_HEAD_CHECK
          : "UPDATE cases SET " REDRESS_PROJECTION_SET REDRESS_HEAD_CHECK,
      params,
      CaseName(c.id) +
          " changed since it was read, or no longer exists: expected its last event at seq " +
          std::to_string(before.last_seq));
  if (!queued) return While("writing the row of " + CaseName(c.id), queued.error());
  return {};
}

Result<void> PgWriteTx::InsertEventsAndNotify(const std::vector<domain::Event>& events,
                                              int64_t case_id) {
  // One round trip for every event of the append (CheckAppendContinues made sure there is
  // at least one) and the change notice, which every LISTENing node gets when (and only
  // if) this transaction commits.
  constexpr int kColumns = 12;
  std::string sql =
      "WITH inserted AS (INSERT INTO events (case_id, seq, type, at, actor_kind, actor_id,"
      " actor_name, channel, visibility, data, prev_hash, hash) VALUES ";
  Params params;
  for (size_t n = 0; n < events.size(); ++n) {
    const domain::Event& e = events[n];
    sql += n == 0 ? "(" : ", (";
    for (int column = 1; column <= kColumns; ++column) {
      if (column > 1) sql += ", ";
      sql += "$" + std::to_string(static_cast<int>(n) * kColumns + column);
    }
    sql += ")";
    params.Int64(e.case_id)
        .Int64(e.seq)
        .Text(domain::EventTypeName(e.type))
        .Int64(MicrosFromTimestamp(e.at))
        .Text(domain::ActorKindName(e.actor.kind))
        .Int64(e.actor.id)
        .Text(e.actor.name)
        .Text(domain::ChannelName(e.channel))
        .Text(domain::VisibilityName(e.visibility))
        .Text(boost::json::serialize(e.data))
        .Text(e.prev_hash)
        .Text(e.hash);
  }
  sql += " RETURNING 1) SELECT pg_notify('redress_case_changed', $" +
         std::to_string(params.values().size() + 1) + ")";
  params.Text(std::to_string(case_id));
  // Nothing reads its answer: it travels with the next statement (Connection::Defer), at
  // the latest the write's COMMIT, right behind the row update. If that update's head
  // check failed, its conflict is the failure reported (the first in the queue); these
  // events then collide with the ones that moved the head, or find no case.
  const std::string what = "appending events " + std::to_string(events.front().seq) + ".." +
                           std::to_string(events.back().seq) + " of " + CaseName(case_id);
  if (auto queued = conn_.Defer(sql, params, what); !queued) return While(what, queued.error());
  return {};
}

Result<void> PgWriteTx::InsertCustomer(domain::Customer& customer) {
  // Check every identity first so the error names the customer holding it. Two nodes
  // inserting the same identity at once both pass this check; the unique key then fails
  // the second (kConflict).
  std::set<std::pair<domain::IdentityKind, std::string>> seen;
  for (const domain::Identity& identity : customer.identities) {
    const std::string described =
        std::string(domain::IdentityKindName(identity.kind)) + " " + identity.value;
    if (!seen.emplace(identity.kind, identity.value).second) {
      return Fail(ErrorCode::kInvalidArgument, described + " is listed twice");
    }
    auto owner = FindIdentityOwner(conn_, identity.kind, identity.value);
    if (!owner) return Fail(owner.error());
    if (*owner) {
      return Fail(ErrorCode::kConflict,
                  described + " already belongs to customer " + std::to_string(**owner));
    }
  }
  auto inserted =
      conn_.Query("INSERT INTO customers (name, created_at, tier) VALUES ($1, $2, $3) RETURNING id",
                  Params()
                      .Text(customer.name)
                      .Int64(MicrosFromTimestamp(customer.created_at))
                      .Text(customer.tier));
  if (!inserted) return While("inserting customer", inserted.error());
  const int64_t id = inserted->Int64(0, 0);
  for (const domain::Identity& identity : customer.identities) {
    auto ran = conn_.Query(
        "INSERT INTO customer_identities (kind, value, customer_id, verified)"
        " VALUES ($1, $2, $3, $4)",
        Params()
            .Text(domain::IdentityKindName(identity.kind))
            .Text(identity.value)
            .Int64(id)
            .Text(identity.verified ? "true" : "false"));
    if (!ran) return While("inserting identity " + identity.value, ran.error());
  }
  customer.id = id;
  return {};
}

Result<void> PgWriteTx::InsertUser(domain::User& user) {
  if (user.role == domain::Role::kCustomer || user.role == domain::Role::kSystem) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("a user cannot have the role ") + domain::RoleName(user.role), "role");
  }
  auto existing = FindUserByEmail(conn_, user.email);
  if (!existing) return Fail(existing.error());
  if (*existing) {
    return Fail(ErrorCode::kConflict, "email " + user.email + " already belongs to user " +
                                          std::to_string((*existing)->id));
  }
  auto inserted = conn_.Query(
      "INSERT INTO users (email, display_name, role, level, active, password_hash, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      Params()
          .Text(user.email)
          .Text(user.display_name)
          .Text(domain::RoleName(user.role))
          .Int64(user.level)
          .Text(user.active ? "true" : "false")
          .Text(user.password_hash)
          .Int64(MicrosFromTimestamp(user.created_at)));
  if (!inserted) return While("inserting user " + user.email, inserted.error());
  user.id = inserted->Int64(0, 0);
  return {};
}

Result<void> PgWriteTx::SetCustomerTier(int64_t customer_id, const std::string& tier) {
  auto ran = conn_.Query("UPDATE customers SET tier = $1 WHERE id = $2",
                         Params().Text(tier).Int64(customer_id));
  if (!ran) return Fail(ran.error());
  if (ran->Affected() == 0) {
    return Fail(ErrorCode::kNotFound,
                "customer " + std::to_string(customer_id) + " does not exist");
  }
  return {};
}

Result<std::string> PgWriteTx::LoadCustomerTier(int64_t customer_id) {
  auto rows = conn_.Query("SELECT tier FROM customers WHERE id = $1", Params().Int64(customer_id));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) {
    return Fail(ErrorCode::kNotFound,
                "customer " + std::to_string(customer_id) + " does not exist");
  }
  return rows->Text(0, 0);
}

Result<void> PgWriteTx::SetCustomerPassword(int64_t customer_id, const std::string& hash) {
  auto ran = conn_.Query("UPDATE customers SET password_hash = $1 WHERE id = $2",
                         Params().Text(hash).Int64(customer_id));
  if (!ran) return Fail(ran.error());
  if (ran->Affected() == 0) {
    return Fail(ErrorCode::kNotFound,
                "customer " + std::to_string(customer_id) + " does not exist");
  }
  return {};
}

Result<void> PgWriteTx::InsertApiToken(const domain::ApiToken& token) {
  auto ran = conn_.Query(
      "INSERT INTO api_tokens (token_hash, owner_role, owner_id, label, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5, $6)",
      Params()
          .Text(token.token_hash)
          .Text(domain::RoleName(token.owner.role))
          .Int64(token.owner.id)
          .Text(token.label)
          .Int64(MicrosFromTimestamp(token.created_at))
          .OptionalInt64(OptionalMicros(token.expires_at)));
  if (!ran) return While("inserting API token", ran.error());
  return {};
}

Result<void> PgWriteTx::InsertSession(const domain::Session& session) {
  auto ran = conn_.Query(
      "INSERT INTO sessions (session_hash, owner_role, owner_id, csrf_token, created_at,"
      " expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
      Params()
          .Text(session.session_hash)
          .Text(domain::RoleName(session.owner.role))
          .Int64(session.owner.id)
          .Text(session.csrf_token)
          .Int64(MicrosFromTimestamp(session.created_at))
          .Int64(MicrosFromTimestamp(session.expires_at)));
  if (!ran) return While("inserting session", ran.error());
  return {};
}

Result<void> PgWriteTx::DeleteSession(const std::string& session_hash) {
  auto ran =
      conn_.Query("DELETE FROM sessions WHERE session_hash = $1", Params().Text(session_hash));
  if (!ran) return Fail(ran.error());
  return {};
}

Result<std::optional<IdempotencyRecord>> PgWriteTx::FindIdempotency(const std::string& scope,
                                                                    const std::string& key) {
  // READ COMMITTED takes a fresh snapshot per statement, so once the lock is ours the
  // SELECT below sees whatever the previous holder committed.
  auto locked = conn_.Query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                            Params().Text(scope + "\n" + key));
  if (!locked) return While("locking idempotency key " + key, locked.error());
  return postgres::FindIdempotency(conn_, scope, key);
}

Result<void> PgWriteTx::InsertIdempotency(const IdempotencyRecord& r) {
  auto ran = conn_.Query(
      "INSERT INTO idempotency (scope, key, fingerprint, status, body, location, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
      Params()
          .Text(r.scope)
          .Text(r.key)
          .Text(r.fingerprint)
          .Int64(r.status)
          .Text(r.body)
          .Text(r.location)
          .Int64(MicrosFromTimestamp(r.created_at)));
  if (!ran) return While("recording idempotency key " + r.key + " for " + r.scope, ran.error());
  return {};
}

}  // namespace redress::store::postgres

namespace redress::store::postgres {
namespace {

Error LeaseLost(int64_t job_id, const std::string& owner) {
  return Error{ErrorCode::kConflict,
               "job " + std::to_string(job_id) + " is no longer leased to " + owner +
                   " (its lease expired and another worker claimed it, or it is done)",
               {}};
}

}  // namespace

Result<bool> PgWriteTx::ScheduleJob(const JobSpec& job) {
  // A concurrent insert of the same key on another node waits for that transaction and
  // then does nothing: no error, so the caller's transaction stays usable.
  auto ran = conn_.Query(
      "INSERT INTO jobs (kind, key, due_at, payload, created_at) VALUES ($1, $2, $3, $4, $3)"
      " ON CONFLICT (kind, key) DO NOTHING",
      Params()
          .Text(job.kind)
          .Text(job.key)
          .Int64(MicrosFromTimestamp(job.due_at))
          .Text(job.payload));
  if (!ran) return While("scheduling job " + job.kind, ran.error());
  return ran->Affected() == 1;
}

Result<std::vector<ClaimedJob>> PgWriteTx::ClaimJobs(const JobClaim& claim) {
  if (claim.limit < 1) return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1");
  // SKIP LOCKED: rows another claimer is taking right now are passed over instead of
  // waited for. Under READ COMMITTED a locked row is re-checked against the WHERE clause
  // on its newest version, so a job leased a moment ago by another node is not taken.
  auto rows = conn_.Query(
      "UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1"
      " WHERE id IN (SELECT id FROM jobs WHERE kind = $3 AND state = 'pending' AND due_at <= $4"
      " AND (lease_until IS NULL OR lease_until <= $4) ORDER BY due_at, id LIMIT $5"
      " FOR UPDATE SKIP LOCKED)"
      " RETURNING id, kind, key, due_at, payload, attempts, last_error",
      Params()
          .Text(claim.owner)
          .Int64(MicrosFromTimestamp(claim.now + claim.lease))
          .Text(claim.kind)
          .Int64(MicrosFromTimestamp(claim.now))
          .Int64(claim.limit));
  if (!rows) return While("claiming " + claim.kind + " jobs", rows.error());
  std::vector<ClaimedJob> jobs;
  for (int r = 0; r < rows->size(); ++r) {
    jobs.push_back(ClaimedJob{rows->Int64(r, 0), rows->Text(r, 1), rows->Text(r, 2),
                              TimestampFromMicros(rows->Int64(r, 3)), rows->Text(r, 4),
                              static_cast<int>(rows->Int64(r, 5)), rows->Text(r, 6)});
  }
  std::sort(jobs.begin(), jobs.end(), [](const ClaimedJob& a, const ClaimedJob& b) {
    return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
  });
  return jobs;
}

Result<void> PgWriteTx::CompleteJob(int64_t job_id, const std::string& owner, Timestamp now) {
  auto ran = conn_.Query(
      "UPDATE jobs SET state = 'done', completed_at = $3, lease_until = NULL"
      " WHERE id = $1 AND lease_owner = $2 AND state = 'pending'",
      Params().Int64(job_id).Text(owner).Int64(MicrosFromTimestamp(now)));
  if (!ran) return Fail(ran.error());
  if (ran->Affected() == 0) return Fail(LeaseLost(job_id, owner));
  return {};
}

Result<void> PgWriteTx::RetryJob(int64_t job_id, const std::string& owner, Timestamp retry_at,
                                 const std::string& error) {
  auto ran = conn_.Query(
      "UPDATE jobs SET due_at = $3, last_error = $4, lease_owner = NULL, lease_until = NULL"
      " WHERE id = $1 AND lease_owner = $2 AND state = 'pending'",
      Params().Int64(job_id).Text(owner).Int64(MicrosFromTimestamp(retry_at)).Text(error));
  if (!ran) return Fail(ran.error());
  if (ran->Affected() == 0) return Fail(LeaseLost(job_id, owner));
  return {};
}

Result<bool> PgWriteTx::ExpediteJob(const std::string& kind, const std::string& key,
                                    Timestamp due_at) {
  auto ran = conn_.Query(
      "UPDATE jobs SET due_at = least(due_at, $3)"
      " WHERE kind = $1 AND key = $2 AND state = 'pending'",
      Params().Text(kind).Text(key).Int64(MicrosFromTimestamp(due_at)));
  if (!ran) return While("expediting job " + kind, ran.error());
  return ran->Affected() == 1;
}

Result<int64_t> PgWriteTx::PutSetting(const std::string& key, const std::string& value,
                                      Timestamp now) {
  auto rows = conn_.Query(
      "INSERT INTO settings (key, value, version, updated_at) VALUES ($1, $2, 1, $3)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1,"
      " updated_at = excluded.updated_at RETURNING version",
      Params().Text(key).Text(value).Int64(MicrosFromTimestamp(now)));
  if (!rows) return While("storing setting " + key, rows.error());
  return rows->Int64(0, 0);
}

Result<int64_t> PgWriteTx::LoadRoutingCursor(const std::string& level_id) {
  if (auto known = cursors_.find(level_id); known != cursors_.end()) return known->second;
  // FOR UPDATE: two nodes routing into the same level at once take turns, so they pick
  // different members.
  auto rows = conn_.Query("SELECT cursor FROM routing_cursors WHERE level_id = $1 FOR UPDATE",
                          Params().Text(level_id));
  if (!rows) return While("reading the routing cursor of " + level_id, rows.error());
  const int64_t cursor = rows->empty() ? 0 : rows->Int64(0, 0);
  cursors_.emplace(level_id, cursor);
  return cursor;
}

Result<void> PgWriteTx::SaveRoutingCursor(const std::string& level_id, int64_t cursor) {
  // Nothing reads the answer, so it goes with the next statement (Connection::Defer); the
  // row is locked by LoadRoutingCursor, and a failure fails that statement or the commit.
  auto queued = conn_.Defer(
      "INSERT INTO routing_cursors (level_id, cursor) VALUES ($1, $2)"
      " ON CONFLICT (level_id) DO UPDATE SET cursor = excluded.cursor",
      Params().Text(level_id).Int64(cursor));
  if (!queued) return While("saving the routing cursor of " + level_id, queued.error());
  // Known only if locked: a cursor saved without being read is read (and locked) next time.
  if (auto known = cursors_.find(level_id); known != cursors_.end()) known->second = cursor;
  return {};
}

Result<void> PgWriteTx::SetCaseDue(int64_t case_id, const CaseDue& due) {
  Params params;
  params.Int64(case_id);
  auto rows = conn_.Query(
      "UPDATE cases SET next_due_at = $2, timer_at = $3, timer_failures = 0 WHERE id = $1",
      WithDue(params, due));
  if (!rows) return While("setting the due times of " + CaseName(case_id), rows.error());
  if (rows->Affected() == 0) {
    return Fail(ErrorCode::kNotFound, CaseName(case_id) + " does not exist");
  }
  return {};
}

Result<std::vector<DueCase>> PgWriteTx::ClaimDueCases(Timestamp now, int limit) {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1");
  // The rows stay locked until this write ends, and the caller fires the timers in it.
  // SKIP LOCKED passes over cases another node is firing (or another write holds) instead
  // of waiting; under READ COMMITTED a row is re-checked on its newest version, so a timer
  // another node has just moved is not taken.
  auto due = ClaimDueCaseRows(conn_, now, limit);
  if (!due) return While("reading the due case timers", due.error());
  return due;
}

Result<void> PgWriteTx::DeferCaseTimer(int64_t case_id, Timestamp retry_at) {
  auto rows = conn_.Query(
      "UPDATE cases SET timer_at = $2, timer_failures = timer_failures + 1 WHERE id = $1",
      Params().Int64(case_id).Int64(MicrosFromTimestamp(retry_at)));
  if (!rows) return While("deferring the timer of " + CaseName(case_id), rows.error());
  if (rows->Affected() == 0) {
    return Fail(ErrorCode::kNotFound, CaseName(case_id) + " does not exist");
  }
  return {};
}

Result<std::optional<Error>> PgWriteTx::Isolated(const std::function<Result<void>()>& fn) {
  // A round trip of its own (it also sends what earlier steps deferred), so that whatever
  // is still queued when the step fails was queued by the step.
  if (auto saved = conn_.Query("SAVEPOINT isolated"); !saved) return Fail(saved.error());
  Result<void> result = fn();
  // What the step deferred goes first, in a round trip of its own: a failure there is the
  // step's, undone below like any other. Not in one pipeline with the RELEASE: a
  // compare-and-set that changed nothing is no error to the server, which would then
  // release the savepoint that the rollback below needs. (Only the isolated retry of a
  // failed claim pays this round trip.)
  if (result) {
    result = conn_.FlushDeferred();
    if (!result && !conn_.Healthy()) return Fail(result.error());
  }
  if (result) {
    auto released = conn_.Query("RELEASE SAVEPOINT isolated");
    if (released) return std::optional<Error>();
    if (!conn_.Healthy()) return Fail(released.error());
    result = Fail(released.error());
  }
  // A failed statement aborted the transaction; rolling back to the savepoint revives it
  // (and undoes this step's pg_notify too). What the step deferred and did not send is
  // dropped, like a ROLLBACK's (it must not wait behind them). The step may have moved a
  // cursor: read it again.
  conn_.DiscardDeferred();
  cursors_.clear();
  auto undone = conn_.Query("ROLLBACK TO SAVEPOINT isolated");
  if (undone) undone = conn_.Query("RELEASE SAVEPOINT isolated");
  if (!undone) {
    return Fail(ErrorCode::kInternal, result.error().message + " (undoing it failed too: " +
                                          undone.error().message + ")");
  }
  return std::optional<Error>(result.error());
}

}  // namespace redress::store::postgres
