// The current state of a case is a fold (left reduction) of its events: Apply() is the
// only way state changes. The store keeps the result as the `cases` projection row,
// updated in the same transaction as the append, and `redress verify` can recompute it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "domain/commitments.h"
#include "domain/event.h"

namespace redress::domain {

/// new: nobody has answered yet. open: being worked. pending: waiting for the customer.
/// on_hold: waiting for a third party (warehouse, courier, store). solved: the company
/// considers it done; a customer message reopens it. closed: final and read-only.
enum class CaseStatus { kNew, kOpen, kPending, kOnHold, kSolved, kClosed };
const char* CaseStatusName(CaseStatus s);
std::optional<CaseStatus> ParseCaseStatus(std::string_view name);

enum class Priority { kLow, kNormal, kHigh, kUrgent };
const char* PriorityName(Priority p);
std::optional<Priority> ParsePriority(std::string_view name);

struct CaseState {
  int64_t id = 0;  // also the case number customers quote ("#1042")
  int64_t customer_id = 0;
  std::string subject;
  CaseStatus status = CaseStatus::kNew;
  Priority priority = Priority::kNormal;
  std::string category;  // free text for now; empty = uncategorised
  int level = 1;         // escalation level; 1 = front line
  std::optional<int64_t> owner_id;  // staff user id
  std::string owner_name;
  Channel channel = Channel::kApi;  // channel the case was opened on
  Timestamp opened_at{};
  Timestamp updated_at{};  // the latest public event (internal notes do not move it)
  std::optional<Timestamp> first_response_at;      // first public staff reply
  std::optional<Timestamp> last_customer_message_at;
  int64_t customer_messages = 0;  // inbound contacts, including the opening message
  int64_t staff_replies = 0;
  int64_t internal_notes = 0;
  int64_t transfers = 0;  // owner changes from one owner to another (not the first assignment)
  // Escalation, promises, decisions, credit and SLA bookkeeping (commitments.h); one JSON
  // column in the stores.
  CaseCommitments commitments;
  // Chain head, so the next append knows where it continues.
  int64_t last_seq = 0;
  std::string head_hash;

  bool operator==(const CaseState&) const = default;
};

/// Applies one event to a state. The event must be the next one of this case
/// (event.seq == state.last_seq + 1 and, after the first, event.case_id == state.id);
/// otherwise kCorruption. Unknown-but-reserved event types only move the chain head.
Result<CaseState> Apply(CaseState state, const Event& event);

/// Folds a case's complete event list from seq 1.
Result<CaseState> Fold(std::span<const Event> events);

}  // namespace redress::domain
