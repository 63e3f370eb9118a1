#include "eventlog/hash_chain.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <cctype>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "eventlog/canonical_json.h"

namespace redress::eventlog {
namespace {

using domain::Actor;
using domain::ActorKind;
using domain::Channel;
using domain::Event;
using domain::EventDraft;
using domain::EventType;
using domain::Visibility;

constexpr int64_t kCaseId = 1042;

Timestamp At(int64_t micros) { return Timestamp(std::chrono::microseconds(micros)); }

// 2026-11-23T09:05:00.123456Z
constexpr int64_t kOpenedAtMicros = 1795424700123456;

EventDraft OpeningDraft() {
  EventDraft d;
  d.type = EventType::kCaseOpened;
  d.at = At(kOpenedAtMicros);
  d.actor = Actor{ActorKind::kCustomer, 3, "Asha Rao"};
  d.channel = Channel::kWeb;
  d.visibility = Visibility::kPublic;
  d.data["subject"] = "Return rejected";
  d.data["body"] = "Rejected \"for technical reasons\".\nWhy? \xE2\x80\x94 caf\xC3\xA9";
  d.data["priority"] = "high";
  d.data["customer_id"] = 3;
  return d;
}

EventDraft NoteDraft() {
  EventDraft d;
  d.type = EventType::kInternalNote;
  d.at = At(kOpenedAtMicros - 123456 + 90'000'000);  // 2026-11-23T09:06:30.000000Z
  d.actor = Actor{ActorKind::kStaff, 7, "Priya (L1)"};
  d.channel = Channel::kSystem;
  d.visibility = Visibility::kInternal;
  d.data["body"] = "Checked the courier log.\tNo pickup scan.";
  return d;
}

// A draft whose content depends on i, so that every event of a long chain differs.
EventDraft VariedDraft(int i) {
  EventDraft d;
  switch (i % 4) {
    case 0:
      d.type = EventType::kMessageReceived;
      d.actor = Actor{ActorKind::kCustomer, 3, "Asha Rao"};
      d.channel = Channel::kEmail;
      break;
    case 1:
      d.type = EventType::kReplySent;
      d.actor = Actor{ActorKind::kStaff, 7, "Priya (L1)"};
      d.channel = Channel::kEmail;
      break;
    case 2:
      d.type = EventType::kInternalNote;
      d.actor = Actor{ActorKind::kStaff, 7, "Priya (L1)"};
      d.visibility = Visibility::kInternal;
      break;
    default:
      d.type = EventType::kStatusChanged;
      d.actor = Actor{ActorKind::kSystem, 0, "Redress"};
      d.channel = Channel::kSystem;
      d.data["from"] = "open";
      d.data["to"] = "pending";
      break;
  }
  d.at = At(kOpenedAtMicros + int64_t{i} * 1'000'000);
  if (d.type != EventType::kStatusChanged) d.data["body"] = "message " + std::to_string(i);
  return d;
}

// A sealed chain of n events: a case_opened followed by varied events.
std::vector<Event> MakeChain(int n, int64_t case_id = kCaseId) {
  std::vector<EventDraft> drafts;
  if (n > 0) drafts.push_back(OpeningDraft());
  for (int i = 1; i < n; ++i) drafts.push_back(VariedDraft(i));
  auto sealed = Seal(case_id, 0, std::string(kGenesisHash), std::move(drafts));
  EXPECT_TRUE(sealed.has_value()) << (sealed ? "" : sealed.error().message);
  return sealed ? std::move(*sealed) : std::vector<Event>();
}

std::string HashOf(const Event& e) {
  auto h = ComputeHash(e);
  EXPECT_TRUE(h.has_value()) << (h ? "" : h.error().message);
  return h ? *h : std::string();
}

void ExpectBreak(const std::vector<Event>& chain, int64_t seq, const std::string& problem) {
  auto broken = VerifyChain(chain);
  ASSERT_TRUE(broken.has_value()) << "chain verified but should not";
  EXPECT_EQ(broken->case_id, kCaseId);
  EXPECT_EQ(broken->seq, seq);
  EXPECT_EQ(broken->problem, problem);
}

// --- Golden values -------------------------------------------------------------------------
//
// Computed independently of this code with python3 (the canonical JSON claim in
// canonical_json.h); anyone can redo them:
//
//   python3 -c 'import hashlib,json; r={"actor":{"id":3,"kind":"customer","name":"Asha Rao"},
//     "at":"2026-11-23T09:05:00.123456Z","case_id":1042,"channel":"web","data":{"subject":
//     "Return rejected","body":"Rejected \"for technical reasons\".\nWhy? \u2014 caf\u00e9",
//     "priority":"high","customer_id":3},"prev_hash":"0"*64,"seq":1,"type":"case_opened",
//     "v":1,"visibility":"public"}; b=b"redress-event-v1\n"+json.dumps(r,sort_keys=True,
//     separators=(",",":"),ensure_ascii=False).encode(); print(hashlib.sha256(b).hexdigest())'
//
// and for the second event the same with
//   r={"actor":{"id":7,"kind":"staff","name":"Priya (L1)"},"at":"2026-11-23T09:06:30.000000Z",
//     "case_id":1042,"channel":"system","data":{"body":"Checked the courier log.\tNo pickup
//     scan."},"prev_hash":"<first hash>","seq":2,"type":"internal_note","v":1,
//     "visibility":"internal"}
constexpr std::string_view kFirstHash =
    "dba0901c3b53056c26b9138f5442366cd44a4f0abd5bfff51dca21ee3e5e4d83";
constexpr std::string_view kSecondHash =
    "f146cb407d6812b46256c15e9a8aabd8f28189d5f50bf86a284ff3dd75d4c644";

// The event a draft becomes at (case_id, seq) after prev_hash, not yet hashed.
Event Unsealed(const EventDraft& d, int64_t case_id, int64_t seq, std::string prev_hash) {
  Event e;
  e.case_id = case_id;
  e.seq = seq;
  e.type = d.type;
  e.at = d.at;
  e.actor = d.actor;
  e.channel = d.channel;
  e.visibility = d.visibility;
  e.data = d.data;
  e.prev_hash = std::move(prev_hash);
  return e;
}

Event GoldenEvent() { return Unsealed(OpeningDraft(), kCaseId, 1, std::string(kGenesisHash)); }

TEST(HashChainTest, GoldenCanonicalBytes) {
  auto bytes = CanonicalBytes(GoldenEvent());
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_EQ(*bytes,
            "redress-event-v1\n"
            "{\"actor\":{\"id\":3,\"kind\":\"customer\",\"name\":\"Asha Rao\"},"
            "\"at\":\"2026-11-23T09:05:00.123456Z\",\"case_id\":1042,\"channel\":\"web\","
            "\"data\":{\"body\":\"Rejected \\\"for technical reasons\\\".\\nWhy? \xE2\x80\x94 "
            "caf\xC3\xA9\",\"customer_id\":3,\"priority\":\"high\","
            "\"subject\":\"Return rejected\"},"
            "\"prev_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
            "\"seq\":1,\"type\":\"case_opened\",\"v\":1,\"visibility\":\"public\"}");
}

TEST(HashChainTest, GoldenHash) {
  EXPECT_EQ(HashOf(GoldenEvent()), kFirstHash);
}

TEST(HashChainTest, SealProducesTheGoldenChain) {
  auto sealed = Seal(kCaseId, 0, std::string(kGenesisHash), {OpeningDraft(), NoteDraft()});
  ASSERT_TRUE(sealed.has_value()) << sealed.error().message;
  ASSERT_EQ(sealed->size(), 2u);
  EXPECT_EQ((*sealed)[0].hash, kFirstHash);
  EXPECT_EQ((*sealed)[1].prev_hash, kFirstHash);
  EXPECT_EQ((*sealed)[1].hash, kSecondHash);
}

// --- The record ----------------------------------------------------------------------------

TEST(HashChainTest, CanonicalRecordHasExactlyTheDocumentedKeys) {
  Event e = GoldenEvent();
  e.hash = std::string(kFirstHash);  // never part of the record
  boost::json::object record = CanonicalRecord(e);
  std::vector<std::string> keys;
  for (const auto& kv : record) keys.emplace_back(kv.key());
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"actor", "at", "case_id", "channel", "data",
                                            "prev_hash", "seq", "type", "v", "visibility"}));
  EXPECT_EQ(record.at("v").as_int64(), 1);
  EXPECT_EQ(record.at("actor").as_object().size(), 3u);
}

TEST(HashChainTest, EveryFieldIsCovered) {
  const Event base = GoldenEvent();
  const std::string base_hash = HashOf(base);
  std::vector<std::pair<const char*, Event>> edits;
  auto edit = [&](const char* name, auto change) {
    Event e = base;
    change(e);
    edits.emplace_back(name, std::move(e));
  };
  edit("case_id", [](Event& e) { e.case_id = 1043; });
  edit("seq", [](Event& e) { e.seq = 2; });
  edit("type", [](Event& e) { e.type = EventType::kMessageReceived; });
  edit("at", [](Event& e) { e.at += std::chrono::microseconds(1); });
  edit("actor.kind", [](Event& e) { e.actor.kind = ActorKind::kStaff; });
  edit("actor.id", [](Event& e) { e.actor.id = 4; });
  edit("actor.name", [](Event& e) { e.actor.name = "Asha  Rao"; });
  edit("channel", [](Event& e) { e.channel = Channel::kEmail; });
  edit("visibility", [](Event& e) { e.visibility = Visibility::kInternal; });
  edit("data", [](Event& e) { e.data["priority"] = "low"; });
  edit("data added key", [](Event& e) { e.data["extra"] = nullptr; });
  edit("prev_hash", [](Event& e) { e.prev_hash[63] = '1'; });
  for (const auto& [name, e] : edits) {
    EXPECT_NE(HashOf(e), base_hash) << "changing " << name << " did not change the hash";
  }
  Event only_hash_changed = base;
  only_hash_changed.hash = "whatever";
  EXPECT_EQ(HashOf(only_hash_changed), base_hash);
}

TEST(HashChainTest, ComputeHashRefusesFloatingPointData) {
  Event e = GoldenEvent();
  e.data["refund"] = boost::json::object{{"amount", 12.5}};
  auto h = ComputeHash(e);
  ASSERT_FALSE(h.has_value());
  EXPECT_EQ(h.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(h.error().field, "data.refund.amount");
  EXPECT_NE(h.error().message.find("floating-point"), std::string::npos) << h.error().message;
}

TEST(HashChainTest, CanonicalBytesAreTheCanonicalJsonOfTheRecord) {
  // CanonicalBytes writes the record's members itself, in sorted order; it must give the
  // bytes of the documented definition for every kind of value, or old chains break.
  std::vector<Event> events;
  for (int i = 0; i < 12; ++i) {
    events.push_back(Unsealed(VariedDraft(i), kCaseId + i, i + 1,
                              std::string(64, static_cast<char>('a' + i % 6))));
  }
  Event odd = GoldenEvent();
  odd.actor = Actor{ActorKind::kSystem, -5, "Tab\there \"quoted\" \x01 caf\xC3\xA9 \\"};
  odd.data = boost::json::object{
      {"nested",
       boost::json::object{{"z", 1}, {"a", boost::json::array{true, nullptr, -7, "x\ny"}}}},
      {"", "empty key"},
      {"\xC3\xA9", "after ascii"},
      {"A", 18446744073709551615ull}};
  events.push_back(odd);
  events.push_back(GoldenEvent());
  for (const Event& e : events) {
    auto direct = CanonicalBytes(e);
    ASSERT_TRUE(direct) << direct.error().message;
    auto json = CanonicalJson(CanonicalRecord(e));
    ASSERT_TRUE(json) << json.error().message;
    EXPECT_EQ(*direct, "redress-event-v1\n" + *json);
  }
}

TEST(HashChainTest, AnUnencodableActorNameIsNamed) {
  Event e = GoldenEvent();
  e.actor.name = "bad \xFF byte";
  auto h = ComputeHash(e);
  ASSERT_FALSE(h.has_value());
  EXPECT_EQ(h.error().field, "actor.name");
  EXPECT_NE(h.error().message.find("UTF-8"), std::string::npos) << h.error().message;
}

// --- Seal ----------------------------------------------------------------------------------

TEST(HashChainTest, SealStartsANewChain) {
  auto sealed = Seal(7, 0, std::string(kGenesisHash), {OpeningDraft(), NoteDraft()});
  ASSERT_TRUE(sealed.has_value()) << sealed.error().message;
  ASSERT_EQ(sealed->size(), 2u);
  const Event& first = (*sealed)[0];
  EXPECT_EQ(first.case_id, 7);
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kGenesisHash);
  EXPECT_EQ(first.actor.name, "Asha Rao");
  EXPECT_EQ(first.data.at("subject").as_string(), "Return rejected");
  EXPECT_EQ(first.hash, HashOf(first));
  EXPECT_EQ((*sealed)[1].seq, 2);
  EXPECT_EQ((*sealed)[1].visibility, Visibility::kInternal);
  EXPECT_EQ((*sealed)[1].prev_hash, first.hash);
}

TEST(HashChainTest, SealingInBatchesEqualsSealingAtOnce) {
  std::vector<Event> at_once = MakeChain(6);
  ASSERT_EQ(at_once.size(), 6u);

  std::vector<EventDraft> first_batch{OpeningDraft(), VariedDraft(1), VariedDraft(2)};
  auto head = Seal(kCaseId, 0, std::string(kGenesisHash), std::move(first_batch));
  ASSERT_TRUE(head.has_value()) << head.error().message;
  std::vector<EventDraft> second_batch{VariedDraft(3), VariedDraft(4), VariedDraft(5)};
  auto tail = Seal(kCaseId, 3, head->back().hash, std::move(second_batch));
  ASSERT_TRUE(tail.has_value()) << tail.error().message;
  EXPECT_EQ((*tail)[0].seq, 4);

  std::vector<Event> in_batches = std::move(*head);
  in_batches.insert(in_batches.end(), tail->begin(), tail->end());
  EXPECT_EQ(in_batches, at_once);
  EXPECT_FALSE(VerifyChain(in_batches).has_value());
}

void ExpectSealRefused(int64_t case_id, int64_t head_seq, const std::string& head_hash,
                       std::vector<EventDraft> drafts, const std::string& field,
                       const std::string& message_part) {
  auto sealed = Seal(case_id, head_seq, head_hash, std::move(drafts));
  ASSERT_FALSE(sealed.has_value());
  EXPECT_EQ(sealed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(sealed.error().field, field);
  EXPECT_NE(sealed.error().message.find(message_part), std::string::npos)
      << sealed.error().message;
}

TEST(HashChainTest, SealRefusesBadHead) {
  const std::string genesis(kGenesisHash);
  const std::string some_hash(kFirstHash);
  ExpectSealRefused(kCaseId, -1, genesis, {NoteDraft()}, "head_seq", "got -1");
  ExpectSealRefused(kCaseId, 1, "abc", {NoteDraft()}, "head_hash", "64 lowercase hex");
  std::string upper = some_hash;
  upper[0] = 'D';
  ExpectSealRefused(kCaseId, 1, upper, {NoteDraft()}, "head_hash", "64 lowercase hex");
  std::string not_hex = some_hash;
  not_hex[5] = 'g';
  ExpectSealRefused(kCaseId, 1, not_hex, {NoteDraft()}, "head_hash", "64 lowercase hex");
  ExpectSealRefused(kCaseId, 0, some_hash, {NoteDraft()}, "head_hash", "genesis");
  ExpectSealRefused(kCaseId, 3, genesis, {NoteDraft()}, "head_hash", "genesis");
}

TEST(HashChainTest, SealRefusesNoDraftsAndBadCaseId) {
  const std::string genesis(kGenesisHash);
  ExpectSealRefused(kCaseId, 0, genesis, {}, "drafts", "no event drafts");
  ExpectSealRefused(0, 0, genesis, {OpeningDraft()}, "case_id", "positive");
  ExpectSealRefused(-5, 0, genesis, {OpeningDraft()}, "case_id", "positive");
}

TEST(HashChainTest, SealRefusesUnencodableDraftAndNamesIt) {
  EventDraft bad = NoteDraft();
  bad.data["goodwill"] = boost::json::object{{"amount", 9.99}};
  ExpectSealRefused(kCaseId, 0, std::string(kGenesisHash), {OpeningDraft(), bad},
                    "drafts[1].data.goodwill.amount", "event seq 2 cannot be encoded");
}

// --- Intact chains -------------------------------------------------------------------------

TEST(HashChainTest, EmptyChainIsIntact) {
  EXPECT_FALSE(VerifyChain(std::vector<Event>()).has_value());
}

TEST(HashChainTest, IntactChainOfOne) {
  std::vector<Event> chain = MakeChain(1);
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_FALSE(VerifyChain(chain).has_value());
}

TEST(HashChainTest, IntactChainOfThousand) {
  std::vector<Event> chain = MakeChain(1000);
  ASSERT_EQ(chain.size(), 1000u);
  EXPECT_EQ(chain.back().seq, 1000);
  EXPECT_FALSE(VerifyChain(chain).has_value());
}

// --- Damage: one test per way a chain can be damaged -----------------------------------------

TEST(HashChainDamageTest, EditedPayload) {
  std::vector<Event> chain = MakeChain(5);
  chain[2].data["body"] = "we never said that";
  ExpectBreak(chain, 3, "hash mismatch: stored " + chain[2].hash + ", computed " +
                            HashOf(chain[2]));
}

TEST(HashChainDamageTest, EditedActorName) {
  std::vector<Event> chain = MakeChain(5);
  chain[1].actor.name = "Someone Else";
  ExpectBreak(chain, 2, "hash mismatch: stored " + chain[1].hash + ", computed " +
                            HashOf(chain[1]));
}

TEST(HashChainDamageTest, EditedTimestamp) {
  std::vector<Event> chain = MakeChain(5);
  chain[3].at -= std::chrono::hours(48);  // make a late reply look on time
  ExpectBreak(chain, 4, "hash mismatch: stored " + chain[3].hash + ", computed " +
                            HashOf(chain[3]));
}

TEST(HashChainDamageTest, EditedVisibilityInternalToPublic) {
  std::vector<Event> chain = MakeChain(5);
  ASSERT_EQ(chain[2].visibility, Visibility::kInternal);
  chain[2].visibility = Visibility::kPublic;
  ExpectBreak(chain, 3, "hash mismatch: stored " + chain[2].hash + ", computed " +
                            HashOf(chain[2]));
}

TEST(HashChainDamageTest, DroppedMiddleEvent) {
  std::vector<Event> chain = MakeChain(5);
  chain.erase(chain.begin() + 2);
  ExpectBreak(chain, 3, "seq 3 missing: found seq 4 in its place");
}

TEST(HashChainDamageTest, DroppedFirstEvent) {
  std::vector<Event> chain = MakeChain(5);
  chain.erase(chain.begin());
  ExpectBreak(chain, 1, "seq 1 missing: found seq 2 in its place");
}

TEST(HashChainDamageTest, DroppedFirstEventAndRenumbered) {
  // Renumbering alone does not help: seq is hashed, and the new first event does not link
  // to the genesis hash.
  std::vector<Event> chain = MakeChain(5);
  chain.erase(chain.begin());
  for (Event& e : chain) --e.seq;
  ExpectBreak(chain, 1, "prev_hash of the first event is " + chain[0].prev_hash +
                            ", not the genesis hash");
}

TEST(HashChainDamageTest, ReorderedEvents) {
  std::vector<Event> chain = MakeChain(5);
  std::swap(chain[1], chain[2]);
  ExpectBreak(chain, 2, "seq 2 missing: found seq 3 in its place");
}

TEST(HashChainDamageTest, ReorderedTimestampsOnly) {
  // Swapping two events' times keeps the seqs in order; both hashes stop matching and the
  // first one is reported.
  std::vector<Event> chain = MakeChain(5);
  std::swap(chain[1].at, chain[2].at);
  ExpectBreak(chain, 2, "hash mismatch: stored " + chain[1].hash + ", computed " +
                            HashOf(chain[1]));
}

TEST(HashChainDamageTest, DuplicatedEvent) {
  std::vector<Event> chain = MakeChain(5);
  chain.insert(chain.begin() + 3, chain[2]);
  ExpectBreak(chain, 4, "seq 3 repeated or out of order: found where seq 4 was expected");
}

TEST(HashChainDamageTest, TruncatedTailStillVerifies) {
  // A prefix of a chain is a valid chain: VerifyChain cannot know events are missing at the
  // end. The store keeps each case's head (last seq and hash), and comparing the verified
  // chain's last hash with it is what detects the truncation.
  std::vector<Event> chain = MakeChain(5);
  const std::string stored_head_hash = chain.back().hash;
  chain.resize(3);
  EXPECT_FALSE(VerifyChain(chain).has_value());
  EXPECT_NE(chain.back().hash, stored_head_hash);
}

TEST(HashChainDamageTest, InsertedForgedEventWithRecomputedHash) {
  // The forger builds a perfect event 3 linked to event 2 and renumbers the rest; the old
  // event 3 (now seq 4) still points at the real event 2, so the next link breaks.
  std::vector<Event> chain = MakeChain(5);
  Event forged = chain[2];
  forged.data["body"] = "customer agreed to withdraw the complaint";
  forged.hash = HashOf(forged);
  chain.insert(chain.begin() + 2, forged);
  for (size_t i = 3; i < chain.size(); ++i) ++chain[i].seq;
  ExpectBreak(chain, 4, "prev_hash " + chain[3].prev_hash + " does not match the hash of seq 3, " +
                            forged.hash);
}

TEST(HashChainDamageTest, EditedEventWithRecomputedHash) {
  std::vector<Event> chain = MakeChain(5);
  chain[1].data["body"] = "edited";
  chain[1].hash = HashOf(chain[1]);
  ExpectBreak(chain, 3, "prev_hash " + chain[2].prev_hash + " does not match the hash of seq 2, " +
                            chain[1].hash);
}

TEST(HashChainDamageTest, RewrittenTailVerifiesButHeadHashDiffers) {
  // The documented limit: whoever rewrites every event from the edit onwards produces a
  // chain that verifies. Only a head hash kept elsewhere (a signed export, the customer's
  // copy) exposes it.
  std::vector<Event> chain = MakeChain(5);
  const std::string head_hash_given_out = chain.back().hash;
  chain[2].data["body"] = "rewritten";
  for (size_t i = 2; i < chain.size(); ++i) {
    chain[i].prev_hash = chain[i - 1].hash;
    chain[i].hash = HashOf(chain[i]);
  }
  EXPECT_FALSE(VerifyChain(chain).has_value());
  EXPECT_NE(chain.back().hash, head_hash_given_out);
}

TEST(HashChainDamageTest, WrongCaseId) {
  std::vector<Event> chain = MakeChain(5);
  chain[3].case_id = 99;
  ExpectBreak(chain, 4, "event at seq 4 belongs to case 99, not case 1042");
}

TEST(HashChainDamageTest, EventFromAnotherCaseSpliced) {
  // Same seq, valid hash of its own, but from another case's chain.
  std::vector<Event> chain = MakeChain(5);
  std::vector<Event> other = MakeChain(5, 77);
  chain[2] = other[2];
  ExpectBreak(chain, 3, "event at seq 3 belongs to case 77, not case 1042");
}

TEST(HashChainDamageTest, BadHexInHash) {
  std::vector<Event> chain = MakeChain(5);
  for (char& c : chain[1].hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ExpectBreak(chain, 2, "hash is not 64 lowercase hex digits: '" + chain[1].hash + "'");
}

TEST(HashChainDamageTest, TruncatedHash) {
  std::vector<Event> chain = MakeChain(5);
  chain[4].hash.resize(40);
  ExpectBreak(chain, 5, "hash is not 64 lowercase hex digits: '" + chain[4].hash + "'");
}

TEST(HashChainDamageTest, BadHexInPrevHash) {
  std::vector<Event> chain = MakeChain(5);
  chain[2].prev_hash[10] = 'z';
  ExpectBreak(chain, 3, "prev_hash is not 64 lowercase hex digits: '" + chain[2].prev_hash + "'");
}

TEST(HashChainDamageTest, OversizedHashIsShownShortened) {
  std::vector<Event> chain = MakeChain(2);
  chain[1].hash = std::string(500, 'a');
  ExpectBreak(chain, 2, "hash is not 64 lowercase hex digits: '" + std::string(80, 'a') +
                            "...' (500 characters)");
}

TEST(HashChainDamageTest, PayloadMadeUnencodable) {
  std::vector<Event> chain = MakeChain(3);
  chain[1].data["amount"] = 1.5;
  auto broken = VerifyChain(chain);
  ASSERT_TRUE(broken.has_value());
  EXPECT_EQ(broken->seq, 2);
  EXPECT_EQ(broken->problem,
            "event seq 2 cannot be encoded: floating-point number at 'data.amount' is not "
            "allowed (amounts are integer minor units)");
}

}  // namespace
}  // namespace redress::eventlog
