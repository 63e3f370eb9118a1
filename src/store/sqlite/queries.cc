#include "store/sqlite/queries.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <string_view>
#include <variant>

#include "core/time_format.h"
#include "domain/principal.h"
#include "store/case_columns.h"
#include "store/case_filter.h"
#include "store/commitments_column.h"

namespace redress::store::sqlite {
namespace {

// Column lists in the order the row readers below expect them.
#define REDRESS_EVENT_COLUMNS                                                             \
  "case_id, seq, type, at, actor_kind, actor_id, actor_name, channel, visibility, data, " \
  "prev_hash, hash"
#define REDRESS_USER_COLUMNS \
  "id, email, display_name, role, level, active, password_hash, created_at"

// Event payloads are written by us from a boost::json::object, so any depth we accepted on
// the way in must parse on the way out; Boost's default limit of 32 is too tight for that.
constexpr size_t kMaxJsonDepth = 4096;

Error Corrupt(std::string_view row, std::string_view problem) {
  return Error{ErrorCode::kCorruption, std::string(row) + ": " + std::string(problem), {}};
}

template <class Enum, class Parser>
Result<Enum> ParseColumn(const Statement& s, int column, Parser parse, std::string_view what,
                         std::string_view row) {
  std::string text = s.ColumnText(column);
  std::optional<Enum> value = parse(text);
  if (!value) return Fail(Corrupt(row, "unknown " + std::string(what) + " '" + text + "'"));
  return *value;
}

std::optional<Timestamp> OptionalTime(const Statement& s, int column) {
  std::optional<int64_t> micros = s.ColumnOptionalInt64(column);
  if (!micros) return std::nullopt;
  return TimestampFromMicros(*micros);
}

Result<domain::CaseState> ReadCase(const Statement& s) {
  domain::CaseState c;
  c.id = s.ColumnInt64(0);
  const std::string row = "cases row " + std::to_string(c.id);
  c.customer_id = s.ColumnInt64(1);
  c.subject = s.ColumnText(2);
  auto status = ParseColumn<domain::CaseStatus>(s, 3, domain::ParseCaseStatus, "status", row);
  if (!status) return Fail(status.error());
  c.status = *status;
  auto priority = ParseColumn<domain::Priority>(s, 4, domain::ParsePriority, "priority", row);
  if (!priority) return Fail(priority.error());
  c.priority = *priority;
  c.category = s.ColumnText(5);
  c.level = static_cast<int>(s.ColumnInt64(6));
  c.owner_id = s.ColumnOptionalInt64(7);
  c.owner_name = s.ColumnText(8);
  auto channel = ParseColumn<domain::Channel>(s, 9, domain::ParseChannel, "channel", row);
  if (!channel) return Fail(channel.error());
  c.channel = *channel;
  c.opened_at = TimestampFromMicros(s.ColumnInt64(10));
  c.updated_at = TimestampFromMicros(s.ColumnInt64(11));
  c.first_response_at = OptionalTime(s, 12);
  c.last_customer_message_at = OptionalTime(s, 13);
  c.customer_messages = s.ColumnInt64(14);
  c.staff_replies = s.ColumnInt64(15);
  c.internal_notes = s.ColumnInt64(16);
  c.transfers = s.ColumnInt64(17);
  c.last_seq = s.ColumnInt64(18);
  c.head_hash = s.ColumnText(19);
  auto commitments = DecodeCommitmentsColumn(s.ColumnText(20), row);
  if (!commitments) return Fail(commitments.error());
  c.commitments = std::move(*commitments);
  return c;
}

Result<domain::Event> ReadEvent(const Statement& s) {
  domain::Event e;
  e.case_id = s.ColumnInt64(0);
  e.seq = s.ColumnInt64(1);
  const std::string row =
      "event " + std::to_string(e.seq) + " of case " + std::to_string(e.case_id);
  auto type = ParseColumn<domain::EventType>(s, 2, domain::ParseEventType, "event type", row);
  if (!type) return Fail(type.error());
  e.type = *type;
  e.at = TimestampFromMicros(s.ColumnInt64(3));
  auto kind = ParseColumn<domain::ActorKind>(s, 4, domain::ParseActorKind, "actor kind", row);
  if (!kind) return Fail(kind.error());
  e.actor.kind = *kind;
  e.actor.id = s.ColumnInt64(5);
  e.actor.name = s.ColumnText(6);
  auto channel = ParseColumn<domain::Channel>(s, 7, domain::ParseChannel, "channel", row);
  if (!channel) return Fail(channel.error());
  e.channel = *channel;
  auto visibility =
      ParseColumn<domain::Visibility>(s, 8, domain::ParseVisibility, "visibility", row);
  if (!visibility) return Fail(visibility.error());
  e.visibility = *visibility;

  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value data = boost::json::parse(s.ColumnText(9), ec, {}, options);
  if (ec) return Fail(Corrupt(row, "data is not valid JSON: " + ec.message()));
  if (!data.is_object()) return Fail(Corrupt(row, "data is not a JSON object"));
  e.data = std::move(data.get_object());

  e.prev_hash = s.ColumnText(10);
  e.hash = s.ColumnText(11);
  return e;
}

Result<domain::User> ReadUser(const Statement& s) {
  domain::User u;
  u.id = s.ColumnInt64(0);
  const std::string row = "users row " + std::to_string(u.id);
  u.email = s.ColumnText(1);
  u.display_name = s.ColumnText(2);
  auto role = ParseColumn<domain::Role>(s, 3, domain::ParseRole, "role", row);
  if (!role) return Fail(role.error());
  u.role = *role;
  u.level = static_cast<int>(s.ColumnInt64(4));
  u.active = s.ColumnInt64(5) != 0;
  u.password_hash = s.ColumnText(6);
  u.created_at = TimestampFromMicros(s.ColumnInt64(7));
  return u;
}

Result<domain::CredentialOwner> ReadOwner(const Statement& s, int role_column,
                                          std::string_view row) {
  auto role = ParseColumn<domain::Role>(s, role_column, domain::ParseRole, "owner role", row);
  if (!role) return Fail(role.error());
  return domain::CredentialOwner{*role, s.ColumnInt64(role_column + 1)};
}

// Runs a query expected to return at most one row and reads it with `read`.
template <class T, class Reader>
Result<std::optional<T>> QueryOne(CachedStatement& statement, Reader read) {
  auto row = statement->Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<T>();
  auto value = read(*statement);
  if (!value) return Fail(value.error());
  return std::optional<T>(std::move(*value));
}

Result<std::vector<domain::Event>> ReadEvents(CachedStatement& statement) {
  std::vector<domain::Event> events;
  for (;;) {
    auto row = statement->Step();
    if (!row) return Fail(row.error());
    if (!*row) return events;
    auto event = ReadEvent(*statement);
    if (!event) return Fail(event.error());
    events.push_back(std::move(*event));
  }
}

Result<int64_t> QueryCount(Database& db, std::string_view sql) {
  auto statement = db.Prepare(sql);
  if (!statement) return Fail(statement.error());
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "no result row for \"" + std::string(sql) + "\"");
  return (*statement)->ColumnInt64(0);
}

}  // namespace

Result<std::vector<DueCase>> QueryDueCases(Database& db, Timestamp now, int limit) {
  auto statement = db.Prepare("SELECT " REDRESS_CASE_COLUMNS
                              ", timer_at, timer_failures FROM cases WHERE timer_at <= ?1"
                              " ORDER BY timer_at, id LIMIT ?2");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindInt64(1, MicrosFromTimestamp(now));
  s.BindInt64(2, limit);
  constexpr int kTimer = 21;  // after the case columns
  // A claim is usually full: growing the vector would move every case read so far.
  std::vector<DueCase> due;
  due.reserve(static_cast<size_t>(std::min(limit, 1024)));
  for (;;) {
    auto row = s.Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto state = ReadCase(s);
    if (!state) return Fail(state.error());
    due.push_back(DueCase{state->id, TimestampFromMicros(s.ColumnInt64(kTimer)),
                          static_cast<int>(s.ColumnInt64(kTimer + 1)), std::move(*state)});
  }
  return due;
}

Result<std::optional<domain::CaseState>> FindCase(Database& db, int64_t case_id) {
  auto statement = db.Prepare("SELECT " REDRESS_CASE_COLUMNS " FROM cases WHERE id = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, case_id);
  return QueryOne<domain::CaseState>(*statement, ReadCase);
}

namespace {

void BindFilter(Statement& s, const CaseFilterSql& filter) {
  int index = 1;
  for (const auto& value : filter.params) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      s.BindInt64(index++, *number);
    } else {
      s.BindText(index++, std::get<std::string>(value));
    }
  }
}

std::string Placeholder(int n) { return "?" + std::to_string(n); }

}  // namespace

Result<CasePage> QueryCases(Database& db, const CaseQuery& query) {
  if (query.limit < 1) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1", "limit");
  }
  if (query.offset < 0) {
    return Fail(ErrorCode::kInvalidArgument, "offset must not be negative", "offset");
  }
  const CaseFilterSql filter = BuildCaseFilter(query, true, Placeholder);
  const int limit_index = static_cast<int>(filter.params.size()) + 1;
  std::string sql = "SELECT " REDRESS_CASE_COLUMNS " FROM cases WHERE 1" + filter.where +
                    CaseOrderSql(query) + " LIMIT " + Placeholder(limit_index) + " OFFSET " +
                    Placeholder(limit_index + 1);
  auto statement = db.Prepare(sql);
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  BindFilter(s, filter);
  // One row more than asked tells whether another page follows without a COUNT.
  s.BindInt64(limit_index, int64_t{query.limit} + 1);
  s.BindInt64(limit_index + 1, query.sort_due ? query.offset : 0);

  CasePage page;
  for (;;) {
    auto row = s.Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (page.cases.size() == static_cast<size_t>(query.limit)) {
      page.next_before_id = page.cases.back().id;
      break;
    }
    auto c = ReadCase(s);
    if (!c) return Fail(c.error());
    page.cases.push_back(std::move(*c));
  }
  return page;
}

Result<int64_t> CountCases(Database& db, const CaseQuery& query) {
  const CaseFilterSql filter = BuildCaseFilter(query, false, Placeholder);
  auto statement = db.Prepare("SELECT count(*) FROM cases WHERE 1" + filter.where);
  if (!statement) return Fail(statement.error());
  BindFilter(**statement, filter);
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "no result row counting cases");
  return (*statement)->ColumnInt64(0);
}

Result<std::optional<Setting>> FindSetting(Database& db, const std::string& key) {
  auto statement =
      db.Prepare("SELECT value, version, updated_at FROM settings WHERE key = ?1");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindText(1, key);
  auto row = s.Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Setting>();
  Setting setting{key, s.ColumnText(0), s.ColumnInt64(1), TimestampFromMicros(s.ColumnInt64(2))};
  if (auto done = s.Run(); !done) return Fail(done.error());
  return std::optional<Setting>(std::move(setting));
}

Result<EventPage> QueryEvents(Database& db, const EventQuery& query) {
  if (query.limit < 1) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1", "limit");
  }
  auto statement =
      db.Prepare(query.include_internal
                     ? "SELECT " REDRESS_EVENT_COLUMNS
                       " FROM events WHERE case_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
                     : "SELECT " REDRESS_EVENT_COLUMNS
                       " FROM events WHERE case_id = ?1 AND seq > ?2 AND visibility = 'public'"
                       " ORDER BY seq LIMIT ?3");
  if (!statement) return Fail(statement.error());
  Statement& s = **statement;
  s.BindInt64(1, query.case_id);
  s.BindInt64(2, query.after_seq);
  s.BindInt64(3, int64_t{query.limit} + 1);

  EventPage page;
  for (;;) {
    auto row = s.Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    if (page.events.size() == static_cast<size_t>(query.limit)) {
      page.next_after_seq = page.events.back().seq;
      break;
    }
    auto event = ReadEvent(s);
    if (!event) return Fail(event.error());
    page.events.push_back(std::move(*event));
  }
  return page;
}

Result<std::vector<domain::Event>> QueryAllEvents(Database& db, int64_t case_id) {
  auto statement =
      db.Prepare("SELECT " REDRESS_EVENT_COLUMNS " FROM events WHERE case_id = ?1 ORDER BY seq");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, case_id);
  return ReadEvents(*statement);
}

Result<std::vector<int64_t>> QueryCaseIds(Database& db, int64_t after_id, int limit) {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1", "limit");
  auto statement = db.Prepare("SELECT id FROM cases WHERE id > ?1 ORDER BY id LIMIT ?2");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, after_id);
  (*statement)->BindInt64(2, limit);
  std::vector<int64_t> ids;
  for (;;) {
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return ids;
    ids.push_back((*statement)->ColumnInt64(0));
  }
}

Result<std::optional<domain::Customer>> FindCustomer(Database& db, int64_t customer_id) {
  domain::Customer customer;
  {
    auto statement = db.Prepare("SELECT id, name, created_at, tier FROM customers WHERE id = ?1");
    if (!statement) return Fail(statement.error());
    (*statement)->BindInt64(1, customer_id);
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return std::optional<domain::Customer>();
    customer.id = (*statement)->ColumnInt64(0);
    customer.name = (*statement)->ColumnText(1);
    customer.created_at = TimestampFromMicros((*statement)->ColumnInt64(2));
    customer.tier = (*statement)->ColumnText(3);
  }
  auto statement = db.Prepare(
      "SELECT kind, value, verified FROM customer_identities WHERE customer_id = ?1 ORDER BY id");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, customer_id);
  const std::string row_name = "identities of customer " + std::to_string(customer_id);
  for (;;) {
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto kind = ParseColumn<domain::IdentityKind>(**statement, 0, domain::ParseIdentityKind,
                                                  "identity kind", row_name);
    if (!kind) return Fail(kind.error());
    customer.identities.push_back(
        domain::Identity{*kind, (*statement)->ColumnText(1), (*statement)->ColumnInt64(2) != 0});
  }
  return std::optional<domain::Customer>(std::move(customer));
}

Result<std::optional<int64_t>> FindIdentityOwner(Database& db, domain::IdentityKind kind,
                                                 const std::string& value) {
  auto statement =
      db.Prepare("SELECT customer_id FROM customer_identities WHERE kind = ?1 AND value = ?2");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, domain::IdentityKindName(kind));
  (*statement)->BindText(2, value);
  return QueryOne<int64_t>(*statement,
                           [](const Statement& s) -> Result<int64_t> { return s.ColumnInt64(0); });
}

Result<std::optional<std::pair<domain::Customer, std::string>>> FindCustomerLogin(
    Database& db, const std::string& email) {
  using Login = std::pair<domain::Customer, std::string>;
  int64_t customer_id = 0;
  std::string password_hash;
  {
    auto statement = db.Prepare(
        "SELECT c.id, c.password_hash FROM customer_identities i"
        " JOIN customers c ON c.id = i.customer_id WHERE i.kind = 'email' AND i.value = ?1");
    if (!statement) return Fail(statement.error());
    (*statement)->BindText(1, email);
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return std::optional<Login>();
    customer_id = (*statement)->ColumnInt64(0);
    password_hash = (*statement)->ColumnText(1);
  }
  auto customer = FindCustomer(db, customer_id);
  if (!customer) return Fail(customer.error());
  // Customers are never deleted, so the row the join just found must still be there.
  if (!*customer) {
    return Fail(ErrorCode::kInternal,
                "customer " + std::to_string(customer_id) + " vanished during login lookup");
  }
  return std::optional<Login>(Login(std::move(**customer), std::move(password_hash)));
}

Result<std::optional<domain::User>> FindUser(Database& db, int64_t user_id) {
  auto statement = db.Prepare("SELECT " REDRESS_USER_COLUMNS " FROM users WHERE id = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindInt64(1, user_id);
  return QueryOne<domain::User>(*statement, ReadUser);
}

Result<std::optional<domain::User>> FindUserByEmail(Database& db, const std::string& email) {
  auto statement = db.Prepare("SELECT " REDRESS_USER_COLUMNS " FROM users WHERE email = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, email);
  return QueryOne<domain::User>(*statement, ReadUser);
}

Result<std::vector<domain::User>> QueryUsers(Database& db) {
  auto statement = db.Prepare("SELECT " REDRESS_USER_COLUMNS " FROM users ORDER BY id");
  if (!statement) return Fail(statement.error());
  std::vector<domain::User> users;
  for (;;) {
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return users;
    auto user = ReadUser(**statement);
    if (!user) return Fail(user.error());
    users.push_back(std::move(*user));
  }
}

Result<std::optional<domain::ApiToken>> FindApiToken(Database& db, const std::string& token_hash) {
  auto statement = db.Prepare(
      "SELECT token_hash, owner_role, owner_id, label, created_at, expires_at"
      " FROM api_tokens WHERE token_hash = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, token_hash);
  return QueryOne<domain::ApiToken>(*statement, [](const Statement& s) -> Result<domain::ApiToken> {
    domain::ApiToken token;
    token.token_hash = s.ColumnText(0);
    auto owner = ReadOwner(s, 1, "api token " + token.token_hash.substr(0, 8));
    if (!owner) return Fail(owner.error());
    token.owner = *owner;
    token.label = s.ColumnText(3);
    token.created_at = TimestampFromMicros(s.ColumnInt64(4));
    token.expires_at = OptionalTime(s, 5);
    return token;
  });
}

Result<std::optional<domain::Session>> FindSession(Database& db, const std::string& session_hash) {
  auto statement = db.Prepare(
      "SELECT session_hash, owner_role, owner_id, csrf_token, created_at, expires_at"
      " FROM sessions WHERE session_hash = ?1");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, session_hash);
  return QueryOne<domain::Session>(*statement, [](const Statement& s) -> Result<domain::Session> {
    domain::Session session;
    session.session_hash = s.ColumnText(0);
    auto owner = ReadOwner(s, 1, "session " + session.session_hash.substr(0, 8));
    if (!owner) return Fail(owner.error());
    session.owner = *owner;
    session.csrf_token = s.ColumnText(3);
    session.created_at = TimestampFromMicros(s.ColumnInt64(4));
    session.expires_at = TimestampFromMicros(s.ColumnInt64(5));
    return session;
  });
}

Result<std::optional<IdempotencyRecord>> FindIdempotency(Database& db, const std::string& scope,
                                                         const std::string& key) {
  auto statement = db.Prepare(
      "SELECT scope, key, fingerprint, status, body, location, created_at"
      " FROM idempotency WHERE scope = ?1 AND key = ?2");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, scope);
  (*statement)->BindText(2, key);
  return QueryOne<IdempotencyRecord>(*statement,
                                     [](const Statement& s) -> Result<IdempotencyRecord> {
                                       IdempotencyRecord record;
                                       record.scope = s.ColumnText(0);
                                       record.key = s.ColumnText(1);
                                       record.fingerprint = s.ColumnText(2);
                                       record.status = static_cast<int>(s.ColumnInt64(3));
                                       record.body = s.ColumnText(4);
                                       record.location = s.ColumnText(5);
                                       record.created_at = TimestampFromMicros(s.ColumnInt64(6));
                                       return record;
                                     });
}

Result<std::vector<int64_t>> SearchCaseIds(Database& db, const std::vector<std::string>& words,
                                           int limit) {
  // Each word as an FTS5 string ("..."), implicitly ANDed. Words never contain a quote
  // (SearchWords splits on everything but letters and digits), so no escaping is needed.
  std::string match;
  for (const std::string& word : words) {
    if (!match.empty()) match += ' ';
    match += '"' + word + '"';
  }
  auto statement = db.Prepare(
      "SELECT case_id FROM (SELECT case_id, rank FROM case_text WHERE case_text MATCH ?1)"
      " GROUP BY case_id ORDER BY min(rank), case_id DESC LIMIT ?2");
  if (!statement) return Fail(statement.error());
  (*statement)->BindText(1, match);
  (*statement)->BindInt64(2, limit);
  std::vector<int64_t> ids;
  for (;;) {
    auto row = (*statement)->Step();
    if (!row) return Fail(row.error());
    if (!*row) return ids;
    ids.push_back((*statement)->ColumnInt64(0));
  }
}

Result<StoreStats> CountRows(Database& db) {
  StoreStats stats;
  // Every case's last_seq is its event count (seqs start at 1 without gaps, and the
  // projection is written with the events), so summing it avoids scanning the whole log.
  auto statement = db.Prepare("SELECT count(*), coalesce(sum(last_seq), 0) FROM cases");
  if (!statement) return Fail(statement.error());
  auto row = (*statement)->Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "no result row counting cases");
  stats.cases = (*statement)->ColumnInt64(0);
  stats.events = (*statement)->ColumnInt64(1);
  auto customers = QueryCount(db, "SELECT count(*) FROM customers");
  if (!customers) return Fail(customers.error());
  stats.customers = *customers;
  return stats;
}

}  // namespace redress::store::sqlite
