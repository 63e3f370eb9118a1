#include "domain/case_state.h"

#include <string>
#include <utility>

#include "domain/commitments_fold.h"
#include "domain/event_data.h"

namespace redress::domain {
namespace {

constexpr CaseStatus kAllStatuses[] = {CaseStatus::kNew,     CaseStatus::kOpen,
                                       CaseStatus::kPending, CaseStatus::kOnHold,
                                       CaseStatus::kSolved,  CaseStatus::kClosed};
constexpr Priority kAllPriorities[] = {Priority::kLow, Priority::kNormal, Priority::kHigh,
                                       Priority::kUrgent};

// Per-type steps report the problem alone; Apply() adds which case and event it was.
using Step = Result<void>;

tl::unexpected<Error> Problem(std::string message) {
  return Fail(ErrorCode::kCorruption, std::move(message));
}

// Reads a status or priority name from data[key] and checks it parses.
template <class T, class ParseFn>
Result<T> DataEnum(const boost::json::object& data, std::string_view key, ParseFn parse,
                   const char* what) {
  auto name = DataString(data, key);
  if (!name) return Fail(name.error());
  std::optional<T> value = parse(*name);
  if (!value)
    return Problem("data." + std::string(key) + " \"" + std::string(*name) + "\" is not a " + what);
  return *value;
}

Step ApplyCaseOpened(CaseState& s, const Event& e) {
  auto customer_id = DataInt(e.data, "customer_id");
  if (!customer_id) return Fail(customer_id.error());
  if (*customer_id <= 0) return Problem("data.customer_id must be positive");
  auto subject = DataString(e.data, "subject");
  if (!subject) return Fail(subject.error());
  if (auto body = DataString(e.data, "body"); !body) return Fail(body.error());
  auto priority = DataEnum<Priority>(e.data, "priority", ParsePriority, "priority");
  if (!priority) return Fail(priority.error());
  auto category = DataString(e.data, "category");
  if (!category) return Fail(category.error());

  s.id = e.case_id;
  s.customer_id = *customer_id;
  s.subject = std::string(*subject);
  s.status = CaseStatus::kNew;
  s.priority = *priority;
  s.category = std::string(*category);
  s.level = 1;
  s.channel = e.channel;
  s.opened_at = e.at;
  // The opening message is the customer's first contact, whoever typed it in.
  s.customer_messages = 1;
  s.last_customer_message_at = e.at;
  s.commitments.level_entered_at = e.at;
  s.commitments.contacts_at_level = 1;
  s.commitments.status_spans = {StatusSpan{CaseStatus::kNew, e.at}};
  return {};
}

Step ApplyAssigned(CaseState& s, const Event& e) {
  auto owner_id = DataInt(e.data, "owner_id");
  if (!owner_id) return Fail(owner_id.error());
  auto owner_name = DataString(e.data, "owner_name");
  if (!owner_name) return Fail(owner_name.error());
  auto previous = DataOptionalInt(e.data, "previous_owner_id");
  if (!previous) return Fail(previous.error());
  if (auto reason = DataString(e.data, "reason"); !reason) return Fail(reason.error());
  if (auto note = DataString(e.data, "handoff_note"); !note) return Fail(note.error());
  // The event records whom the case was taken from; if that disagrees with the fold so
  // far, one of them is wrong and the transfer count cannot be trusted.
  if (*previous != s.owner_id) {
    auto show = [](const std::optional<int64_t>& id) {
      return id ? std::to_string(*id) : std::string("null");
    };
    return Problem("data.previous_owner_id is " + show(*previous) + " but the case was owned by " +
                   show(s.owner_id));
  }
  if (previous->has_value() && **previous != *owner_id) ++s.transfers;
  s.owner_id = *owner_id;
  s.owner_name = std::string(*owner_name);
  return {};
}

// status_changed, priority_changed: "from" must be the current value, "to" the new one.
template <class T, class ParseFn, class NameFn>
Step ApplyChange(T& field, const Event& e, ParseFn parse, NameFn name, const char* what) {
  auto from = DataEnum<T>(e.data, "from", parse, what);
  if (!from) return Fail(from.error());
  auto to = DataEnum<T>(e.data, "to", parse, what);
  if (!to) return Fail(to.error());
  if (*from != field) {
    return Problem("data.from is \"" + std::string(name(*from)) + "\" but the " + what + " was \"" +
                   name(field) + "\"");
  }
  field = *to;
  return {};
}

Step ApplyCategoryChanged(CaseState& s, const Event& e) {
  auto from = DataString(e.data, "from");
  if (!from) return Fail(from.error());
  auto to = DataString(e.data, "to");
  if (!to) return Fail(to.error());
  if (*from != s.category) {
    return Problem("data.from is \"" + std::string(*from) + "\" but the category was \"" +
                   s.category + "\"");
  }
  s.category = std::string(*to);
  return {};
}

Step ApplyType(CaseState& s, const Event& e) {
  switch (e.type) {
    case EventType::kCaseOpened: return ApplyCaseOpened(s, e);
    case EventType::kMessageReceived: {
      if (auto body = DataString(e.data, "body"); !body) return Fail(body.error());
      ++s.customer_messages;
      // Machine mail on the case (an auto-reply, a list) is on record but is not the
      // customer contacting us again: it moves no repeat-contact count.
      if (CountsAsContact(e)) ++s.commitments.contacts_at_level;
      s.last_customer_message_at = e.at;
      return {};
    }
    case EventType::kReplySent: {
      if (auto body = DataString(e.data, "body"); !body) return Fail(body.error());
      ++s.staff_replies;
      if (!s.first_response_at) s.first_response_at = e.at;
      NoteStaffUpdate(s.commitments, e.at);
      return {};
    }
    case EventType::kInternalNote: {
      if (auto body = DataString(e.data, "body"); !body) return Fail(body.error());
      ++s.internal_notes;
      return {};
    }
    case EventType::kAssigned: return ApplyAssigned(s, e);
    case EventType::kStatusChanged: {
      if (auto reason = DataString(e.data, "reason"); !reason) return Fail(reason.error());
      auto changed = ApplyChange(s.status, e, ParseCaseStatus, CaseStatusName, "status");
      if (changed) s.commitments.status_spans.push_back(StatusSpan{s.status, e.at});
      return changed;
    }
    case EventType::kPriorityChanged:
      return ApplyChange(s.priority, e, ParsePriority, PriorityName, "priority");
    case EventType::kCategoryChanged: return ApplyCategoryChanged(s, e);
    case EventType::kEscalated:
    case EventType::kPromiseMade:
    case EventType::kPromiseKept:
    case EventType::kPromiseBroken:
    case EventType::kDecisionMade:
    case EventType::kDecisionAppealed:
    case EventType::kCreditRequested:
    case EventType::kCreditApproved:
    case EventType::kCreditDenied:
    case EventType::kSlaBreached: return ApplyCommitmentEvent(s, e);
    case EventType::kThreadTokenMismatch:
    case EventType::kChannelLinked:
    case EventType::kDelivery: return {};  // the chain head moves, nothing else
  }
  // Only reachable for a type added to the enum but not yet to this switch (-Wswitch
  // flags that at compile time): such reserved types move the chain head and nothing else.
  return {};
}

}  // namespace

const char* CaseStatusName(CaseStatus s) {
  switch (s) {
    case CaseStatus::kNew: return "new";
    case CaseStatus::kOpen: return "open";
    case CaseStatus::kPending: return "pending";
    case CaseStatus::kOnHold: return "on_hold";
    case CaseStatus::kSolved: return "solved";
    case CaseStatus::kClosed: return "closed";
  }
  return "unknown";
}

std::optional<CaseStatus> ParseCaseStatus(std::string_view name) {
  for (CaseStatus s : kAllStatuses) {
    if (name == CaseStatusName(s)) return s;
  }
  return std::nullopt;
}

const char* PriorityName(Priority p) {
  switch (p) {
    case Priority::kLow: return "low";
    case Priority::kNormal: return "normal";
    case Priority::kHigh: return "high";
    case Priority::kUrgent: return "urgent";
  }
  return "unknown";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  for (Priority p : kAllPriorities) {
    if (name == PriorityName(p)) return p;
  }
  return std::nullopt;
}

Result<CaseState> Apply(CaseState state, const Event& event) {
  const int64_t case_id = state.last_seq == 0 ? event.case_id : state.id;
  auto corrupt = [&](const std::string& problem) {
    return Fail(ErrorCode::kCorruption, "case " + std::to_string(case_id) + " event seq " +
                                            std::to_string(event.seq) + " (" +
                                            EventTypeName(event.type) + "): " + problem);
  };
  if (event.seq != state.last_seq + 1) {
    return corrupt("expected seq " + std::to_string(state.last_seq + 1) +
                   "; events are missing, repeated or out of order");
  }
  if (state.last_seq == 0) {
    if (event.type != EventType::kCaseOpened) return corrupt("the first event must be case_opened");
    if (event.case_id <= 0) return corrupt("case id must be positive");
  } else {
    if (event.case_id != state.id) {
      return corrupt("the event belongs to case " + std::to_string(event.case_id));
    }
    if (event.type == EventType::kCaseOpened) return corrupt("case_opened after the first event");
  }
  if (auto ok = ApplyType(state, event); !ok) return corrupt(ok.error().message);
  state.last_seq = event.seq;
  state.head_hash = event.hash;
  // Internal events leave updated_at alone: customers see it, and it must not tell them
  // when staff wrote a note about them.
  if (event.visibility == Visibility::kPublic) state.updated_at = event.at;
  return state;
}

Result<CaseState> Fold(std::span<const Event> events) {
  if (events.empty()) {
    return Fail(ErrorCode::kCorruption, "a case has at least one event (case_opened); got none");
  }
  CaseState state;
  for (const Event& event : events) {
    auto next = Apply(std::move(state), event);
    if (!next) return Fail(next.error());
    state = std::move(*next);
  }
  return state;
}

}  // namespace redress::domain
