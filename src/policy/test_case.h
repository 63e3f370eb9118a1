// Test support for the policy tests: a case driven through the real domain commands and
// the real fold (as app/case_service does, minus the store), and a small policy.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "domain/case_commands.h"
#include "domain/case_state.h"
#include "policy/policy_loader.h"

namespace redress::policy::testing {

inline Timestamp At(const char* rfc3339) {
  auto t = ParseTimestamp(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(Timestamp{});
}

inline std::string Show(const std::optional<Timestamp>& t) {
  return t ? FormatTimestamp(*t) : std::string("(none)");
}

inline const domain::Principal kAsha{domain::Role::kCustomer, 3, "Asha Rao", 0};
inline const domain::Principal kPriya{domain::Role::kAgent, 7, "Priya", 1};
inline const domain::Principal kArjun{domain::Role::kAgent, 8, "Arjun", 1};
inline const domain::Principal kMeera{domain::Role::kSupervisor, 21, "Meera", 2};
inline const domain::Principal kIyer{domain::Role::kSupervisor, 31, "S. Iyer", 3};
inline const domain::Principal kSystem = domain::Principal::System();

/// Berlin office hours Mon-Fri 09:00-17:00; L1 -> L2 -> L3; pending pauses everything,
/// on_hold pauses resolution. L2 updates daily (8h of business time).
inline std::string OfficePolicyText() {
  return R"(
[calendars.office]
time_zone = "Europe/Berlin"
holidays = [2026-12-25]
[calendars.office.hours]
weekdays = ["09:00-17:00"]

[levels.l1]
name = "L1 Customer care"
calendar = "office"
members = [{ id = 7, name = "Priya" }, { id = 8, name = "Arjun" }]
credit_limit = { EUR = 5000 }
[levels.l1.sla.default]
first_response = "4h"
next_update = "16h"
resolution = "24h"

[levels.l2]
name = "L2 Escalations"
calendar = "office"
contact = "escalations@shop.example"
members = [{ id = 21, name = "Meera" }, { id = 22, name = "Rohan" }]
credit_limit = { EUR = 50000 }
[levels.l2.sla.default]
first_response = "2h"
next_update = "8h"
resolution = "40h"

[levels.l3]
name = "L3 Grievance officer"
calendar = "office"
members = [{ id = 31, name = "S. Iyer" }]
credit_limit = { EUR = 500000 }
[levels.l3.sla.default]
first_response = "8h"
next_update = "8h"
resolution = "40h"

[external.ombudsman]
name = "Retail Ombudsman"
kind = "ombudsman"
address = "https://ombudsman.example"

[[ladders]]
id = "default"
categories = ["*"]
levels = ["l1", "l2", "l3"]
external = ["ombudsman"]

[pause]
pending = ["first_response", "next_update", "resolution"]
on_hold = ["resolution"]

[triggers]
repeat_contact = 3

[[triggers.keywords]]
phrase = "consumer court"
to_level = 3

[[triggers.value_tiers]]
tier = "platinum"
min_level = 2
)";
}

inline std::shared_ptr<const EscalationPolicy> OfficePolicy(const std::string& extra = {}) {
  auto p = LoadEscalationPolicy(OfficePolicyText() + extra, "office.toml");
  EXPECT_TRUE(p.has_value()) << p.error().message;
  return p.value_or(nullptr);
}

class TestCase {
 public:
  explicit TestCase(Timestamp opened_at, std::string category = "returns",
                    domain::Priority priority = domain::Priority::kNormal,
                    std::string body = "My return was rejected for technical reasons.") {
    domain::OpenCaseInput in;
    in.customer_id = 3;
    in.subject = "Return rejected";
    in.body = std::move(body);
    in.category = std::move(category);
    in.priority = priority;
    in.channel = domain::Channel::kEmail;
    auto draft = domain::OpenCase(kAsha, in, opened_at);
    EXPECT_TRUE(draft.has_value()) << draft.error().message;
    if (draft) Append({*draft});
  }

  void Append(const std::vector<domain::EventDraft>& drafts) {
    for (const domain::EventDraft& d : drafts) {
      domain::Event e;
      e.case_id = 42;
      e.seq = state_.last_seq + 1;
      e.type = d.type;
      e.at = d.at;
      e.actor = d.actor;
      e.channel = d.channel;
      e.visibility = d.visibility;
      e.data = d.data;
      e.prev_hash = std::string(64, '0');
      e.hash = "h" + std::to_string(e.seq);
      auto next = domain::Apply(state_, e);
      ASSERT_TRUE(next.has_value()) << next.error().message;
      state_ = *next;
      events_.push_back(e);
    }
  }

  /// Appends the events of a successful command and returns how many there were.
  template <class R>
  size_t Do(const R& result) {
    EXPECT_TRUE(result.has_value()) << result.error().message;
    if (!result) return 0;
    Append(*result);
    return result->size();
  }

  const domain::CaseState& state() const { return state_; }
  const std::vector<domain::Event>& events() const { return events_; }
  const domain::Event& last() const { return events_.back(); }

 private:
  domain::CaseState state_;
  std::vector<domain::Event> events_;
};

}  // namespace redress::policy::testing
