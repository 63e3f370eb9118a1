#include "domain/event.h"

#include <array>
#include <utility>

namespace redress::domain {
namespace {

template <class Enum, size_t N>
std::optional<Enum> Lookup(const std::array<std::pair<Enum, const char*>, N>& table,
                           std::string_view name) {
  for (const auto& [value, text] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <class Enum, size_t N>
const char* NameOf(const std::array<std::pair<Enum, const char*>, N>& table, Enum value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "unknown";
}

// These names are part of the hash-chain format: never rename, only add.
constexpr std::array<std::pair<EventType, const char*>, 21> kEventTypes{{
    {EventType::kCaseOpened, "case_opened"},
    {EventType::kMessageReceived, "message_received"},
    {EventType::kReplySent, "reply_sent"},
    {EventType::kInternalNote, "internal_note"},
    {EventType::kAssigned, "assigned"},
    {EventType::kStatusChanged, "status_changed"},
    {EventType::kPriorityChanged, "priority_changed"},
    {EventType::kCategoryChanged, "category_changed"},
    {EventType::kEscalated, "escalated"},
    {EventType::kPromiseMade, "promise_made"},
    {EventType::kPromiseKept, "promise_kept"},
    {EventType::kPromiseBroken, "promise_broken"},
    {EventType::kDecisionMade, "decision_made"},
    {EventType::kDecisionAppealed, "decision_appealed"},
    {EventType::kCreditRequested, "credit_requested"},
    {EventType::kCreditApproved, "credit_approved"},
    {EventType::kCreditDenied, "credit_denied"},
    {EventType::kSlaBreached, "sla_breached"},
    {EventType::kThreadTokenMismatch, "thread_token_mismatch"},
    {EventType::kChannelLinked, "channel_linked"},
    {EventType::kDelivery, "delivery"},
}};

constexpr std::array<std::pair<Visibility, const char*>, 2> kVisibilities{{
    {Visibility::kPublic, "public"},
    {Visibility::kInternal, "internal"},
}};

constexpr std::array<std::pair<Channel, const char*>, 8> kChannels{{
    {Channel::kWeb, "web"},
    {Channel::kEmail, "email"},
    {Channel::kChat, "chat"},
    {Channel::kPhone, "phone"},
    {Channel::kSocial, "social"},
    {Channel::kSms, "sms"},
    {Channel::kApi, "api"},
    {Channel::kSystem, "system"},
}};

constexpr std::array<std::pair<ActorKind, const char*>, 3> kActorKinds{{
    {ActorKind::kCustomer, "customer"},
    {ActorKind::kStaff, "staff"},
    {ActorKind::kSystem, "system"},
}};

}  // namespace

bool CountsAsContact(const Event& event) {
  const boost::json::value* counts = event.data.if_contains("counts_as_contact");
  return counts == nullptr || !counts->is_bool() || counts->get_bool();
}

const char* EventTypeName(EventType type) { return NameOf(kEventTypes, type); }
std::optional<EventType> ParseEventType(std::string_view name) { return Lookup(kEventTypes, name); }

const char* VisibilityName(Visibility v) { return NameOf(kVisibilities, v); }
std::optional<Visibility> ParseVisibility(std::string_view name) {
  return Lookup(kVisibilities, name);
}

const char* ChannelName(Channel c) { return NameOf(kChannels, c); }
std::optional<Channel> ParseChannel(std::string_view name) { return Lookup(kChannels, name); }

const char* ActorKindName(ActorKind k) { return NameOf(kActorKinds, k); }
std::optional<ActorKind> ParseActorKind(std::string_view name) {
  return Lookup(kActorKinds, name);
}

}  // namespace redress::domain
