#include "domain/case_commands.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

using namespace std::chrono_literals;

const Timestamp kNow = Timestamp{} + 1'800'000'000s;
const Principal kAsha{Role::kCustomer, 3, "Asha Rao", 0};
const Principal kRavi{Role::kCustomer, 4, "Ravi", 0};
const Principal kPriya{Role::kAgent, 7, "Priya (L1)", 1};
const Principal kMeera{Role::kSupervisor, 8, "Meera", 2};
const Principal kAdmin{Role::kAdmin, 1, "Admin", 1};

CaseState CaseIn(CaseStatus status) {
  CaseState s;
  s.id = 12;
  s.customer_id = 3;
  s.subject = "Return rejected";
  s.status = status;
  s.priority = Priority::kNormal;
  s.category = "returns";
  s.last_seq = 4;
  return s;
}

CaseState OwnedBy(int64_t owner_id, std::string name) {
  CaseState s = CaseIn(CaseStatus::kOpen);
  s.owner_id = owner_id;
  s.owner_name = std::move(name);
  return s;
}

template <class T>
void ExpectError(const Result<T>& r, ErrorCode code, std::string_view needle,
                 std::string_view field = {}) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(ErrorCodeName(r.error().code), std::string(ErrorCodeName(code)));
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << r.error().message << " (wanted \"" << needle << "\")";
  EXPECT_EQ(r.error().field, field);
}

OpenCaseInput Input() {
  OpenCaseInput in;
  in.customer_id = 3;
  in.subject = "  Return rejected for technical reasons ";
  in.body = "\nThe store refused my return.\n";
  in.channel = Channel::kEmail;
  in.priority = Priority::kHigh;
  in.category = " returns ";
  return in;
}

// --- ActorFor ---

TEST(ActorFor, MapsRolesToActorKinds) {
  EXPECT_EQ(ActorFor(kAsha), (Actor{ActorKind::kCustomer, 3, "Asha Rao"}));
  EXPECT_EQ(ActorFor(kPriya), (Actor{ActorKind::kStaff, 7, "Priya (L1)"}));
  EXPECT_EQ(ActorFor(kMeera).kind, ActorKind::kStaff);
  EXPECT_EQ(ActorFor(kAdmin).kind, ActorKind::kStaff);
  EXPECT_EQ(ActorFor(Principal::System()), (Actor{ActorKind::kSystem, 0, "Redress"}));
}

// --- OpenCase ---

TEST(OpenCase, StaffOpensForAnyCustomerWithExactPayload) {
  auto draft = OpenCase(kPriya, Input(), kNow);
  ASSERT_TRUE(draft.has_value()) << draft.error().message;
  EXPECT_EQ(draft->type, EventType::kCaseOpened);
  EXPECT_EQ(draft->at, kNow);
  EXPECT_EQ(draft->actor, ActorFor(kPriya));
  EXPECT_EQ(draft->channel, Channel::kEmail);
  EXPECT_EQ(draft->visibility, Visibility::kPublic);
  const boost::json::object expected{{"customer_id", 3},
                                     {"subject", "Return rejected for technical reasons"},
                                     {"body", "\nThe store refused my return.\n"},
                                     {"priority", "high"},
                                     {"category", "returns"}};
  EXPECT_EQ(draft->data, expected);
}

TEST(OpenCase, CustomerOnlyForThemselves) {
  EXPECT_TRUE(OpenCase(kAsha, Input(), kNow).has_value());
  ExpectError(OpenCase(kRavi, Input(), kNow), ErrorCode::kPermissionDenied,
              "a customer can open cases only for themselves");
}

TEST(OpenCase, SystemMayNotOpenCases) {
  ExpectError(OpenCase(Principal::System(), Input(), kNow), ErrorCode::kPermissionDenied,
              "only customers and staff");
}

TEST(OpenCase, CustomerIdMustBePositive) {
  OpenCaseInput in = Input();
  in.customer_id = 0;
  ExpectError(OpenCase(kPriya, in, kNow), ErrorCode::kInvalidArgument,
              "customer_id:", "customer_id");
}

TEST(OpenCase, SubjectRules) {
  OpenCaseInput in = Input();
  in.subject = " \t ";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "subject: must not be empty",
              "subject");

  in.subject.clear();
  for (int i = 0; i < 300; ++i) in.subject += "\xC3\xA9";  // 300 characters, 600 bytes
  EXPECT_TRUE(OpenCase(kAsha, in, kNow).has_value());
  in.subject += "x";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "at most 300 characters",
              "subject");

  in.subject = "Return\x07 rejected";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "control characters",
              "subject");
  in.subject = "bad \xC0\xAF";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "UTF-8", "subject");
}

TEST(OpenCase, BodyRules) {
  OpenCaseInput in = Input();
  in.body = "  \n ";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "body: must not be empty",
              "body");
  in.body = std::string(kMaxBodyBytes, 'b');
  EXPECT_TRUE(OpenCase(kAsha, in, kNow).has_value());
  in.body += "b";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "at most 262144 bytes",
              "body");
  in.body = "truncated \xE2\x82";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "not valid UTF-8", "body");
}

TEST(OpenCase, CategoryAndChannelRules) {
  OpenCaseInput in = Input();
  in.category = std::string(100, 'c');
  EXPECT_TRUE(OpenCase(kAsha, in, kNow).has_value());
  in.category += "c";
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "at most 100", "category");
  in.category = "";
  auto uncategorised = OpenCase(kAsha, in, kNow);
  ASSERT_TRUE(uncategorised.has_value());
  EXPECT_EQ(uncategorised->data.at("category"), "");

  in = Input();
  in.channel = Channel::kSystem;
  ExpectError(OpenCase(kAsha, in, kNow), ErrorCode::kInvalidArgument, "system", "channel");
}

// --- AddMessage ---

TEST(AddMessage, CustomerMessageOnNewCaseIsOneEvent) {
  auto events = AddMessage(CaseIn(CaseStatus::kNew), kAsha, "Any news?", Channel::kChat, kNow);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  const EventDraft& e = (*events)[0];
  EXPECT_EQ(e.type, EventType::kMessageReceived);
  EXPECT_EQ(e.at, kNow);
  EXPECT_EQ(e.actor, ActorFor(kAsha));
  EXPECT_EQ(e.channel, Channel::kChat);
  EXPECT_EQ(e.visibility, Visibility::kPublic);
  EXPECT_EQ(e.data, (boost::json::object{{"body", "Any news?"}}));
}

TEST(AddMessage, CustomerMessageReopensPendingAndSolved) {
  for (CaseStatus status : {CaseStatus::kPending, CaseStatus::kSolved}) {
    auto events = AddMessage(CaseIn(status), kAsha, "Still broken", Channel::kEmail, kNow);
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 2u) << CaseStatusName(status);
    EXPECT_EQ((*events)[0].type, EventType::kMessageReceived);
    const EventDraft& change = (*events)[1];
    EXPECT_EQ(change.type, EventType::kStatusChanged);
    EXPECT_EQ(change.actor, ActorFor(kAsha));
    EXPECT_EQ(change.at, kNow);
    EXPECT_EQ(change.visibility, Visibility::kPublic);
    const boost::json::object expected{
        {"from", CaseStatusName(status)}, {"to", "open"}, {"reason", "customer replied"}};
    EXPECT_EQ(change.data, expected);
  }
}

TEST(AddMessage, CustomerMessageLeavesOtherStatusesAlone) {
  for (CaseStatus status : {CaseStatus::kNew, CaseStatus::kOpen, CaseStatus::kOnHold}) {
    auto events = AddMessage(CaseIn(status), kAsha, "hello", Channel::kWeb, kNow);
    ASSERT_TRUE(events.has_value());
    EXPECT_EQ(events->size(), 1u) << CaseStatusName(status);
  }
}

TEST(AddMessage, StaffReplyOnNewCaseOpensIt) {
  auto events = AddMessage(CaseIn(CaseStatus::kNew), kPriya, "On it", Channel::kEmail, kNow);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, EventType::kReplySent);
  EXPECT_EQ((*events)[0].actor, ActorFor(kPriya));
  EXPECT_EQ((*events)[0].visibility, Visibility::kPublic);
  EXPECT_EQ((*events)[0].data, (boost::json::object{{"body", "On it"}}));
  EXPECT_EQ((*events)[1].type, EventType::kStatusChanged);
  EXPECT_EQ((*events)[1].actor, ActorFor(kPriya));
  EXPECT_EQ((*events)[1].data,
            (boost::json::object{{"from", "new"}, {"to", "open"}, {"reason", "first reply"}}));
}

TEST(AddMessage, StaffReplyOtherwiseKeepsStatus) {
  for (CaseStatus status :
       {CaseStatus::kOpen, CaseStatus::kPending, CaseStatus::kOnHold, CaseStatus::kSolved}) {
    auto events = AddMessage(CaseIn(status), kMeera, "Update", Channel::kWeb, kNow);
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 1u) << CaseStatusName(status);
    EXPECT_EQ((*events)[0].type, EventType::kReplySent);
  }
}

TEST(AddMessage, ClosedCaseAcceptsNothing) {
  ExpectError(AddMessage(CaseIn(CaseStatus::kClosed), kAsha, "hi", Channel::kWeb, kNow),
              ErrorCode::kConflict, "case 12 is closed");
  ExpectError(AddMessage(CaseIn(CaseStatus::kClosed), kPriya, "hi", Channel::kWeb, kNow),
              ErrorCode::kConflict, "case 12 is closed");
}

TEST(AddMessage, AnotherCustomersCaseIsNotFound) {
  ExpectError(AddMessage(CaseIn(CaseStatus::kOpen), kRavi, "hi", Channel::kWeb, kNow),
              ErrorCode::kNotFound, "no case 12");
}

TEST(AddMessage, SystemCannotSendMessages) {
  ExpectError(AddMessage(CaseIn(CaseStatus::kOpen), Principal::System(), "hi", Channel::kWeb, kNow),
              ErrorCode::kPermissionDenied, "only customers and staff");
}

TEST(AddMessage, BodyAndChannelAreValidated) {
  ExpectError(AddMessage(CaseIn(CaseStatus::kOpen), kAsha, " ", Channel::kWeb, kNow),
              ErrorCode::kInvalidArgument, "body: must not be empty", "body");
  ExpectError(AddMessage(CaseIn(CaseStatus::kOpen), kAsha, "\xFF", Channel::kWeb, kNow),
              ErrorCode::kInvalidArgument, "UTF-8", "body");
  ExpectError(AddMessage(CaseIn(CaseStatus::kOpen), kPriya, "hi", Channel::kSystem, kNow),
              ErrorCode::kInvalidArgument, "system", "channel");
}

// --- AddNote ---

TEST(AddNote, StaffNoteIsInternal) {
  auto events = AddNote(CaseIn(CaseStatus::kOpen), kPriya, "Courier says Tuesday", kNow);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  const EventDraft& e = (*events)[0];
  EXPECT_EQ(e.type, EventType::kInternalNote);
  EXPECT_EQ(e.visibility, Visibility::kInternal);
  EXPECT_EQ(e.actor, ActorFor(kPriya));
  EXPECT_EQ(e.at, kNow);
  EXPECT_EQ(e.data, (boost::json::object{{"body", "Courier says Tuesday"}}));
}

TEST(AddNote, OnlyStaff) {
  ExpectError(AddNote(CaseIn(CaseStatus::kOpen), kAsha, "note", kNow), ErrorCode::kPermissionDenied,
              "only staff can add internal notes");
  ExpectError(AddNote(CaseIn(CaseStatus::kOpen), Principal::System(), "note", kNow),
              ErrorCode::kPermissionDenied, "only staff can add internal notes");
}

TEST(AddNote, ClosedAndEmptyAreRefused) {
  ExpectError(AddNote(CaseIn(CaseStatus::kClosed), kPriya, "note", kNow), ErrorCode::kConflict,
              "case 12 is closed");
  ExpectError(AddNote(CaseIn(CaseStatus::kOpen), kPriya, "", kNow), ErrorCode::kInvalidArgument,
              "body", "body");
}

// --- Assign ---

TEST(Assign, TakingAnUnownedCaseNeedsNoReason) {
  auto events = Assign(CaseIn(CaseStatus::kNew), kPriya, {7, "Priya (L1)", "", ""}, kNow);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  const EventDraft& e = (*events)[0];
  EXPECT_EQ(e.type, EventType::kAssigned);
  EXPECT_EQ(e.visibility, Visibility::kPublic);
  EXPECT_EQ(e.actor, ActorFor(kPriya));
  boost::json::object expected{
      {"owner_id", 7}, {"owner_name", "Priya (L1)"}, {"reason", ""}, {"handoff_note", ""}};
  expected["previous_owner_id"] = nullptr;
  EXPECT_EQ(e.data, expected);
}

TEST(Assign, TransferNeedsReasonAndHandoffNote) {
  const CaseState owned = OwnedBy(7, "Priya (L1)");
  ExpectError(Assign(owned, kMeera, {9, "Kabir (L2)", " ", "notes"}, kNow),
              ErrorCode::kInvalidArgument,
              "reason: moving case 12 from Priya (L1) to Kabir (L2) is a transfer and needs a "
              "reason",
              "reason");
  ExpectError(Assign(owned, kMeera, {9, "Kabir (L2)", "needs L2", "\n"}, kNow),
              ErrorCode::kInvalidArgument, "needs a hand-off note", "handoff_note");

  auto events = Assign(owned, kMeera, {9, "Kabir (L2)", " needs L2 ", "Customer called 3x."}, kNow);
  ASSERT_TRUE(events.has_value()) << events.error().message;
  const boost::json::object expected{{"owner_id", 9},
                                     {"owner_name", "Kabir (L2)"},
                                     {"previous_owner_id", 7},
                                     {"reason", "needs L2"},
                                     {"handoff_note", "Customer called 3x."}};
  EXPECT_EQ((*events)[0].data, expected);
}

TEST(Assign, SameOwnerIsAConflict) {
  ExpectError(Assign(OwnedBy(7, "Priya (L1)"), kPriya, {7, "Priya (L1)", "r", "h"}, kNow),
              ErrorCode::kConflict, "case 12 is already owned by Priya (L1) (user 7)");
}

TEST(Assign, OnlyStaffAndNotOnClosedCases) {
  ExpectError(Assign(CaseIn(CaseStatus::kNew), kAsha, {7, "Priya", "", ""}, kNow),
              ErrorCode::kPermissionDenied, "only staff can assign cases");
  ExpectError(Assign(CaseIn(CaseStatus::kClosed), kPriya, {7, "Priya", "", ""}, kNow),
              ErrorCode::kConflict, "case 12 is closed");
}

TEST(Assign, InputRules) {
  const CaseState s = CaseIn(CaseStatus::kNew);
  ExpectError(Assign(s, kPriya, {0, "Priya", "", ""}, kNow), ErrorCode::kInvalidArgument,
              "owner_id", "owner_id");
  ExpectError(Assign(s, kPriya, {7, "", "", ""}, kNow), ErrorCode::kInvalidArgument, "owner_name",
              "owner_name");
  ExpectError(Assign(s, kPriya, {7, "Priya", std::string(2001, 'r'), ""}, kNow),
              ErrorCode::kInvalidArgument, "at most 2000 characters", "reason");
  EXPECT_TRUE(Assign(s, kPriya, {7, "Priya", std::string(2000, 'r'), ""}, kNow).has_value());
  ExpectError(Assign(s, kPriya, {7, "Priya", "", std::string(kMaxBodyBytes + 1, 'h')}, kNow),
              ErrorCode::kInvalidArgument, "bytes", "handoff_note");
}

// --- ChangeStatus ---

TEST(ChangeStatus, RecordsFromToAndTrimmedReason) {
  auto events = ChangeStatus(CaseIn(CaseStatus::kOpen), kPriya, CaseStatus::kOnHold,
                             "  waiting for the warehouse ", kNow);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, EventType::kStatusChanged);
  EXPECT_EQ((*events)[0].visibility, Visibility::kPublic);
  EXPECT_EQ((*events)[0].data,
            (boost::json::object{
                {"from", "open"}, {"to", "on_hold"}, {"reason", "waiting for the warehouse"}}));
}

TEST(ChangeStatus, SameStatusIsAConflict) {
  ExpectError(ChangeStatus(CaseIn(CaseStatus::kOpen), kPriya, CaseStatus::kOpen, "", kNow),
              ErrorCode::kConflict, "case 12 is already open");
  ExpectError(ChangeStatus(CaseIn(CaseStatus::kNew), kPriya, CaseStatus::kNew, "", kNow),
              ErrorCode::kConflict, "case 12 is already new");
}

TEST(ChangeStatus, NothingMovesBackToNew) {
  ExpectError(ChangeStatus(CaseIn(CaseStatus::kSolved), kPriya, CaseStatus::kNew, "", kNow),
              ErrorCode::kInvalidArgument, "cannot move back to new", "status");
}

TEST(ChangeStatus, ClosedIsFinalButAnythingElseMayClose) {
  for (CaseStatus from : {CaseStatus::kNew, CaseStatus::kOpen, CaseStatus::kPending,
                          CaseStatus::kOnHold, CaseStatus::kSolved}) {
    EXPECT_TRUE(ChangeStatus(CaseIn(from), kPriya, CaseStatus::kClosed, "", kNow).has_value())
        << CaseStatusName(from);
  }
  ExpectError(ChangeStatus(CaseIn(CaseStatus::kClosed), kAdmin, CaseStatus::kOpen, "", kNow),
              ErrorCode::kConflict, "case 12 is closed");
}

TEST(ChangeStatus, StaffOnlyAndReasonLimit) {
  ExpectError(ChangeStatus(CaseIn(CaseStatus::kOpen), kAsha, CaseStatus::kSolved, "", kNow),
              ErrorCode::kPermissionDenied, "only staff");
  ExpectError(ChangeStatus(CaseIn(CaseStatus::kOpen), kPriya, CaseStatus::kSolved,
                           std::string(2001, 'r'), kNow),
              ErrorCode::kInvalidArgument, "reason", "reason");
}

// --- ChangePriority / ChangeCategory ---

TEST(ChangePriority, RecordsFromTo) {
  auto events = ChangePriority(CaseIn(CaseStatus::kOpen), kPriya, Priority::kUrgent, kNow);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, EventType::kPriorityChanged);
  EXPECT_EQ((*events)[0].data, (boost::json::object{{"from", "normal"}, {"to", "urgent"}}));
}

TEST(ChangePriority, Refusals) {
  ExpectError(ChangePriority(CaseIn(CaseStatus::kOpen), kPriya, Priority::kNormal, kNow),
              ErrorCode::kConflict, "case 12 already has priority normal");
  ExpectError(ChangePriority(CaseIn(CaseStatus::kOpen), kAsha, Priority::kUrgent, kNow),
              ErrorCode::kPermissionDenied, "only staff");
  ExpectError(ChangePriority(CaseIn(CaseStatus::kClosed), kPriya, Priority::kUrgent, kNow),
              ErrorCode::kConflict, "case 12 is closed");
}

TEST(ChangeCategory, RecordsTrimmedFromTo) {
  auto events = ChangeCategory(CaseIn(CaseStatus::kOpen), kPriya, " refunds ", kNow);
  ASSERT_TRUE(events.has_value());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, EventType::kCategoryChanged);
  EXPECT_EQ((*events)[0].data, (boost::json::object{{"from", "returns"}, {"to", "refunds"}}));

  auto cleared = ChangeCategory(CaseIn(CaseStatus::kOpen), kPriya, "", kNow);
  ASSERT_TRUE(cleared.has_value());
  EXPECT_EQ((*cleared)[0].data, (boost::json::object{{"from", "returns"}, {"to", ""}}));
}

TEST(ChangeCategory, Refusals) {
  ExpectError(ChangeCategory(CaseIn(CaseStatus::kOpen), kPriya, " returns", kNow),
              ErrorCode::kConflict, "case 12 is already in category \"returns\"");
  CaseState uncategorised = CaseIn(CaseStatus::kOpen);
  uncategorised.category.clear();
  ExpectError(ChangeCategory(uncategorised, kPriya, "  ", kNow), ErrorCode::kConflict,
              "already uncategorised");
  ExpectError(ChangeCategory(CaseIn(CaseStatus::kOpen), kPriya, std::string(101, 'c'), kNow),
              ErrorCode::kInvalidArgument, "at most 100", "category");
  ExpectError(ChangeCategory(CaseIn(CaseStatus::kOpen), kAsha, "x", kNow),
              ErrorCode::kPermissionDenied, "only staff");
  ExpectError(ChangeCategory(CaseIn(CaseStatus::kClosed), kPriya, "x", kNow), ErrorCode::kConflict,
              "case 12 is closed");
}

}  // namespace
}  // namespace redress::domain
