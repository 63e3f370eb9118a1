#include "store/postgres/queries.h"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <string_view>
#include <variant>

#include "core/time_format.h"
#include "domain/principal.h"
#include "store/case_columns.h"
#include "store/case_filter.h"
#include "store/commitments_column.h"

namespace redress::store::postgres {
namespace {

#define REDRESS_EVENT_COLUMNS                                                             \
  "case_id, seq, type, at, actor_kind, actor_id, actor_name, channel, visibility, data, " \
  "prev_hash, hash"
#define REDRESS_USER_COLUMNS \
  "id, email, display_name, role, level, active, password_hash, created_at"

constexpr size_t kMaxJsonDepth = 4096;  // as in the SQLite backend: whatever we wrote parses

Error Corrupt(std::string_view row, std::string_view problem) {
  return Error{ErrorCode::kCorruption, std::string(row) + ": " + std::string(problem), {}};
}

template <class Enum, class Parser>
Result<Enum> ParseColumn(const Rows& rows, int r, int column, Parser parse, std::string_view what,
                         std::string_view row) {
  std::string text = rows.Text(r, column);
  std::optional<Enum> value = parse(text);
  if (!value) return Fail(Corrupt(row, "unknown " + std::string(what) + " '" + text + "'"));
  return *value;
}

std::optional<Timestamp> OptionalTime(const Rows& rows, int r, int column) {
  std::optional<int64_t> micros = rows.OptionalInt64(r, column);
  if (!micros) return std::nullopt;
  return TimestampFromMicros(*micros);
}

Result<domain::CaseState> ReadCase(const Rows& s, int r) {
  domain::CaseState c;
  c.id = s.Int64(r, 0);
  const std::string row = "cases row " + std::to_string(c.id);
  c.customer_id = s.Int64(r, 1);
  c.subject = s.Text(r, 2);
  auto status = ParseColumn<domain::CaseStatus>(s, r, 3, domain::ParseCaseStatus, "status", row);
  if (!status) return Fail(status.error());
  c.status = *status;
  auto priority = ParseColumn<domain::Priority>(s, r, 4, domain::ParsePriority, "priority", row);
  if (!priority) return Fail(priority.error());
  c.priority = *priority;
  c.category = s.Text(r, 5);
  c.level = static_cast<int>(s.Int64(r, 6));
  c.owner_id = s.OptionalInt64(r, 7);
  c.owner_name = s.Text(r, 8);
  auto channel = ParseColumn<domain::Channel>(s, r, 9, domain::ParseChannel, "channel", row);
  if (!channel) return Fail(channel.error());
  c.channel = *channel;
  c.opened_at = TimestampFromMicros(s.Int64(r, 10));
  c.updated_at = TimestampFromMicros(s.Int64(r, 11));
  c.first_response_at = OptionalTime(s, r, 12);
  c.last_customer_message_at = OptionalTime(s, r, 13);
  c.customer_messages = s.Int64(r, 14);
  c.staff_replies = s.Int64(r, 15);
  c.internal_notes = s.Int64(r, 16);
  c.transfers = s.Int64(r, 17);
  c.last_seq = s.Int64(r, 18);
  c.head_hash = s.Text(r, 19);
  auto commitments = DecodeCommitmentsColumn(s.Text(r, 20), row);
  if (!commitments) return Fail(commitments.error());
  c.commitments = std::move(*commitments);
  return c;
}

Result<domain::Event> ReadEvent(const Rows& s, int r) {
  domain::Event e;
  e.case_id = s.Int64(r, 0);
  e.seq = s.Int64(r, 1);
  const std::string row =
      "event " + std::to_string(e.seq) + " of case " + std::to_string(e.case_id);
  auto type = ParseColumn<domain::EventType>(s, r, 2, domain::ParseEventType, "event type", row);
  if (!type) return Fail(type.error());
  e.type = *type;
  e.at = TimestampFromMicros(s.Int64(r, 3));
  auto kind = ParseColumn<domain::ActorKind>(s, r, 4, domain::ParseActorKind, "actor kind", row);
  if (!kind) return Fail(kind.error());
  e.actor.kind = *kind;
  e.actor.id = s.Int64(r, 5);
  e.actor.name = s.Text(r, 6);
  auto channel = ParseColumn<domain::Channel>(s, r, 7, domain::ParseChannel, "channel", row);
  if (!channel) return Fail(channel.error());
  e.channel = *channel;
  auto visibility =
      ParseColumn<domain::Visibility>(s, r, 8, domain::ParseVisibility, "visibility", row);
  if (!visibility) return Fail(visibility.error());
  e.visibility = *visibility;

  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value data = boost::json::parse(s.Text(r, 9), ec, {}, options);
  if (ec) return Fail(Corrupt(row, "data is not valid JSON: " + ec.message()));
  if (!data.is_object()) return Fail(Corrupt(row, "data is not a JSON object"));
  e.data = std::move(data.get_object());

  e.prev_hash = s.Text(r, 10);
  e.hash = s.Text(r, 11);
  return e;
}

Result<domain::User> ReadUser(const Rows& s, int r) {
  domain::User u;
  u.id = s.Int64(r, 0);
  const std::string row = "users row " + std::to_string(u.id);
  u.email = s.Text(r, 1);
  u.display_name = s.Text(r, 2);
  auto role = ParseColumn<domain::Role>(s, r, 3, domain::ParseRole, "role", row);
  if (!role) return Fail(role.error());
  u.role = *role;
  u.level = static_cast<int>(s.Int64(r, 4));
  u.active = s.Bool(r, 5);
  u.password_hash = s.Text(r, 6);
  u.created_at = TimestampFromMicros(s.Int64(r, 7));
  return u;
}

Result<domain::CredentialOwner> ReadOwner(const Rows& s, int r, int role_column,
                                          std::string_view row) {
  auto role = ParseColumn<domain::Role>(s, r, role_column, domain::ParseRole, "owner role", row);
  if (!role) return Fail(role.error());
  return domain::CredentialOwner{*role, s.Int64(r, role_column + 1)};
}

// Reads the first row with `read`, nullopt if there is none.
template <class T, class Reader>
Result<std::optional<T>> One(Result<Rows> rows, Reader read) {
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<T>();
  auto value = read(*rows, 0);
  if (!value) return Fail(value.error());
  return std::optional<T>(std::move(*value));
}

}  // namespace

Result<std::vector<DueCase>> ClaimDueCaseRows(Connection& conn, Timestamp now, int limit) {
  auto rows = conn.Query("SELECT " REDRESS_CASE_COLUMNS
                         ", timer_at, timer_failures FROM cases WHERE timer_at <= $1"
                         " ORDER BY timer_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
                         Params().Int64(MicrosFromTimestamp(now)).Int64(limit));
  if (!rows) return Fail(rows.error());
  constexpr int kTimer = 21;  // after the case columns
  std::vector<DueCase> due;
  due.reserve(static_cast<size_t>(rows->size()));
  for (int r = 0; r < rows->size(); ++r) {
    auto state = ReadCase(*rows, r);
    if (!state) return Fail(state.error());
    due.push_back(DueCase{state->id, TimestampFromMicros(rows->Int64(r, kTimer)),
                          static_cast<int>(rows->Int64(r, kTimer + 1)), std::move(*state)});
  }
  return due;
}

Result<std::optional<domain::CaseState>> FindCase(Connection& conn, int64_t case_id, bool lock) {
  return One<domain::CaseState>(
      conn.Query(lock ? "SELECT " REDRESS_CASE_COLUMNS " FROM cases WHERE id = $1 FOR UPDATE"
                      : "SELECT " REDRESS_CASE_COLUMNS " FROM cases WHERE id = $1",
                 Params().Int64(case_id)),
      ReadCase);
}

namespace {

Params FilterParams(const CaseFilterSql& filter) {
  Params params;
  for (const auto& value : filter.params) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      params.Int64(*number);
    } else {
      params.Text(std::get<std::string>(value));
    }
  }
  return params;
}

std::string Placeholder(int n) { return "$" + std::to_string(n); }

}  // namespace

Result<CasePage> QueryCases(Connection& conn, const CaseQuery& query) {
  if (query.limit < 1) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1", "limit");
  }
  if (query.offset < 0) {
    return Fail(ErrorCode::kInvalidArgument, "offset must not be negative", "offset");
  }
  const CaseFilterSql filter = BuildCaseFilter(query, true, Placeholder);
  const int limit_index = static_cast<int>(filter.params.size()) + 1;
  const std::string sql = "SELECT " REDRESS_CASE_COLUMNS " FROM cases WHERE true" +
                          filter.where + CaseOrderSql(query) + " LIMIT " +
                          Placeholder(limit_index) + " OFFSET " + Placeholder(limit_index + 1);
  Params params = FilterParams(filter);
  params.Int64(int64_t{query.limit} + 1);  // one more tells whether another page follows
  params.Int64(query.sort_due ? query.offset : 0);

  auto rows = conn.Query(sql, params);
  if (!rows) return Fail(rows.error());
  CasePage page;
  for (int r = 0; r < rows->size(); ++r) {
    if (page.cases.size() == static_cast<size_t>(query.limit)) {
      page.next_before_id = page.cases.back().id;
      break;
    }
    auto c = ReadCase(*rows, r);
    if (!c) return Fail(c.error());
    page.cases.push_back(std::move(*c));
  }
  return page;
}

Result<int64_t> CountCases(Connection& conn, const CaseQuery& query) {
  const CaseFilterSql filter = BuildCaseFilter(query, false, Placeholder);
  auto rows = conn.Query("SELECT count(*) FROM cases WHERE true" + filter.where,
                         FilterParams(filter));
  if (!rows) return Fail(rows.error());
  return rows->Int64(0, 0);
}

Result<std::optional<Setting>> FindSetting(Connection& conn, const std::string& key) {
  auto rows = conn.Query("SELECT value, version, updated_at FROM settings WHERE key = $1",
                         Params().Text(key));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<Setting>();
  return std::optional<Setting>(Setting{key, rows->Text(0, 0), rows->Int64(0, 1),
                                        TimestampFromMicros(rows->Int64(0, 2))});
}

Result<EventPage> QueryEvents(Connection& conn, const EventQuery& query) {
  if (query.limit < 1) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1", "limit");
  }
  auto rows = conn.Query(
      query.include_internal
          ? "SELECT " REDRESS_EVENT_COLUMNS
            " FROM events WHERE case_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
          : "SELECT " REDRESS_EVENT_COLUMNS
            " FROM events WHERE case_id = $1 AND seq > $2 AND visibility = 'public'"
            " ORDER BY seq LIMIT $3",
      Params().Int64(query.case_id).Int64(query.after_seq).Int64(int64_t{query.limit} + 1));
  if (!rows) return Fail(rows.error());
  EventPage page;
  for (int r = 0; r < rows->size(); ++r) {
    if (page.events.size() == static_cast<size_t>(query.limit)) {
      page.next_after_seq = page.events.back().seq;
      break;
    }
    auto event = ReadEvent(*rows, r);
    if (!event) return Fail(event.error());
    page.events.push_back(std::move(*event));
  }
  return page;
}

Result<std::vector<domain::Event>> QueryAllEvents(Connection& conn, int64_t case_id) {
  auto rows =
      conn.Query("SELECT " REDRESS_EVENT_COLUMNS " FROM events WHERE case_id = $1 ORDER BY seq",
                 Params().Int64(case_id));
  if (!rows) return Fail(rows.error());
  std::vector<domain::Event> events;
  events.reserve(static_cast<size_t>(rows->size()));
  for (int r = 0; r < rows->size(); ++r) {
    auto event = ReadEvent(*rows, r);
    if (!event) return Fail(event.error());
    events.push_back(std::move(*event));
  }
  return events;
}

Result<std::vector<int64_t>> QueryCaseIds(Connection& conn, int64_t after_id, int limit) {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "limit must be at least 1", "limit");
  auto rows = conn.Query("SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT $2",
                         Params().Int64(after_id).Int64(limit));
  if (!rows) return Fail(rows.error());
  std::vector<int64_t> ids;
  for (int r = 0; r < rows->size(); ++r) ids.push_back(rows->Int64(r, 0));
  return ids;
}

Result<std::optional<domain::Customer>> FindCustomer(Connection& conn, int64_t customer_id) {
  auto head = conn.Query("SELECT id, name, created_at, tier FROM customers WHERE id = $1",
                         Params().Int64(customer_id));
  if (!head) return Fail(head.error());
  if (head->empty()) return std::optional<domain::Customer>();
  domain::Customer customer;
  customer.id = head->Int64(0, 0);
  customer.name = head->Text(0, 1);
  customer.created_at = TimestampFromMicros(head->Int64(0, 2));
  customer.tier = head->Text(0, 3);

  auto rows = conn.Query(
      "SELECT kind, value, verified FROM customer_identities WHERE customer_id = $1 ORDER BY id",
      Params().Int64(customer_id));
  if (!rows) return Fail(rows.error());
  const std::string row_name = "identities of customer " + std::to_string(customer_id);
  for (int r = 0; r < rows->size(); ++r) {
    auto kind = ParseColumn<domain::IdentityKind>(*rows, r, 0, domain::ParseIdentityKind,
                                                  "identity kind", row_name);
    if (!kind) return Fail(kind.error());
    customer.identities.push_back(domain::Identity{*kind, rows->Text(r, 1), rows->Bool(r, 2)});
  }
  return std::optional<domain::Customer>(std::move(customer));
}

Result<std::optional<int64_t>> FindIdentityOwner(Connection& conn, domain::IdentityKind kind,
                                                 const std::string& value) {
  return One<int64_t>(
      conn.Query("SELECT customer_id FROM customer_identities WHERE kind = $1 AND value = $2",
                 Params().Text(domain::IdentityKindName(kind)).Text(value)),
      [](const Rows& rows, int r) -> Result<int64_t> { return rows.Int64(r, 0); });
}

Result<std::optional<std::pair<domain::Customer, std::string>>> FindCustomerLogin(
    Connection& conn, const std::string& email) {
  using Login = std::pair<domain::Customer, std::string>;
  auto rows = conn.Query(
      "SELECT c.id, c.password_hash FROM customer_identities i"
      " JOIN customers c ON c.id = i.customer_id WHERE i.kind = 'email' AND i.value = $1",
      Params().Text(email));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<Login>();
  const int64_t customer_id = rows->Int64(0, 0);
  std::string password_hash = rows->Text(0, 1);
  auto customer = FindCustomer(conn, customer_id);
  if (!customer) return Fail(customer.error());
  if (!*customer) {
    return Fail(ErrorCode::kInternal,
                "customer " + std::to_string(customer_id) + " vanished during login lookup");
  }
  return std::optional<Login>(Login(std::move(**customer), std::move(password_hash)));
}

Result<std::optional<domain::User>> FindUser(Connection& conn, int64_t user_id) {
  return One<domain::User>(conn.Query("SELECT " REDRESS_USER_COLUMNS " FROM users WHERE id = $1",
                                      Params().Int64(user_id)),
                           ReadUser);
}

Result<std::optional<domain::User>> FindUserByEmail(Connection& conn, const std::string& email) {
  return One<domain::User>(conn.Query("SELECT " REDRESS_USER_COLUMNS " FROM users WHERE email = $1",
                                      Params().Text(email)),
                           ReadUser);
}

Result<std::vector<domain::User>> QueryUsers(Connection& conn) {
  auto rows = conn.Query("SELECT " REDRESS_USER_COLUMNS " FROM users ORDER BY id");
  if (!rows) return Fail(rows.error());
  std::vector<domain::User> users;
  for (int r = 0; r < rows->size(); ++r) {
    auto user = ReadUser(*rows, r);
    if (!user) return Fail(user.error());
    users.push_back(std::move(*user));
  }
  return users;
}

Result<std::optional<domain::ApiToken>> FindApiToken(Connection& conn,
                                                     const std::string& token_hash) {
  return One<domain::ApiToken>(
      conn.Query("SELECT token_hash, owner_role, owner_id, label, created_at, expires_at"
                 " FROM api_tokens WHERE token_hash = $1",
                 Params().Text(token_hash)),
      [](const Rows& s, int r) -> Result<domain::ApiToken> {
        domain::ApiToken token;
        token.token_hash = s.Text(r, 0);
        auto owner = ReadOwner(s, r, 1, "api token " + token.token_hash.substr(0, 8));
        if (!owner) return Fail(owner.error());
        token.owner = *owner;
        token.label = s.Text(r, 3);
        token.created_at = TimestampFromMicros(s.Int64(r, 4));
        token.expires_at = OptionalTime(s, r, 5);
        return token;
      });
}

Result<std::optional<domain::Session>> FindSession(Connection& conn,
                                                   const std::string& session_hash) {
  return One<domain::Session>(
      conn.Query("SELECT session_hash, owner_role, owner_id, csrf_token, created_at, expires_at"
                 " FROM sessions WHERE session_hash = $1",
                 Params().Text(session_hash)),
      [](const Rows& s, int r) -> Result<domain::Session> {
        domain::Session session;
        session.session_hash = s.Text(r, 0);
        auto owner = ReadOwner(s, r, 1, "session " + session.session_hash.substr(0, 8));
        if (!owner) return Fail(owner.error());
        session.owner = *owner;
        session.csrf_token = s.Text(r, 3);
        session.created_at = TimestampFromMicros(s.Int64(r, 4));
        session.expires_at = TimestampFromMicros(s.Int64(r, 5));
        return session;
      });
}

Result<std::optional<IdempotencyRecord>> FindIdempotency(Connection& conn, const std::string& scope,
                                                         const std::string& key) {
  return One<IdempotencyRecord>(
      conn.Query("SELECT scope, key, fingerprint, status, body, location, created_at"
                 " FROM idempotency WHERE scope = $1 AND key = $2",
                 Params().Text(scope).Text(key)),
      [](const Rows& s, int r) -> Result<IdempotencyRecord> {
        IdempotencyRecord record;
        record.scope = s.Text(r, 0);
        record.key = s.Text(r, 1);
        record.fingerprint = s.Text(r, 2);
        record.status = static_cast<int>(s.Int64(r, 3));
        record.body = s.Text(r, 4);
        record.location = s.Text(r, 5);
        record.created_at = TimestampFromMicros(s.Int64(r, 6));
        return record;
      });
}

Result<std::vector<int64_t>> SearchCaseIds(Connection& conn, const std::vector<std::string>& words,
                                           int limit) {
  std::string query;
  for (const std::string& word : words) {
    if (!query.empty()) query += ' ';
    query += word;
  }
  // plainto_tsquery ANDs the words; 'simple' lowercases without stemming, like FTS5's
  // unicode61 tokenizer on the SQLite side.
  auto rows = conn.Query(
      "SELECT case_id FROM case_text, plainto_tsquery('simple', $1) AS q WHERE tsv @@ q"
      " GROUP BY case_id ORDER BY max(ts_rank(tsv, q)) DESC, case_id DESC LIMIT $2",
      Params().Text(query).Int64(limit));
  if (!rows) return Fail(rows.error());
  std::vector<int64_t> ids;
  for (int r = 0; r < rows->size(); ++r) ids.push_back(rows->Int64(r, 0));
  return ids;
}

Result<StoreStats> CountRows(Connection& conn) {
  // Every case's last_seq is its event count (seqs start at 1 without gaps).
  auto rows = conn.Query(
      "SELECT (SELECT count(*) FROM cases), (SELECT coalesce(sum(last_seq), 0) FROM cases),"
      " (SELECT count(*) FROM customers)");
  if (!rows) return Fail(rows.error());
  StoreStats stats;
  stats.cases = rows->Int64(0, 0);
  stats.events = rows->Int64(0, 1);
  stats.customers = rows->Int64(0, 2);
  return stats;
}

}  // namespace redress::store::postgres
