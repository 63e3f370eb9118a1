#include "policy/policy_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "domain/customer.h"

namespace redress::policy {

using domain::CaseStatus;
using domain::Priority;
using domain::SlaClockKind;

// Builds an EscalationPolicy from a parsed document, checking as it goes. Every error
// names the line of the offending node and its dotted path.
class PolicyBuilder {
 public:
  explicit PolicyBuilder(std::string source) : source_(std::move(source)) {
    policy_.reset(new EscalationPolicy());
    policy_->source_ = source_;
  }

  Result<std::shared_ptr<const EscalationPolicy>> Build(const toml::table& root);

 private:
  using Step = Result<void>;

  tl::unexpected<Error> Bad(const toml::source_region& where, std::string_view path,
                            const std::string& problem) const {
    return Fail(ErrorCode::kInvalidArgument,
                source_ + ":" + std::to_string(where.begin.line) + ": " + std::string(path) + ": " +
                    problem,
                std::string(path));
  }
  tl::unexpected<Error> Bad(const toml::node& node, std::string_view path,
                            const std::string& problem) const {
    return Bad(node.source(), path, problem);
  }

  Step OnlyKeys(const toml::table& t, std::string_view path,
                std::initializer_list<std::string_view> allowed) const;
  Result<const toml::table*> Table(const toml::table& parent, std::string_view key,
                                   std::string_view path, bool required) const;
  Result<std::string> String(const toml::table& parent, std::string_view key, std::string_view path,
                             bool required) const;
  Result<std::chrono::minutes> Duration(const toml::node& node, std::string_view path) const;

  Step Calendars(const toml::table& root);
  Step Calendar(const std::string& id, const toml::table& t, const std::string& path);
  Step Levels(const toml::table& root);
  Step LevelSla(Level& level, const toml::table& sla, const std::string& path);
  Step External(const toml::table& root);
  Step Ladders(const toml::table& root);
  Step Pause(const toml::table& root);
  Step Triggers(const toml::table& root);
  Result<std::vector<SlaClockKind>> Clocks(const toml::node& node, const std::string& path) const;

  const Level* FindLevel(std::string_view id) const {
    for (const auto& l : policy_->levels_) {
      if (l->id == id) return l.get();
    }
    return nullptr;
  }

  std::string source_;
  std::unique_ptr<EscalationPolicy> policy_;
  size_t longest_ladder_ = 0;
};

namespace {

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string Join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string Index(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

const char* const kPriorityKeys[4] = {"low", "normal", "high", "urgent"};

// "HH:MM" with 00 <= HH <= 24; "24:00" is the end of the day.
std::optional<int> ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  int h = 0;
  int m = 0;
  auto [p1, e1] = std::from_chars(s.data(), s.data() + 2, h);
  auto [p2, e2] = std::from_chars(s.data() + 3, s.data() + 5, m);
  if (e1 != std::errc() || e2 != std::errc() || p1 != s.data() + 2 || p2 != s.data() + 5) {
    return std::nullopt;
  }
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::optional<std::chrono::year_month_day> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  auto [p1, e1] = std::from_chars(s.data(), s.data() + 4, y);
  auto [p2, e2] = std::from_chars(s.data() + 5, s.data() + 7, m);
  auto [p3, e3] = std::from_chars(s.data() + 8, s.data() + 10, d);
  if (e1 != std::errc() || e2 != std::errc() || e3 != std::errc() || p1 != s.data() + 4 ||
      p2 != s.data() + 7 || p3 != s.data() + 10) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

Result<std::chrono::minutes> ParseBusinessDuration(std::string_view text) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "must be a positive duration such as \"4h\", \"90m\" or \"1h30m\" (got " +
                    Quote(text) + ")");
  };
  if (text.empty()) return bad();
  int64_t total = 0;
  size_t i = 0;
  char last_unit = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == i || j >= text.size() || j - i > 6) return bad();
    int64_t n = 0;
    std::from_chars(text.data() + i, text.data() + j, n);
    const char unit = text[j];
    if (unit == 'h' && last_unit == 0) {
      total += n * 60;
    } else if (unit == 'm' && last_unit != 'm') {
      total += n;
    } else {
      return bad();
    }
    last_unit = unit;
    i = j + 1;
  }
  if (total <= 0) return bad();
  return std::chrono::minutes(total);
}

PolicyBuilder::Step PolicyBuilder::OnlyKeys(const toml::table& t, std::string_view path,
                                            std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, node] : t) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Bad(key.source(), Join(path, key.str()), "unknown key; expected one of " + list);
    }
  }
  return {};
}

Result<const toml::table*> PolicyBuilder::Table(const toml::table& parent, std::string_view key,
                                                std::string_view path, bool required) const {
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (required) return Bad(parent, Join(path, key), "is missing");
    return static_cast<const toml::table*>(nullptr);
  }
  const toml::table* t = node->as_table();
  if (t == nullptr) return Bad(*node, Join(path, key), "must be a table");
  return t;
}

Result<std::string> PolicyBuilder::String(const toml::table& parent, std::string_view key,
                                          std::string_view path, bool required) const {
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (required) return Bad(parent, Join(path, key), "is missing");
    return std::string();
  }
  const auto* s = node->as_string();
  if (s == nullptr) return Bad(*node, Join(path, key), "must be a string");
  if (required && s->get().empty()) return Bad(*node, Join(path, key), "must not be empty");
  return s->get();
}

Result<std::chrono::minutes> PolicyBuilder::Duration(const toml::node& node,
                                                     std::string_view path) const {
  const auto* s = node.as_string();
  if (s == nullptr) {
    return Bad(node, path, "must be a duration string such as \"4h\" or \"90m\"");
  }
  auto d = ParseBusinessDuration(s->get());
  if (!d) return Bad(node, path, d.error().message);
  return *d;
}

PolicyBuilder::Step PolicyBuilder::Calendar(const std::string& id, const toml::table& t,
                                            const std::string& path) {
  if (auto ok = OnlyKeys(t, path, {"time_zone", "hours", "holidays"}); !ok) return ok;
  CalendarSpec spec;
  spec.name = id;
  auto zone = String(t, "time_zone", path, true);
  if (!zone) return Fail(zone.error());
  spec.time_zone = *zone;
  auto hours = Table(t, "hours", path, true);
  if (!hours) return Fail(hours.error());
  const std::string hours_path = Join(path, "hours");
  static constexpr std::string_view kDays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  if (auto ok = OnlyKeys(**hours, hours_path,
                         {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "daily"});
      !ok) {
    return ok;
  }
  auto intervals = [&](const toml::node& node,
                       const std::string& key_path) -> Result<std::vector<OpeningInterval>> {
    const toml::array* a = node.as_array();
    if (a == nullptr) return Bad(node, key_path, "must be an array such as [\"09:00-17:00\"]");
    std::vector<OpeningInterval> out;
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::node& item = *a->get(i);
      const auto* s = item.as_string();
      const std::string item_path = Index(key_path, i);
      if (s == nullptr) return Bad(item, item_path, "must be a string such as \"09:00-17:00\"");
      const std::string& text = s->get();
      const size_t dash = text.find('-');
      auto from = dash == std::string::npos ? std::nullopt : ParseClock(text.substr(0, dash));
      auto to = dash == std::string::npos ? std::nullopt : ParseClock(text.substr(dash + 1));
      if (!from || !to) {
        return Bad(item, item_path, "must be \"HH:MM-HH:MM\" (got " + Quote(text) + ")");
      }
      if (*from >= *to) {
        return Bad(item, item_path,
                   Quote(text) + " must end after it starts; split overnight hours at 24:00");
      }
      out.push_back({*from, *to});
    }
    return out;
  };
  // Order of precedence: a named day, then "weekdays" (mon-fri), then "daily".
  for (std::string_view group : {"daily", "weekdays"}) {
    if (const toml::node* node = hours.value()->get(group)) {
      auto list = intervals(*node, Join(hours_path, group));
      if (!list) return Fail(list.error());
      const size_t last = group == "daily" ? 7 : 5;
      for (size_t d = 0; d < last; ++d) spec.weekly[d] = *list;
    }
  }
  for (size_t d = 0; d < 7; ++d) {
    if (const toml::node* node = hours.value()->get(kDays[d])) {
      auto list = intervals(*node, Join(hours_path, kDays[d]));
      if (!list) return Fail(list.error());
      spec.weekly[d] = *list;
    }
  }
  if (const toml::node* node = t.get("holidays")) {
    const toml::array* a = node->as_array();
    const std::string holidays_path = Join(path, "holidays");
    if (a == nullptr) return Bad(*node, holidays_path, "must be an array of dates");
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::node& item = *a->get(i);
      std::optional<std::chrono::year_month_day> ymd;
      if (const auto* d = item.as_date()) {
        const toml::date& v = d->get();
        std::chrono::year_month_day candidate{std::chrono::year{v.year},
                                              std::chrono::month{v.month}, std::chrono::day{v.day}};
        if (candidate.ok()) ymd = candidate;
      } else if (const auto* s = item.as_string()) {
        ymd = ParseDate(s->get());
      }
      if (!ymd) {
        return Bad(item, Index(holidays_path, i),
                   "must be a date such as 2026-12-25 (a real day, YYYY-MM-DD)");
      }
      spec.holidays.push_back(*ymd);
    }
  }
  auto calendar = BusinessCalendar::Create(std::move(spec));
  if (!calendar) return Bad(t, path, calendar.error().message);
  policy_->calendars_.emplace(id, std::move(*calendar));
  return {};
}

PolicyBuilder::Step PolicyBuilder::Calendars(const toml::table& root) {
  auto calendars = Table(root, "calendars", "", true);
  if (!calendars) return Fail(calendars.error());
  if ((*calendars)->empty()) return Bad(**calendars, "calendars", "must define a calendar");
  for (const auto& [key, node] : **calendars) {
    const std::string path = Join("calendars", key.str());
    const toml::table* t = node.as_table();
    if (t == nullptr) return Bad(node, path, "must be a table");
    if (auto ok = Calendar(std::string(key.str()), *t, path); !ok) return ok;
  }
  return {};
}

PolicyBuilder::Step PolicyBuilder::LevelSla(Level& level, const toml::table& sla,
                                            const std::string& path) {
  if (auto ok = OnlyKeys(sla, path, {"default", "low", "normal", "high", "urgent"}); !ok) {
    return ok;
  }
  static constexpr std::string_view kClockKeys[3] = {"first_response", "next_update", "resolution"};
  // default first, then per priority; a key missing everywhere is an error.
  std::array<std::optional<std::chrono::minutes>, 3> defaults;
  if (const toml::node* node = sla.get("default")) {
    const toml::table* t = node->as_table();
    const std::string p = Join(path, "default");
    if (t == nullptr) return Bad(*node, p, "must be a table");
    if (auto ok = OnlyKeys(*t, p, {"first_response", "next_update", "resolution"}); !ok) return ok;
    for (size_t c = 0; c < 3; ++c) {
      if (const toml::node* v = t->get(kClockKeys[c])) {
        auto d = Duration(*v, Join(p, kClockKeys[c]));
        if (!d) return Fail(d.error());
        defaults[c] = *d;
      }
    }
  }
  for (size_t prio = 0; prio < 4; ++prio) {
    std::array<std::optional<std::chrono::minutes>, 3> values = defaults;
    const std::string p = Join(path, kPriorityKeys[prio]);
    const toml::node* node = sla.get(kPriorityKeys[prio]);
    if (node != nullptr) {
      const toml::table* t = node->as_table();
      if (t == nullptr) return Bad(*node, p, "must be a table");
      if (auto ok = OnlyKeys(*t, p, {"first_response", "next_update", "resolution"}); !ok) {
        return ok;
      }
      for (size_t c = 0; c < 3; ++c) {
        if (const toml::node* v = t->get(kClockKeys[c])) {
          auto d = Duration(*v, Join(p, kClockKeys[c]));
          if (!d) return Fail(d.error());
          values[c] = *d;
        }
      }
    }
    for (size_t c = 0; c < 3; ++c) {
      if (!values[c]) {
        return Bad(node != nullptr ? *node : static_cast<const toml::node&>(sla),
                   Join(p, kClockKeys[c]),
                   "is missing (set it here or in " + Join(path, "default") + ")");
      }
    }
    level.sla[prio] = SlaTargets{*values[0], *values[1], *values[2]};
  }
  return {};
}

PolicyBuilder::Step PolicyBuilder::Levels(const toml::table& root) {
  auto levels = Table(root, "levels", "", true);
  if (!levels) return Fail(levels.error());
  if ((*levels)->empty()) return Bad(**levels, "levels", "must define a level");
  for (const auto& [key, node] : **levels) {
    const std::string path = Join("levels", key.str());
    const toml::table* t = node.as_table();
    if (t == nullptr) return Bad(node, path, "must be a table");
    if (auto ok =
            OnlyKeys(*t, path, {"name", "calendar", "contact", "members", "credit_limit", "sla"});
        !ok) {
      return ok;
    }
    auto level = std::make_unique<Level>();
    level->id = std::string(key.str());
    auto name = String(*t, "name", path, true);
    if (!name) return Fail(name.error());
    level->name = *name;
    auto contact = String(*t, "contact", path, false);
    if (!contact) return Fail(contact.error());
    level->contact = *contact;
    auto calendar = String(*t, "calendar", path, true);
    if (!calendar) return Fail(calendar.error());
    if (policy_->calendars_.find(*calendar) == policy_->calendars_.end()) {
      return Bad(*t->get("calendar"), Join(path, "calendar"),
                 "unknown calendar " + Quote(*calendar) + "; define it under [calendars." +
                     *calendar + "]");
    }
    level->calendar = *calendar;
    if (const toml::node* m = t->get("members")) {
      const toml::array* a = m->as_array();
      const std::string mp = Join(path, "members");
      if (a == nullptr) return Bad(*m, mp, "must be an array of { id = ..., name = \"...\" }");
      std::set<int64_t> seen;
      for (size_t i = 0; i < a->size(); ++i) {
        const toml::node& item = *a->get(i);
        const std::string ip = Index(mp, i);
        const toml::table* mt = item.as_table();
        if (mt == nullptr) return Bad(item, ip, "must be a table { id = ..., name = \"...\" }");
        if (auto ok = OnlyKeys(*mt, ip, {"id", "name"}); !ok) return ok;
        const toml::node* id = mt->get("id");
        if (id == nullptr || !id->is_integer() || id->as_integer()->get() <= 0) {
          return Bad(item, Join(ip, "id"), "must be a positive user id");
        }
        auto member_name = String(*mt, "name", ip, true);
        if (!member_name) return Fail(member_name.error());
        const int64_t user_id = id->as_integer()->get();
        if (!seen.insert(user_id).second) {
          return Bad(item, Join(ip, "id"), "user " + std::to_string(user_id) + " is listed twice");
        }
        level->members.push_back(Member{user_id, *member_name});
      }
    }
    if (const toml::node* c = t->get("credit_limit")) {
      const toml::table* ct = c->as_table();
      const std::string cp = Join(path, "credit_limit");
      if (ct == nullptr) return Bad(*c, cp, "must be a table such as { INR = 50000 }");
      for (const auto& [currency, amount] : *ct) {
        const std::string ap = Join(cp, currency.str());
        bool code_ok = currency.str().size() == 3;
        for (char ch : currency.str()) code_ok = code_ok && ch >= 'A' && ch <= 'Z';
        if (!code_ok) return Bad(currency.source(), ap, "must be an ISO 4217 currency code");
        if (!amount.is_integer() || amount.as_integer()->get() < 0) {
          return Bad(amount, ap, "must be a whole, non-negative number of minor units");
        }
        level->credit_limits.emplace(std::string(currency.str()), amount.as_integer()->get());
      }
    }
    auto sla = Table(*t, "sla", path, true);
    if (!sla) return Fail(sla.error());
    if (auto ok = LevelSla(*level, **sla, Join(path, "sla")); !ok) return ok;
    policy_->levels_.push_back(std::move(level));
  }
  return {};
}

PolicyBuilder::Step PolicyBuilder::External(const toml::table& root) {
  auto external = Table(root, "external", "", false);
  if (!external) return Fail(external.error());
  if (*external == nullptr) return {};
  for (const auto& [key, node] : **external) {
    const std::string path = Join("external", key.str());
    const toml::table* t = node.as_table();
    if (t == nullptr) return Bad(node, path, "must be a table");
    if (auto ok = OnlyKeys(*t, path, {"name", "kind", "address", "note"}); !ok) return ok;
    auto route = std::make_unique<ExternalRoute>();
    route->id = std::string(key.str());
    auto name = String(*t, "name", path, true);
    if (!name) return Fail(name.error());
    route->name = *name;
    auto kind = String(*t, "kind", path, true);
    if (!kind) return Fail(kind.error());
    auto parsed = ParseExternalRouteKind(*kind);
    if (!parsed) {
      return Bad(*t->get("kind"), Join(path, "kind"),
                 "must be one of regulator, ombudsman, public_grievance_portal, consumer_court");
    }
    route->kind = *parsed;
    auto address = String(*t, "address", path, true);
    if (!address) return Fail(address.error());
    route->address = *address;
    auto note = String(*t, "note", path, false);
    if (!note) return Fail(note.error());
    route->note = *note;
    policy_->routes_.push_back(std::move(route));
  }
  return {};
}

PolicyBuilder::Step PolicyBuilder::Ladders(const toml::table& root) {
  const toml::node* node = root.get("ladders");
  if (node == nullptr) {
    return Bad(root, "ladders", "is missing; add [[ladders]] with categories = [\"*\"]");
  }
  const toml::array* a = node->as_array();
  if (a == nullptr || a->empty()) return Bad(*node, "ladders", "must be an array of [[ladders]]");
  std::set<std::string, std::less<>> claimed;
  bool has_default = false;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& item = *a->get(i);
    const std::string path = Index("ladders", i);
    const toml::table* t = item.as_table();
    if (t == nullptr) return Bad(item, path, "must be a table");
    if (auto ok = OnlyKeys(*t, path, {"id", "categories", "levels", "external"}); !ok) return ok;
    Ladder ladder;
    auto id = String(*t, "id", path, true);
    if (!id) return Fail(id.error());
    ladder.id = *id;
    auto strings =
        [&](std::string_view key,
            bool required) -> Result<std::vector<std::pair<std::string, const toml::node*>>> {
      std::vector<std::pair<std::string, const toml::node*>> out;
      const toml::node* n = t->get(key);
      const std::string kp = Join(path, key);
      if (n == nullptr) {
        if (required) return Bad(*t, kp, "is missing");
        return out;
      }
      const toml::array* arr = n->as_array();
      if (arr == nullptr || (required && arr->empty())) {
        return Bad(*n, kp, "must be a non-empty array of strings");
      }
      for (size_t j = 0; j < arr->size(); ++j) {
        const auto* s = arr->get(j)->as_string();
        if (s == nullptr) return Bad(*arr->get(j), Index(kp, j), "must be a string");
        out.emplace_back(s->get(), arr->get(j));
      }
      return out;
    };
    auto categories = strings("categories", true);
    if (!categories) return Fail(categories.error());
    for (const auto& [category, where] : *categories) {
      if (!claimed.insert(category).second) {
        return Bad(*where, Join(path, "categories"),
                   "category " + Quote(category) + " already belongs to another ladder");
      }
      if (category == "*") has_default = true;
      ladder.categories.push_back(category);
    }
    auto levels = strings("levels", true);
    if (!levels) return Fail(levels.error());
    for (const auto& [level_id, where] : *levels) {
      const Level* level = FindLevel(level_id);
      if (level == nullptr) {
        return Bad(
            *where, Join(path, "levels"),
            "unknown level " + Quote(level_id) + "; define it under [levels." + level_id + "]");
      }
      if (std::find(ladder.levels.begin(), ladder.levels.end(), level) != ladder.levels.end()) {
        return Bad(*where, Join(path, "levels"),
                   "level " + Quote(level_id) +
                       " appears twice: the order would cycle back to a level already passed");
      }
      ladder.levels.push_back(level);
    }
    auto external = strings("external", false);
    if (!external) return Fail(external.error());
    for (const auto& [route_id, where] : *external) {
      const ExternalRoute* route = policy_->FindExternalRoute(route_id);
      if (route == nullptr) {
        return Bad(*where, Join(path, "external"),
                   "unknown external route " + Quote(route_id) + "; define it under [external." +
                       route_id + "]");
      }
      ladder.external.push_back(route);
    }
    if (has_default && ladder.categories.end() !=
                           std::find(ladder.categories.begin(), ladder.categories.end(), "*")) {
      policy_->default_ladder_ = policy_->ladders_.size();
    }
    longest_ladder_ = std::max(longest_ladder_, ladder.levels.size());
    policy_->ladders_.push_back(std::move(ladder));
  }
  if (!has_default) {
    return Bad(*node, "ladders", "no ladder covers every category; give one categories = [\"*\"]");
  }
  return {};
}

Result<std::vector<SlaClockKind>> PolicyBuilder::Clocks(const toml::node& node,
                                                        const std::string& path) const {
  const toml::array* a = node.as_array();
  if (a == nullptr) {
    return Bad(node, path, "must be an array of first_response, next_update, resolution");
  }
  std::vector<SlaClockKind> out;
  for (size_t i = 0; i < a->size(); ++i) {
    const auto* s = a->get(i)->as_string();
    std::optional<SlaClockKind> clock;
    if (s != nullptr) clock = domain::ParseSlaClock(s->get());
    if (!clock) {
      return Bad(*a->get(i), Index(path, i),
                 "must be one of first_response, next_update, resolution");
    }
    out.push_back(*clock);
  }
  return out;
}

PolicyBuilder::Step PolicyBuilder::Pause(const toml::table& root) {
  auto pause = Table(root, "pause", "", false);
  if (!pause) return Fail(pause.error());
  if (*pause == nullptr) return {};
  if (auto ok = OnlyKeys(**pause, "pause", {"pending", "on_hold"}); !ok) return ok;
  for (const auto& [key, node] : **pause) {
    const std::string path = Join("pause", key.str());
    const auto status = domain::ParseCaseStatus(key.str());
    auto clocks = Clocks(node, path);
    if (!clocks) return Fail(clocks.error());
    for (SlaClockKind clock : *clocks) {
      // While the company waits for a third party the customer still needs a date: only
      // waiting for the customer may stop the response and update clocks.
      if (*status == CaseStatus::kOnHold && clock != SlaClockKind::kResolution) {
        return Bad(node, path,
                   std::string("on_hold may pause only resolution: pausing ") +
                       domain::SlaClockName(clock) +
                       " would leave the customer without a date for the next step");
      }
      policy_->paused_[static_cast<size_t>(*status)][static_cast<size_t>(clock)] = true;
    }
  }
  return {};
}

PolicyBuilder::Step PolicyBuilder::Triggers(const toml::table& root) {
  auto triggers = Table(root, "triggers", "", false);
  if (!triggers) return Fail(triggers.error());
  if (*triggers == nullptr) return {};
  const toml::table& t = **triggers;
  if (auto ok = OnlyKeys(t, "triggers",
                         {"repeat_contact", "sla_breach", "broken_promise", "customer_request",
                          "appeal", "social_media", "keywords", "value_tiers"});
      !ok) {
    return ok;
  }
  TriggerSettings& s = policy_->triggers_;
  if (const toml::node* n = t.get("repeat_contact")) {
    if (!n->is_integer() || n->as_integer()->get() < 0 || n->as_integer()->get() > 100) {
      return Bad(*n, "triggers.repeat_contact", "must be a whole number from 0 (off) to 100");
    }
    s.repeat_contact = static_cast<int>(n->as_integer()->get());
    if (s.repeat_contact == 1) {
      return Bad(*n, "triggers.repeat_contact",
                 "must be at least 2: the first contact is the case itself");
    }
  }
  if (const toml::node* n = t.get("sla_breach")) {
    auto clocks = Clocks(*n, "triggers.sla_breach");
    if (!clocks) return Fail(clocks.error());
    s.sla_breach = {false, false, false};
    for (SlaClockKind c : *clocks) s.sla_breach[static_cast<size_t>(c)] = true;
  }
  for (auto [key, flag] : {std::pair<std::string_view, bool*>{"broken_promise", &s.broken_promise},
                           {"customer_request", &s.customer_request},
                           {"appeal", &s.appeal},
                           {"social_media", &s.social_media}}) {
    if (const toml::node* n = t.get(key)) {
      if (!n->is_boolean()) return Bad(*n, Join("triggers", key), "must be true or false");
      *flag = n->as_boolean()->get();
    }
  }
  auto rank = [&](const toml::node& n, const std::string& path) -> Result<int> {
    if (!n.is_integer() || n.as_integer()->get() < 2 ||
        n.as_integer()->get() > static_cast<int64_t>(longest_ladder_)) {
      return Bad(n, path,
                 "must be a level rank from 2 to " + std::to_string(longest_ladder_) +
                     " (the longest ladder)");
    }
    return static_cast<int>(n.as_integer()->get());
  };
  auto rules = [&](std::string_view key, auto each) -> Step {
    const toml::node* n = t.get(key);
    if (n == nullptr) return {};
    const toml::array* a = n->as_array();
    const std::string path = Join("triggers", key);
    if (a == nullptr)
      return Bad(*n, path, "must be an array of tables ([[triggers." + std::string(key) + "]])");
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::table* rt = a->get(i)->as_table();
      if (rt == nullptr) return Bad(*a->get(i), Index(path, i), "must be a table");
      if (auto ok = each(*rt, Index(path, i)); !ok) return ok;
    }
    return {};
  };
  auto keywords = rules("keywords", [&](const toml::table& rt, const std::string& path) -> Step {
    if (auto ok = OnlyKeys(rt, path, {"phrase", "to_level"}); !ok) return ok;
    auto phrase = String(rt, "phrase", path, true);
    if (!phrase) return Fail(phrase.error());
    KeywordRule rule;
    for (char ch : *phrase)
      rule.phrase += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch;
    if (const toml::node* to = rt.get("to_level")) {
      auto r = rank(*to, Join(path, "to_level"));
      if (!r) return Fail(r.error());
      rule.to_level = *r;
    }
    s.keywords.push_back(std::move(rule));
    return {};
  });
  if (!keywords) return keywords;
  return rules("value_tiers", [&](const toml::table& rt, const std::string& path) -> Step {
    if (auto ok = OnlyKeys(rt, path, {"tier", "min_level"}); !ok) return ok;
    auto tier = String(rt, "tier", path, true);
    if (!tier) return Fail(tier.error());
    // Spelled as customers' tiers are stored (domain::NormalizeTier), so "Platinum" matches.
    auto normalized = domain::NormalizeTier(*tier);
    if (!normalized || normalized->empty()) {
      return Bad(*rt.get("tier"), Join(path, "tier"),
                 normalized ? std::string("must not be empty") : normalized.error().message);
    }
    *tier = std::move(*normalized);
    const toml::node* min = rt.get("min_level");
    if (min == nullptr) return Bad(rt, Join(path, "min_level"), "is missing");
    auto r = rank(*min, Join(path, "min_level"));
    if (!r) return Fail(r.error());
    s.value_tiers.push_back(ValueTierRule{*tier, *r});
    return {};
  });
}

Result<std::shared_ptr<const EscalationPolicy>> PolicyBuilder::Build(const toml::table& root) {
  if (auto ok = OnlyKeys(
          root, "", {"version", "calendars", "levels", "external", "ladders", "pause", "triggers"});
      !ok) {
    return Fail(ok.error());
  }
  if (const toml::node* v = root.get("version")) {
    if (!v->is_integer() || v->as_integer()->get() != 1) {
      return Bad(*v, "version", "must be 1 (the only format so far)");
    }
  }
  for (auto step : {&PolicyBuilder::Calendars, &PolicyBuilder::Levels, &PolicyBuilder::External,
                    &PolicyBuilder::Ladders, &PolicyBuilder::Pause, &PolicyBuilder::Triggers}) {
    if (auto ok = (this->*step)(root); !ok) return Fail(ok.error());
  }
  return std::shared_ptr<const EscalationPolicy>(std::move(policy_));
}

Result<std::shared_ptr<const EscalationPolicy>> LoadEscalationPolicy(std::string_view toml_text,
                                                                     std::string source_name) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kInvalidArgument, source_name + ":" +
                                                 std::to_string(e.source().begin.line) + ": " +
                                                 std::string(e.description()));
  }
  return PolicyBuilder(std::move(source_name)).Build(root);
}

Result<std::shared_ptr<const EscalationPolicy>> LoadEscalationPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read escalation policy " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return LoadEscalationPolicy(text.str(), path);
}

}  // namespace redress::policy
