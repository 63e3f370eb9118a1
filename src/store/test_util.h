// Helpers for the store tests of every backend: a temporary directory for real database
// files, and hand-made events and projection rows (the store never checks hashes, so a
// recognisable fake hash per (case, seq) is enough to test that links are kept).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/customer.h"
#include "domain/event.h"
#include "eventlog/hash_chain.h"
#include "store/store.h"

namespace redress::store::testutil {

/// A fresh directory under /tmp, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/redress-store-test-XXXXXX";
    const char* made = mkdtemp(pattern.data());
    if (made == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline Timestamp T(int64_t seconds) {
  return Timestamp(std::chrono::seconds(1'800'000'000 + seconds));
}

/// 64 hex characters that encode (case_id, seq), so a wrong link shows which event it is.
inline std::string FakeHash(int64_t case_id, int64_t seq) {
  char buffer[65];
  std::snprintf(buffer, sizeof buffer, "%032" PRIx64 "%032" PRIx64, static_cast<uint64_t>(case_id),
                static_cast<uint64_t>(seq));
  return buffer;
}

/// The next event of a case whose head is (head_seq, head_hash), with a payload that
/// exercises nesting, strings with escapes, integers, booleans and null.
inline domain::Event NextEvent(int64_t case_id, int64_t head_seq, const std::string& head_hash,
                               domain::EventType type = domain::EventType::kMessageReceived,
                               domain::Visibility visibility = domain::Visibility::kPublic) {
  domain::Event e;
  e.case_id = case_id;
  e.seq = head_seq + 1;
  e.type = type;
  e.at = T(case_id * 1000 + e.seq) + std::chrono::microseconds(123);
  e.actor = domain::Actor{domain::ActorKind::kStaff, 7, "Meera \"M\" Iyer"};
  e.channel = domain::Channel::kEmail;
  e.visibility = visibility;
  e.data = boost::json::object{
      {"body", "event " + std::to_string(e.seq) + " of case " + std::to_string(case_id) +
                   "\nwith ünïcode and \t tabs"},
      {"amount_minor", -123456789012LL},
      {"flags", boost::json::array{true, false, nullptr, "x"}},
      {"nested", boost::json::object{{"deep", boost::json::object{{"n", e.seq}}}}},
  };
  e.prev_hash = head_hash;
  e.hash = FakeHash(case_id, e.seq);
  return e;
}

/// The projection row after opening case `case_id` with one event.
inline domain::CaseState OpenedState(int64_t case_id, int64_t customer_id,
                                     const domain::Event& first) {
  domain::CaseState s;
  s.id = case_id;
  s.customer_id = customer_id;
  s.subject = "Refund for order " + std::to_string(case_id);
  s.status = domain::CaseStatus::kNew;
  s.priority = domain::Priority::kNormal;
  s.channel = domain::Channel::kEmail;
  s.opened_at = first.at;
  s.updated_at = first.at;
  s.last_customer_message_at = first.at;
  s.customer_messages = 1;
  s.last_seq = first.seq;
  s.head_hash = first.hash;
  return s;
}

/// Inside a write: opens a new case for `customer_id` with one case_opened event, letting
/// `adjust` set projection fields (status, owner, level, ...). Returns the new state.
template <class Adjust>
Result<domain::CaseState> OpenTestCase(WriteTx& tx, int64_t customer_id, Adjust adjust,
                                       std::vector<domain::Event>* events_out = nullptr) {
  auto id = tx.NextCaseId();
  if (!id) return Fail(id.error());
  std::vector<domain::Event> events{
      NextEvent(*id, 0, std::string(eventlog::kGenesisHash), domain::EventType::kCaseOpened)};
  domain::CaseState after = OpenedState(*id, customer_id, events.front());
  adjust(after);
  if (auto appended = tx.AppendEvents(std::nullopt, events, after); !appended) {
    return Fail(appended.error());
  }
  if (events_out != nullptr) *events_out = events;
  return after;
}

inline Result<domain::CaseState> OpenTestCase(WriteTx& tx, int64_t customer_id) {
  return OpenTestCase(tx, customer_id, [](domain::CaseState&) {});
}

/// Inside a write: appends events of the given visibilities to the case in `before`.
inline Result<domain::CaseState> AppendTestEvents(
    WriteTx& tx, const domain::CaseState& before, const std::vector<domain::Visibility>& kinds,
    std::vector<domain::Event>* events_out = nullptr) {
  std::vector<domain::Event> events;
  domain::CaseState after = before;
  for (domain::Visibility visibility : kinds) {
    const domain::EventType type = visibility == domain::Visibility::kInternal
                                       ? domain::EventType::kInternalNote
                                       : domain::EventType::kReplySent;
    events.push_back(NextEvent(before.id, after.last_seq, after.head_hash, type, visibility));
    after.last_seq = events.back().seq;
    after.head_hash = events.back().hash;
    after.updated_at = events.back().at;
    if (visibility == domain::Visibility::kInternal) {
      ++after.internal_notes;
    } else {
      ++after.staff_replies;
    }
  }
  if (auto appended = tx.AppendEvents(before, events, after); !appended) {
    return Fail(appended.error());
  }
  if (events_out != nullptr) *events_out = events;
  return after;
}

inline domain::Customer MakeCustomer(const std::string& name, const std::string& email) {
  domain::Customer c;
  c.name = name;
  c.identities.push_back(domain::Identity{domain::IdentityKind::kEmail, email, true});
  c.created_at = T(1);
  return c;
}

/// Inserts a customer in its own write and returns its id (0 after a failed assertion).
inline int64_t AddCustomer(Store& store, const std::string& name, const std::string& email) {
  domain::Customer customer = MakeCustomer(name, email);
  auto written = store.Write([&](WriteTx& tx) { return tx.InsertCustomer(customer); });
  EXPECT_TRUE(written) << written.error().message;
  return customer.id;
}

}  // namespace redress::store::testutil
