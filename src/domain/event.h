// The event is the unit of truth. A case is nothing but its ordered list of events; every
// table about cases is a projection of these lists. Events are never edited or deleted:
// a correction or redaction is a new event. The hash fields link each event to the one
// before it (see docs/event_log_format.md and eventlog/hash_chain.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/clock.h"

namespace redress::domain {

/// Every kind of thing that can happen to a case. The wire/storage names are stable and
/// part of the hash-chain format: never rename one, only add.
enum class EventType {
  kCaseOpened,        // "case_opened": subject, body, priority, category, customer_id
  kMessageReceived,   // "message_received": body (from the customer, any channel)
  kReplySent,         // "reply_sent": body (from staff, visible to the customer)
  kInternalNote,      // "internal_note": body (staff only)
  kAssigned,          // "assigned": owner_id, owner_name, previous_owner_id, reason, handoff_note
  kStatusChanged,     // "status_changed": from, to, reason
  kPriorityChanged,   // "priority_changed": from, to
  kCategoryChanged,   // "category_changed": from, to
  // Escalation, promises, decisions, credit and SLA (docs/escalation.md has every payload).
  // All of them are public: the customer sees who escalated, what was promised and decided,
  // and when a clock was missed. Internal reasoning goes into a separate internal_note.
  kEscalated,         // "escalated": trigger, from_level, to_level, to_level_name, owner_id,
                      //   owner_name, previous_owner_id, reason, evidence[]
  kPromiseMade,       // "promise_made": promise_id, what, due_at, made_by_id, made_by_name
  kPromiseKept,       // "promise_kept": promise_id, note
  kPromiseBroken,     // "promise_broken": promise_id, automatic, reason
  kDecisionMade,      // "decision_made": decision_id, outcome, reason, next_step, external_route
  kDecisionAppealed,  // "decision_appealed": decision_id, reason, evidence[]
  kCreditRequested,   // "credit_requested": credit_id, amount_minor, currency, reason,
                      //   requested_by_level, limit_minor, approver_level, approver_level_name
  kCreditApproved,    // "credit_approved": credit_id, amount_minor, currency, reason,
                      //   approved_by_level
  kCreditDenied,      // "credit_denied": credit_id, reason
  kSlaBreached,       // "sla_breached": clock, key, due_at, level
  // Reserved for the email and channel work; the fold only moves the chain head:
  kThreadTokenMismatch,  // "thread_token_mismatch"
  kChannelLinked,        // "channel_linked"
  // "delivery": what became of an outbound email (or a bounce reporting on one): outbox_id,
  //   message_id, purpose, status ("sent" | "deferred" | "failed" | "bounced"), recipients[],
  //   detail. Public: the customer may see that mail to them did not arrive.
  kDelivery,
  // Still reserved by name only: redacted, ...
};

const char* EventTypeName(EventType type);

std::optional<EventType> ParseEventType(std::string_view name);

enum class Visibility { kPublic, kInternal };
const char* VisibilityName(Visibility v);  // "public", "internal"
std::optional<Visibility> ParseVisibility(std::string_view name);

/// The channel an event arrived on or was sent through.
enum class Channel { kWeb, kEmail, kChat, kPhone, kSocial, kSms, kApi, kSystem };
const char* ChannelName(Channel c);  // "web", "email", "chat", "phone", "social", "sms", "api", "system"
std::optional<Channel> ParseChannel(std::string_view name);

enum class ActorKind { kCustomer, kStaff, kSystem };
const char* ActorKindName(ActorKind k);  // "customer", "staff", "system"
std::optional<ActorKind> ParseActorKind(std::string_view name);

/// Who caused the event, as known at that moment. The display name is recorded in the
/// event so the record keeps saying who handled the case even if the account is renamed.
struct Actor {
  ActorKind kind = ActorKind::kSystem;
  int64_t id = 0;
  std::string name;

  bool operator==(const Actor&) const = default;
};

/// An event before it joins a case's log: what happened, not yet where in the chain.
struct EventDraft {
  EventType type = EventType::kCaseOpened;
  Timestamp at{};
  Actor actor;
  Channel channel = Channel::kApi;
  Visibility visibility = Visibility::kPublic;
  /// Type-specific payload. Only strings, integers, booleans, null, arrays and objects:
  /// no floating point (amounts are integer minor units), so the encoding stays canonical.
  boost::json::object data;
};

/// An event in a case's log. seq starts at 1; prev_hash of seq 1 is 64 zeros.
struct Event {
  int64_t case_id = 0;
  int64_t seq = 0;
  EventType type = EventType::kCaseOpened;
  Timestamp at{};
  Actor actor;
  Channel channel = Channel::kApi;
  Visibility visibility = Visibility::kPublic;
  boost::json::object data;
  std::string prev_hash;  // lowercase hex SHA-256, 64 characters
  std::string hash;       // lowercase hex SHA-256 of the canonical encoding, 64 characters

  bool operator==(const Event&) const = default;
};

/// False only for a message_received that carries "counts_as_contact": false (mail from
/// a machine: auto-replies, lists); such a message never counts as the customer's repeat
/// contact nor triggers anything.
bool CountsAsContact(const Event& event);

}  // namespace redress::domain
