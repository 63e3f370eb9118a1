#include "store/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <charconv>
#include <stdexcept>

namespace redress::store::postgres {
namespace {

ErrorCode CodeFor(std::string_view sqlstate, bool connection_ok) {
  if (!connection_ok) return ErrorCode::kUnavailable;
  if (sqlstate.starts_with("23")) return ErrorCode::kConflict;  // integrity constraints
  if (sqlstate == "P0001") return ErrorCode::kConflict;         // RAISE in our triggers
  if (IsRetryableTransactionFailure(sqlstate)) return ErrorCode::kUnavailable;
  if (sqlstate.starts_with("08") || sqlstate.starts_with("53") || sqlstate.starts_with("57")) {
    return ErrorCode::kUnavailable;  // connection, resources, operator intervention
  }
  if (sqlstate.starts_with("XX0")) return ErrorCode::kCorruption;
  return ErrorCode::kInternal;
}

// Statement text in error messages, shortened so a long query does not drown the cause.
std::string Abbreviate(std::string_view sql) {
  constexpr size_t kMax = 120;
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (c == '\n' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
  }
  return out;
}

std::string TrimmedMessage(const char* text) {
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

}  // namespace

bool IsUniqueViolation(std::string_view sqlstate) { return sqlstate == "23505"; }

bool IsRetryableTransactionFailure(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

// ---- Params

Params& Params::Int64(int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Text(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::OptionalInt64(const std::optional<int64_t>& value) {
  if (value) return Int64(*value);
  return Null();
}

Params& Params::Null() {
  values_.emplace_back(std::nullopt);
  return *this;
}

// ---- Rows

Rows::Rows(pg_result* result) : result_(result) {}

Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}

Rows::Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }

Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

int Rows::size() const { return result_ != nullptr ? PQntuples(result_) : 0; }

bool Rows::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}

int64_t Rows::Int64(int row, int column) const {
  if (IsNull(row, column)) return 0;
  const char* begin = PQgetvalue(result_, row, column);
  const char* end = begin + PQgetlength(result_, row, column);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) {
    throw std::logic_error("column " + std::to_string(column) +
                           " is not an integer: " + std::string(begin, end));
  }
  return value;
}

std::optional<int64_t> Rows::OptionalInt64(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int64(row, column);
}

bool Rows::Bool(int row, int column) const {
  return PQgetlength(result_, row, column) == 1 && PQgetvalue(result_, row, column)[0] == 't';
}

int64_t Rows::Affected() const {
  const char* tuples = result_ != nullptr ? PQcmdTuples(result_) : "";
  if (tuples == nullptr || *tuples == '\0') return 0;
  return std::stoll(tuples);
}

// ---- Connection

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  // The session settings go in the startup packet, so they hold before any statement and
  // survive nothing else: time in UTC, no surprise from a server-wide default isolation.
  const char* keywords[] = {"dbname", "options", "application_name", nullptr};
  const char* values[] = {url.c_str(),
                          "-c TimeZone=UTC -c default_transaction_isolation=read\\ committed -c "
                          "client_min_messages=warning",
                          "redress", nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr)
    return Fail(ErrorCode::kUnavailable, "out of memory connecting to PostgreSQL");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = TrimmedMessage(PQerrorMessage(conn));
    PQfinish(conn);
    return Fail(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + message);
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::Healthy() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

int Connection::Socket() const { return PQsocket(conn_); }

Result<Rows> Connection::Check(pg_result* result, std::string_view sql) {
  Rows rows(result);
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    last_sqlstate_.clear();
    return rows;
  }
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state != nullptr ? state : "";
  std::string message = result != nullptr ? TrimmedMessage(PQresultErrorMessage(result)) : "";
  if (message.empty()) message = TrimmedMessage(PQerrorMessage(conn_));
  return Fail(CodeFor(last_sqlstate_, Healthy()), "\"" + Abbreviate(sql) + "\": " + message);
}

Result<void> Connection::Exec(std::string_view sql) {
  if (auto flushed = FlushDeferred(); !flushed) return flushed;  // in the order asked
  const std::string text(sql);
  // PQexec returns the last statement's result; an earlier failure stops the rest and is
  // the one returned.
  auto checked = Check(PQexec(conn_, text.c_str()), sql);
  if (!checked) return Fail(checked.error());
  return {};
}

namespace {

std::vector<const char*> Values(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& value : params.values()) values.push_back(value ? value->c_str() : nullptr);
  return values;
}

}  // namespace

Result<const std::string*> Connection::Prepared(std::string_view sql) {
  const std::string text(sql);
  auto found = prepared_.find(text);
  if (found == prepared_.end()) {
    std::string name = "r" + std::to_string(prepared_.size() + 1);
    auto prepared = Check(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr), sql);
    if (!prepared) return Fail(prepared.error());
    found = prepared_.emplace(text, std::move(name)).first;
  }
  return &found->second;
}

Result<Rows> Connection::Query(std::string_view sql, const Params& params) {
  if (failed_deferred_) return Fail(*failed_deferred_);
  // Prepared before any pipeline starts: PQprepare is synchronous.
  auto name = Prepared(sql);
  if (!name) return Fail(name.error());
  if (!deferred_.empty()) {
    const Deferred last{std::string(sql), *name, params, {}, {}};
    return RunPipeline(&last);
  }
  const std::vector<const char*> values = Values(params);
  return Check(PQexecPrepared(conn_, (*name)->c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0),
               sql);
}

Result<void> Connection::Defer(std::string_view sql, const Params& params, std::string context) {
  return Enqueue(sql, params, std::move(context), std::nullopt);
}

Result<void> Connection::DeferCompareAndSet(std::string_view sql, const Params& params,
                                            std::string conflict) {
  return Enqueue(sql, params, {}, std::move(conflict));
}

Result<void> Connection::Enqueue(std::string_view sql, const Params& params, std::string context,
                                 std::optional<std::string> conflict) {
  if (failed_deferred_) return Fail(*failed_deferred_);
  auto name = Prepared(sql);
  if (!name) return Fail(name.error());
  deferred_.push_back(
      Deferred{std::string(sql), *name, params, std::move(context), std::move(conflict)});
  return {};
}

Result<void> Connection::FlushDeferred() {
  if (failed_deferred_) return Fail(*failed_deferred_);
  if (deferred_.empty()) return {};
  auto ran = RunPipeline(nullptr);
  if (!ran) return Fail(ran.error());
  return {};
}

Result<Rows> Connection::RunPipeline(const Deferred* last) {
  // Taken off the queue now: whatever happens below, they are sent (or reported) once.
  const std::vector<Deferred> deferred = std::move(deferred_);
  deferred_.clear();
  std::vector<const Deferred*> queue;
  queue.reserve(deferred.size() + 1);
  for (const Deferred& d : deferred) queue.push_back(&d);
  if (last != nullptr) queue.push_back(last);
  auto broke_off = [this](const std::string& what) {
    broken_ = true;
    return Fail(ErrorCode::kUnavailable, what + ": " + TrimmedMessage(PQerrorMessage(conn_)));
  };

  if (PQenterPipelineMode(conn_) != 1) return broke_off("cannot enter pipeline mode");
  bool sent = true;
  for (const Deferred* d : queue) {
    const std::vector<const char*> values = Values(d->params);
    sent = sent && PQsendQueryPrepared(conn_, d->name->c_str(), static_cast<int>(values.size()),
                                       values.data(), nullptr, nullptr, 0) == 1;
  }
  sent = sent && PQpipelineSync(conn_) == 1;

  // Each statement's results end with a null; the sync point ends the pipeline. After a
  // failure, the statements behind it come back PGRES_PIPELINE_ABORTED, not run.
  std::vector<pg_result*> firsts(queue.size(), nullptr);
  size_t index = 0;
  bool synced = false;
  while (sent && !synced && index <= queue.size()) {
    pg_result* result = PQgetResult(conn_);
    if (result == nullptr) {
      ++index;
      continue;
    }
    if (PQresultStatus(result) == PGRES_PIPELINE_SYNC) {
      synced = true;
    } else if (index < queue.size() && firsts[index] == nullptr) {
      firsts[index] = result;
      continue;
    }
    PQclear(result);
  }
  const bool exited = synced && PQexitPipelineMode(conn_) == 1;

  std::optional<Result<Rows>> outcome;
  for (size_t i = 0; i < queue.size(); ++i) {
    pg_result* result = firsts[i];
    if (outcome || (result != nullptr && PQresultStatus(result) == PGRES_PIPELINE_ABORTED)) {
      PQclear(result);  // behind the failure, or the failure is reported already
      continue;
    }
    Result<Rows> checked = Check(result, queue[i]->sql);
    if (!checked && !queue[i]->context.empty()) {
      checked.error().message = queue[i]->context + ": " + checked.error().message;
    }
    if (checked && queue[i]->conflict && checked->Affected() != 1) {
      checked = Fail(ErrorCode::kConflict, *queue[i]->conflict);
    }
    if (!checked && queue[i] != last) failed_deferred_ = checked.error();
    if (!checked || queue[i] == last) outcome = std::move(checked);
  }
  if (!sent || !exited) {
    return broke_off(sent ? "a pipeline of statements did not finish"
                          : "cannot send a pipeline of statements");
  }
  if (!outcome) return Rows(nullptr);  // FlushDeferred, and every statement succeeded
  return std::move(*outcome);
}

Result<std::vector<std::pair<std::string, std::string>>> Connection::TakeNotifications() {
  if (PQconsumeInput(conn_) == 0) {
    return Fail(ErrorCode::kUnavailable,
                "reading notifications: " + TrimmedMessage(PQerrorMessage(conn_)));
  }
  std::vector<std::pair<std::string, std::string>> out;
  while (PGnotify* notify = PQnotifies(conn_)) {
    out.emplace_back(notify->relname, notify->extra);
    PQfreemem(notify);
  }
  return out;
}

}  // namespace redress::store::postgres
