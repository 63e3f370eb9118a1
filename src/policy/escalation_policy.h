// The escalation matrix as an immutable value: levels with their people, SLA targets,
// business calendars and authority limits; ladders that order levels per category; the
// external routes beyond the company; which statuses pause which clocks; and the trigger
// settings. Built only by LoadEscalationPolicy (policy_loader.h), which validates every
// cross-reference, so code holding an EscalationPolicy never checks for dangling names.
// Shared as std::shared_ptr<const EscalationPolicy>: replacing the running policy is
// swapping one pointer, and a case being evaluated keeps the policy it started with.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/case_state.h"
#include "domain/escalation_commands.h"
#include "policy/business_calendar.h"

namespace redress::policy {

/// Business-time targets of one level for one priority. Every level has all three: a
/// level that owes no update cadence would leave the customer without a date.
struct SlaTargets {
  std::chrono::minutes first_response{0};  // from entering the level to its first update
  std::chrono::minutes next_update{0};     // between public updates once it has answered
  std::chrono::minutes resolution{0};      // from entering the level to solved

  std::chrono::minutes For(domain::SlaClockKind clock) const;
  bool operator==(const SlaTargets&) const = default;
};

struct Member {
  int64_t user_id = 0;
  std::string name;

  bool operator==(const Member&) const = default;
};

struct Level {
  std::string id;       // "l2", the key in the file
  std::string name;     // "L2 Escalations", shown to customers
  std::string contact;  // where a customer may write to this level; may be empty
  std::string calendar;
  std::array<SlaTargets, 4> sla;  // indexed by domain::Priority
  std::vector<Member> members;    // routing candidates, in round-robin order
  /// Goodwill/refund authority per currency, in minor units. No entry: no authority.
  std::map<std::string, int64_t, std::less<>> credit_limits;

  const SlaTargets& Targets(domain::Priority p) const { return sla[static_cast<size_t>(p)]; }
  int64_t CreditLimit(std::string_view currency) const;
};

enum class ExternalRouteKind { kRegulator, kOmbudsman, kPublicGrievancePortal, kConsumerCourt };
/// "regulator", "ombudsman", "public_grievance_portal", "consumer_court"
const char* ExternalRouteKindName(ExternalRouteKind k);
std::optional<ExternalRouteKind> ParseExternalRouteKind(std::string_view name);

struct ExternalRoute {
  std::string id;
  std::string name;
  ExternalRouteKind kind = ExternalRouteKind::kOmbudsman;
  std::string address;  // URL, e-mail or postal address, as the customer would use it
  std::string note;     // when to use it, what to bring
};

/// An ordered ladder of levels for some categories. Rank 1 is levels[0].
struct Ladder {
  std::string id;
  std::vector<std::string> categories;  // "*" = every category no other ladder claims
  std::vector<const Level*> levels;
  std::vector<const ExternalRoute*> external;
};

struct KeywordRule {
  std::string phrase;  // lower-case; matched case-insensitively (ASCII) as a substring
  int to_level = 0;    // rank to escalate to; 0 = the next level
};

struct ValueTierRule {
  std::string tier;   // "platinum"
  int min_level = 2;  // cases of these customers start at least at this rank
};

struct TriggerSettings {
  int repeat_contact = 3;  // the Nth inbound contact at one level escalates; 0 = off
  std::array<bool, 3> sla_breach{true, true, true};  // per domain::SlaClockKind
  bool broken_promise = true;
  bool customer_request = true;
  bool appeal = true;
  bool social_media = true;
  std::vector<KeywordRule> keywords;
  std::vector<ValueTierRule> value_tiers;
};

class EscalationPolicy {
 public:
  /// The ladder for a category: the one naming it, else the "*" ladder (always present).
  const Ladder& LadderFor(std::string_view category) const;

  /// The level at `rank` (1-based) of the case's ladder; a rank beyond the top (a policy
  /// replaced by a shorter one) gives the top level, so a case is never without a level.
  const Level& LevelFor(const domain::CaseState& c) const;
  const Level& LevelAt(const Ladder& ladder, int rank) const;

  /// The level above the case's, or nullptr at the top of its ladder.
  const Level* NextLevelFor(const domain::CaseState& c) const;

  const BusinessCalendar& CalendarOf(const Level& level) const;

  /// solved and closed stop every clock; other statuses as [pause] says.
  bool Pauses(domain::CaseStatus status, domain::SlaClockKind clock) const;

  const ExternalRoute* FindExternalRoute(std::string_view id) const;
  const TriggerSettings& triggers() const { return triggers_; }
  const std::vector<std::unique_ptr<Level>>& levels() const { return levels_; }
  const std::vector<Ladder>& ladders() const { return ladders_; }
  const std::string& source() const { return source_; }

 private:
  friend class PolicyBuilder;
  EscalationPolicy() = default;

  std::string source_;  // file name or "<text>", for messages
  std::map<std::string, BusinessCalendar, std::less<>> calendars_;
  // unique_ptr: Ladder and lookups hold stable pointers to levels and routes.
  std::vector<std::unique_ptr<Level>> levels_;
  std::vector<std::unique_ptr<ExternalRoute>> routes_;
  std::vector<Ladder> ladders_;
  size_t default_ladder_ = 0;
  std::array<std::array<bool, 3>, 6> paused_{};  // [CaseStatus][SlaClockKind]
  TriggerSettings triggers_;
};

}  // namespace redress::policy
