#include "domain/event.h"

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

// These names are part of the hash-chain format; this test is the tripwire for a rename.
TEST(EventType, StableNamesRoundTrip) {
  const std::pair<EventType, const char*> expected[] = {
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
  };
  for (const auto& [type, name] : expected) {
    EXPECT_STREQ(EventTypeName(type), name);
    EXPECT_EQ(ParseEventType(name), type);
  }
  EXPECT_EQ(ParseEventType("redacted"), std::nullopt);  // reserved by name, not yet a type
  EXPECT_EQ(ParseEventType("Case_Opened"), std::nullopt);
}

TEST(Channel, StableNamesRoundTrip) {
  const std::pair<Channel, const char*> expected[] = {
      {Channel::kWeb, "web"},     {Channel::kEmail, "email"},   {Channel::kChat, "chat"},
      {Channel::kPhone, "phone"}, {Channel::kSocial, "social"}, {Channel::kSms, "sms"},
      {Channel::kApi, "api"},     {Channel::kSystem, "system"},
  };
  for (const auto& [channel, name] : expected) {
    EXPECT_STREQ(ChannelName(channel), name);
    EXPECT_EQ(ParseChannel(name), channel);
  }
  EXPECT_EQ(ParseChannel("fax"), std::nullopt);
}

TEST(Visibility, StableNamesRoundTrip) {
  EXPECT_STREQ(VisibilityName(Visibility::kPublic), "public");
  EXPECT_STREQ(VisibilityName(Visibility::kInternal), "internal");
  EXPECT_EQ(ParseVisibility("public"), Visibility::kPublic);
  EXPECT_EQ(ParseVisibility("internal"), Visibility::kInternal);
  EXPECT_EQ(ParseVisibility("private"), std::nullopt);
}

TEST(ActorKind, StableNamesRoundTrip) {
  EXPECT_STREQ(ActorKindName(ActorKind::kCustomer), "customer");
  EXPECT_STREQ(ActorKindName(ActorKind::kStaff), "staff");
  EXPECT_STREQ(ActorKindName(ActorKind::kSystem), "system");
  EXPECT_EQ(ParseActorKind("customer"), ActorKind::kCustomer);
  EXPECT_EQ(ParseActorKind("staff"), ActorKind::kStaff);
  EXPECT_EQ(ParseActorKind("system"), ActorKind::kSystem);
  EXPECT_EQ(ParseActorKind("agent"), std::nullopt);
}

}  // namespace
}  // namespace redress::domain
