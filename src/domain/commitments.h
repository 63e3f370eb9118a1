// What a case owes the customer and what it has been through on the escalation ladder:
// promises, decisions, goodwill credit, escalations and the bookkeeping the SLA clocks
// need. It is part of CaseState (a fold of events like the rest), kept in one struct so
// the stores can persist it as one JSON column (ToJson/FromJson, a lossless round trip)
// without a schema change per field.
//
// The level itself, the owner, the transfer count and the contact count stay where they
// were (CaseState::level, owner_id, transfers, customer_messages): they are columns that
// listings filter on.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace redress::domain {

enum class CaseStatus;

enum class PromiseStatus { kOpen, kKept, kBroken };
const char* PromiseStatusName(PromiseStatus s);  // "open", "kept", "broken"
std::optional<PromiseStatus> ParsePromiseStatus(std::string_view name);

/// A commitment made to the customer: what, by when, by whom. Ids count from 1 per case.
struct Promise {
  int64_t id = 0;
  std::string what;
  Timestamp due_at{};
  Timestamp made_at{};
  int64_t made_by_id = 0;
  std::string made_by_name;
  int level = 1;  // the case's level when the promise was made
  PromiseStatus status = PromiseStatus::kOpen;
  std::optional<Timestamp> settled_at;  // when it was kept or broken
  bool broken_automatically = false;    // broken by the clock, not by a person
  std::string note;                     // how it was kept, or why it was broken

  bool operator==(const Promise&) const = default;
};

enum class DecisionOutcome { kApproved, kPartlyApproved, kDenied, kCannotResolve };
/// "approved", "partly_approved", "denied", "cannot_resolve"
const char* DecisionOutcomeName(DecisionOutcome o);
std::optional<DecisionOutcome> ParseDecisionOutcome(std::string_view name);

struct Decision {
  int64_t id = 0;  // counts from 1 per case
  DecisionOutcome outcome = DecisionOutcome::kApproved;
  std::string reason;
  std::string next_step;       // what the customer can do next, in words
  std::string external_route;  // cannot_resolve only: the external route's id
  int level = 1;
  int64_t decided_by_id = 0;
  std::string decided_by_name;
  Timestamp at{};
  bool appealed = false;

  bool operator==(const Decision&) const = default;
};

enum class CreditStatus { kPending, kApproved, kDenied };
const char* CreditStatusName(CreditStatus s);  // "pending", "approved", "denied"
std::optional<CreditStatus> ParseCreditStatus(std::string_view name);

/// Goodwill credit in integer minor units of an ISO 4217 currency (no floating point).
struct Credit {
  int64_t id = 0;  // counts from 1 per case
  int64_t amount_minor = 0;
  std::string currency;  // "EUR", "INR"
  std::string reason;
  CreditStatus status = CreditStatus::kPending;
  int requested_by_level = 1;
  int approver_level = 1;  // the level that may approve it (== requested_by_level if granted)
  int64_t requested_by_id = 0;
  std::string requested_by_name;
  Timestamp requested_at{};
  std::optional<Timestamp> settled_at;
  std::string settled_by_name;
  std::string settle_reason;  // the denial reason, or empty

  bool operator==(const Credit&) const = default;
};

/// One stretch of time in one status; the SLA clocks read these to know what was paused.
struct StatusSpan {
  CaseStatus status;
  Timestamp since{};

  bool operator==(const StatusSpan&) const = default;
};

struct EscalationRecord {
  std::string trigger;  // see EscalationTrigger in escalation_commands.h
  int from_level = 1;
  int to_level = 1;
  Timestamp at{};

  bool operator==(const EscalationRecord&) const = default;
};

struct CaseCommitments {
  // --- the current level's clocks (reset by every escalation) ---
  Timestamp level_entered_at{};             // case opened, or the latest escalation
  std::optional<Timestamp> responded_at;    // first public staff update at this level
  std::optional<Timestamp> last_update_at;  // latest public staff update at this level
  int64_t updates_at_level = 0;             // public staff updates at this level
  int64_t contacts_at_level = 0;            // inbound customer contacts at this level
  std::vector<StatusSpan> status_spans;     // since level_entered_at, oldest first
  std::vector<std::string> breached_keys;   // deadline keys recorded as sla_breached

  // --- the whole case ---
  int64_t escalations = 0;
  std::optional<EscalationRecord> last_escalation;
  int64_t breaches = 0;
  std::vector<Promise> promises;  // every promise ever made, in order
  std::optional<Decision> latest_decision;
  int64_t decisions = 0;
  int64_t appeals = 0;
  std::vector<Credit> credits;  // every credit ever requested or granted, in order

  bool operator==(const CaseCommitments&) const = default;

  const Promise* FindPromise(int64_t id) const;
  const Credit* FindCredit(int64_t id) const;
  bool BreachRecorded(std::string_view key) const;
  int64_t OpenPromiseCount() const;
  int64_t BrokenPromiseCount() const;
};

/// The JSON the stores persist. Timestamps are RFC 3339 strings (core/time_format.h),
/// enums their stable names, absent optionals null. Shape: docs/escalation.md.
boost::json::object ToJson(const CaseCommitments& c);

/// The inverse of ToJson. Anything else (a missing key, a wrong type, an unknown name) is
/// kCorruption naming the path ("commitments.promises[2].due_at: ...").
Result<CaseCommitments> CommitmentsFromJson(const boost::json::object& json);

}  // namespace redress::domain
