#include "domain/commitments.h"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <limits>
#include <utility>

#include "core/time_format.h"
#include "domain/case_state.h"

namespace redress::domain {
namespace {

template <class Enum, size_t N>
using NameTable = std::array<std::pair<Enum, const char*>, N>;

template <class Enum, size_t N>
const char* NameIn(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <class Enum, size_t N>
std::optional<Enum> ParseIn(const NameTable<Enum, N>& table, std::string_view name) {
  for (const auto& [v, text] : table) {
    if (name == text) return v;
  }
  return std::nullopt;
}

constexpr NameTable<PromiseStatus, 3> kPromiseStatuses{{
    {PromiseStatus::kOpen, "open"},
    {PromiseStatus::kKept, "kept"},
    {PromiseStatus::kBroken, "broken"},
}};
constexpr NameTable<DecisionOutcome, 4> kOutcomes{{
    {DecisionOutcome::kApproved, "approved"},
    {DecisionOutcome::kPartlyApproved, "partly_approved"},
    {DecisionOutcome::kDenied, "denied"},
    {DecisionOutcome::kCannotResolve, "cannot_resolve"},
}};
constexpr NameTable<CreditStatus, 3> kCreditStatuses{{
    {CreditStatus::kPending, "pending"},
    {CreditStatus::kApproved, "approved"},
    {CreditStatus::kDenied, "denied"},
}};

boost::json::value Time(Timestamp t) { return boost::json::value(FormatTimestamp(t)); }
boost::json::value OptionalTime(const std::optional<Timestamp>& t) {
  return t ? Time(*t) : boost::json::value(nullptr);
}

boost::json::object PromiseJson(const Promise& p) {
  return {{"id", p.id},
          {"what", p.what},
          {"due_at", Time(p.due_at)},
          {"made_at", Time(p.made_at)},
          {"made_by_id", p.made_by_id},
          {"made_by_name", p.made_by_name},
          {"level", p.level},
          {"status", PromiseStatusName(p.status)},
          {"settled_at", OptionalTime(p.settled_at)},
          {"broken_automatically", p.broken_automatically},
          {"note", p.note}};
}

boost::json::object DecisionJson(const Decision& d) {
  return {{"id", d.id},
          {"outcome", DecisionOutcomeName(d.outcome)},
          {"reason", d.reason},
          {"next_step", d.next_step},
          {"external_route", d.external_route},
          {"level", d.level},
          {"decided_by_id", d.decided_by_id},
          {"decided_by_name", d.decided_by_name},
          {"at", Time(d.at)},
          {"appealed", d.appealed}};
}

boost::json::object CreditJson(const Credit& c) {
  return {{"id", c.id},
          {"amount_minor", c.amount_minor},
          {"currency", c.currency},
          {"reason", c.reason},
          {"status", CreditStatusName(c.status)},
          {"requested_by_level", c.requested_by_level},
          {"approver_level", c.approver_level},
          {"requested_by_id", c.requested_by_id},
          {"requested_by_name", c.requested_by_name},
          {"requested_at", Time(c.requested_at)},
          {"settled_at", OptionalTime(c.settled_at)},
          {"settled_by_name", c.settled_by_name},
          {"settle_reason", c.settle_reason}};
}

// --- reading back: every read names its path, so a damaged column says where ---

class Reader {
 public:
  Reader(const boost::json::object& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  tl::unexpected<Error> Bad(std::string_view key, std::string_view problem) const {
    return Fail(ErrorCode::kCorruption,
                path_ + "." + std::string(key) + ": " + std::string(problem));
  }

  Result<const boost::json::value*> Get(std::string_view key) const {
    const boost::json::value* v = obj_.if_contains(key);
    if (v == nullptr) return Bad(key, "is missing");
    return v;
  }

  Result<int64_t> Int(std::string_view key) const {
    auto v = Get(key);
    if (!v) return Fail(v.error());
    if ((*v)->is_int64()) return (*v)->get_int64();
    if ((*v)->is_uint64() &&
        (*v)->get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>((*v)->get_uint64());
    }
    return Bad(key, "must be an integer");
  }

  Result<int> SmallInt(std::string_view key) const {
    auto v = Int(key);
    if (!v) return Fail(v.error());
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
      return Bad(key, "is out of range");
    }
    return static_cast<int>(*v);
  }

  Result<std::string> String(std::string_view key) const {
    auto v = Get(key);
    if (!v) return Fail(v.error());
    if (const auto* s = (*v)->if_string()) return std::string(*s);
    return Bad(key, "must be a string");
  }

  Result<bool> Bool(std::string_view key) const {
    auto v = Get(key);
    if (!v) return Fail(v.error());
    if ((*v)->is_bool()) return (*v)->get_bool();
    return Bad(key, "must be a boolean");
  }

  Result<Timestamp> Time(std::string_view key) const {
    auto s = String(key);
    if (!s) return Fail(s.error());
    auto t = ParseTimestamp(*s);
    if (!t) return Bad(key, t.error().message);
    return *t;
  }

  Result<std::optional<Timestamp>> OptionalTime(std::string_view key) const {
    auto v = Get(key);
    if (!v) return Fail(v.error());
    if ((*v)->is_null()) return std::optional<Timestamp>();
    auto t = Time(key);
    if (!t) return Fail(t.error());
    return std::optional<Timestamp>(*t);
  }

  template <class Enum, size_t N>
  Result<Enum> Name(std::string_view key, const NameTable<Enum, N>& table) const {
    auto s = String(key);
    if (!s) return Fail(s.error());
    auto value = ParseIn(table, *s);
    if (!value) return Bad(key, "unknown name \"" + *s + "\"");
    return *value;
  }

  // Calls each(Reader, index) for every object in the array at `key`.
  template <class Each>
  Result<void> Objects(std::string_view key, Each each) const {
    auto v = Get(key);
    if (!v) return Fail(v.error());
    const boost::json::array* array = (*v)->if_array();
    if (array == nullptr) return Bad(key, "must be an array");
    for (size_t i = 0; i < array->size(); ++i) {
      const std::string item_path = path_ + "." + std::string(key) + "[" + std::to_string(i) + "]";
      const boost::json::object* item = (*array)[i].if_object();
      if (item == nullptr) {
        return Fail(ErrorCode::kCorruption, item_path + ": must be an object");
      }
      if (auto ok = each(Reader(*item, item_path)); !ok) return ok;
    }
    return {};
  }

  Result<std::optional<Reader>> OptionalObject(std::string_view key) const {
    auto v = Get(key);
    if (!v) return Fail(v.error());
    if ((*v)->is_null()) return std::optional<Reader>();
    const boost::json::object* o = (*v)->if_object();
    if (o == nullptr) return Bad(key, "must be an object or null");
    return std::optional<Reader>(Reader(*o, path_ + "." + std::string(key)));
  }

 private:
  const boost::json::object& obj_;
  std::string path_;
};

// Assigns *out from a Result or returns its error from the enclosing function.
#define REDRESS_READ(out, expr)                         \
  do {                                                  \
    auto read_value_ = (expr);                          \
    if (!read_value_) return Fail(read_value_.error()); \
    (out) = std::move(*read_value_);                    \
  } while (false)

Result<Promise> ReadPromise(const Reader& r) {
  Promise p;
  REDRESS_READ(p.id, r.Int("id"));
  REDRESS_READ(p.what, r.String("what"));
  REDRESS_READ(p.due_at, r.Time("due_at"));
  REDRESS_READ(p.made_at, r.Time("made_at"));
  REDRESS_READ(p.made_by_id, r.Int("made_by_id"));
  REDRESS_READ(p.made_by_name, r.String("made_by_name"));
  REDRESS_READ(p.level, r.SmallInt("level"));
  REDRESS_READ(p.status, r.Name("status", kPromiseStatuses));
  REDRESS_READ(p.settled_at, r.OptionalTime("settled_at"));
  REDRESS_READ(p.broken_automatically, r.Bool("broken_automatically"));
  REDRESS_READ(p.note, r.String("note"));
  return p;
}

Result<Decision> ReadDecision(const Reader& r) {
  Decision d;
  REDRESS_READ(d.id, r.Int("id"));
  REDRESS_READ(d.outcome, r.Name("outcome", kOutcomes));
  REDRESS_READ(d.reason, r.String("reason"));
  REDRESS_READ(d.next_step, r.String("next_step"));
  REDRESS_READ(d.external_route, r.String("external_route"));
  REDRESS_READ(d.level, r.SmallInt("level"));
  REDRESS_READ(d.decided_by_id, r.Int("decided_by_id"));
  REDRESS_READ(d.decided_by_name, r.String("decided_by_name"));
  REDRESS_READ(d.at, r.Time("at"));
  REDRESS_READ(d.appealed, r.Bool("appealed"));
  return d;
}

Result<Credit> ReadCredit(const Reader& r) {
  Credit c;
  REDRESS_READ(c.id, r.Int("id"));
  REDRESS_READ(c.amount_minor, r.Int("amount_minor"));
  REDRESS_READ(c.currency, r.String("currency"));
  REDRESS_READ(c.reason, r.String("reason"));
  REDRESS_READ(c.status, r.Name("status", kCreditStatuses));
  REDRESS_READ(c.requested_by_level, r.SmallInt("requested_by_level"));
  REDRESS_READ(c.approver_level, r.SmallInt("approver_level"));
  REDRESS_READ(c.requested_by_id, r.Int("requested_by_id"));
  REDRESS_READ(c.requested_by_name, r.String("requested_by_name"));
  REDRESS_READ(c.requested_at, r.Time("requested_at"));
  REDRESS_READ(c.settled_at, r.OptionalTime("settled_at"));
  REDRESS_READ(c.settled_by_name, r.String("settled_by_name"));
  REDRESS_READ(c.settle_reason, r.String("settle_reason"));
  return c;
}

Result<EscalationRecord> ReadEscalation(const Reader& r) {
  EscalationRecord e;
  REDRESS_READ(e.trigger, r.String("trigger"));
  REDRESS_READ(e.from_level, r.SmallInt("from_level"));
  REDRESS_READ(e.to_level, r.SmallInt("to_level"));
  REDRESS_READ(e.at, r.Time("at"));
  return e;
}

}  // namespace

const char* PromiseStatusName(PromiseStatus s) { return NameIn(kPromiseStatuses, s); }
std::optional<PromiseStatus> ParsePromiseStatus(std::string_view name) {
  return ParseIn(kPromiseStatuses, name);
}
const char* DecisionOutcomeName(DecisionOutcome o) { return NameIn(kOutcomes, o); }
std::optional<DecisionOutcome> ParseDecisionOutcome(std::string_view name) {
  return ParseIn(kOutcomes, name);
}
const char* CreditStatusName(CreditStatus s) { return NameIn(kCreditStatuses, s); }
std::optional<CreditStatus> ParseCreditStatus(std::string_view name) {
  return ParseIn(kCreditStatuses, name);
}

const Promise* CaseCommitments::FindPromise(int64_t id) const {
  for (const Promise& p : promises) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const Credit* CaseCommitments::FindCredit(int64_t id) const {
  for (const Credit& c : credits) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

bool CaseCommitments::BreachRecorded(std::string_view key) const {
  return std::find(breached_keys.begin(), breached_keys.end(), key) != breached_keys.end();
}

int64_t CaseCommitments::OpenPromiseCount() const {
  return std::count_if(promises.begin(), promises.end(),
                       [](const Promise& p) { return p.status == PromiseStatus::kOpen; });
}

int64_t CaseCommitments::BrokenPromiseCount() const {
  return std::count_if(promises.begin(), promises.end(),
                       [](const Promise& p) { return p.status == PromiseStatus::kBroken; });
}

boost::json::object ToJson(const CaseCommitments& c) {
  boost::json::array spans;
  for (const StatusSpan& s : c.status_spans) {
    spans.push_back(
        boost::json::object{{"status", CaseStatusName(s.status)}, {"since", Time(s.since)}});
  }
  boost::json::array keys;
  for (const std::string& k : c.breached_keys) keys.push_back(boost::json::value(k));
  boost::json::array promises;
  for (const Promise& p : c.promises) promises.push_back(PromiseJson(p));
  boost::json::array credits;
  for (const Credit& x : c.credits) credits.push_back(CreditJson(x));
  boost::json::value last_escalation(nullptr);
  if (c.last_escalation) {
    last_escalation = boost::json::object{{"trigger", c.last_escalation->trigger},
                                          {"from_level", c.last_escalation->from_level},
                                          {"to_level", c.last_escalation->to_level},
                                          {"at", Time(c.last_escalation->at)}};
  }
  return {
      {"v", 1},
      {"level_entered_at", Time(c.level_entered_at)},
      {"responded_at", OptionalTime(c.responded_at)},
      {"last_update_at", OptionalTime(c.last_update_at)},
      {"updates_at_level", c.updates_at_level},
      {"contacts_at_level", c.contacts_at_level},
      {"status_spans", std::move(spans)},
      {"breached_keys", std::move(keys)},
      {"escalations", c.escalations},
      {"last_escalation", std::move(last_escalation)},
      {"breaches", c.breaches},
      {"promises", std::move(promises)},
      {"latest_decision", c.latest_decision ? boost::json::value(DecisionJson(*c.latest_decision))
                                            : boost::json::value(nullptr)},
      {"decisions", c.decisions},
      {"appeals", c.appeals},
      {"credits", std::move(credits)}};
}

Result<CaseCommitments> CommitmentsFromJson(const boost::json::object& json) {
  const Reader r(json, "commitments");
  CaseCommitments c;
  int64_t version = 0;
  REDRESS_READ(version, r.Int("v"));
  if (version != 1) return r.Bad("v", "unsupported version " + std::to_string(version));
  REDRESS_READ(c.level_entered_at, r.Time("level_entered_at"));
  REDRESS_READ(c.responded_at, r.OptionalTime("responded_at"));
  REDRESS_READ(c.last_update_at, r.OptionalTime("last_update_at"));
  REDRESS_READ(c.updates_at_level, r.Int("updates_at_level"));
  REDRESS_READ(c.contacts_at_level, r.Int("contacts_at_level"));
  auto spans = r.Objects("status_spans", [&](const Reader& item) -> Result<void> {
    StatusSpan span{CaseStatus::kNew, {}};
    auto name = item.String("status");
    if (!name) return Fail(name.error());
    auto status = ParseCaseStatus(*name);
    if (!status) return item.Bad("status", "unknown status \"" + *name + "\"");
    span.status = *status;
    REDRESS_READ(span.since, item.Time("since"));
    c.status_spans.push_back(span);
    return {};
  });
  if (!spans) return Fail(spans.error());
  {
    auto v = r.Get("breached_keys");
    if (!v) return Fail(v.error());
    const boost::json::array* keys = (*v)->if_array();
    if (keys == nullptr) return r.Bad("breached_keys", "must be an array");
    for (const boost::json::value& k : *keys) {
      if (!k.is_string()) return r.Bad("breached_keys", "must hold only strings");
      c.breached_keys.emplace_back(k.get_string());
    }
  }
  REDRESS_READ(c.escalations, r.Int("escalations"));
  auto last = r.OptionalObject("last_escalation");
  if (!last) return Fail(last.error());
  if (*last) REDRESS_READ(c.last_escalation, ReadEscalation(**last));
  REDRESS_READ(c.breaches, r.Int("breaches"));
  auto promises = r.Objects("promises", [&](const Reader& item) -> Result<void> {
    auto p = ReadPromise(item);
    if (!p) return Fail(p.error());
    c.promises.push_back(std::move(*p));
    return {};
  });
  if (!promises) return Fail(promises.error());
  auto decision = r.OptionalObject("latest_decision");
  if (!decision) return Fail(decision.error());
  if (*decision) REDRESS_READ(c.latest_decision, ReadDecision(**decision));
  REDRESS_READ(c.decisions, r.Int("decisions"));
  REDRESS_READ(c.appeals, r.Int("appeals"));
  auto credits = r.Objects("credits", [&](const Reader& item) -> Result<void> {
    auto x = ReadCredit(item);
    if (!x) return Fail(x.error());
    c.credits.push_back(std::move(*x));
    return {};
  });
  if (!credits) return Fail(credits.error());
  return c;
}

#undef REDRESS_READ

}  // namespace redress::domain
