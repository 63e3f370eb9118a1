// Test support: an in-memory stand-in for the store side of threading, with the same
// bookkeeping the real ingest must do (which messages belong to which case, who takes
// part, which cases are open and about what). The lead's store-backed ThreadLookup should
// answer the same questions from the tables.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "channels/email/subject.h"
#include "channels/email/threading.h"
#include "core/ascii.h"

namespace redress::email::testing {

class MemoryThreadLookup : public ThreadLookup {
 public:
  std::optional<int64_t> CaseByMessageId(std::string_view id) const override {
    auto it = any_message_.find(std::string(id));
    return it == any_message_.end() ? std::nullopt : std::optional<int64_t>(it->second);
  }
  std::optional<int64_t> CaseByInboundMessageId(std::string_view id) const override {
    auto it = inbound_.find(std::string(id));
    return it == inbound_.end() ? std::nullopt : std::optional<int64_t>(it->second);
  }
  bool IsParticipant(int64_t case_id, std::string_view email) const override {
    auto it = participants_.find(case_id);
    return it != participants_.end() && it->second.contains(AsciiLower(email));
  }
  std::vector<int64_t> OpenCasesBySenderSubject(std::string_view email,
                                                std::string_view subject) const override {
    std::vector<int64_t> out;
    for (auto it = cases_.rbegin(); it != cases_.rend(); ++it) {
      if (it->open && it->customer == email && it->subject == subject) out.push_back(it->id);
    }
    return out;
  }

  /// Threads `message` and records it the way the ingest would; returns the decision with
  /// the case filled in (a new case gets the next id).
  ThreadDecision Ingest(const ParsedMessage& message, const ThreadingConfig& config) {
    ThreadDecision decision = MatchThread(message, config, *this);
    if (!decision.case_id) {
      decision.case_id = static_cast<int64_t>(cases_.size()) + 1;
      cases_.push_back(Case{*decision.case_id, decision.sender, decision.normalized_subject, true});
    }
    int64_t case_id = *decision.case_id;
    if (!message.message_id.empty()) {
      inbound_.emplace(message.message_id, case_id);
      any_message_.emplace(message.message_id, case_id);
    }
    // Referenced ids too, so that replies to a parent we never saw find each other.
    for (const auto* ids : {&message.in_reply_to, &message.references}) {
      for (const std::string& id : *ids) any_message_.emplace(id, case_id);
    }
    AddParticipants(case_id, message);
    return decision;
  }

  /// Records an outbound message of ours on `case_id`.
  void RecordOutbound(int64_t case_id, const ParsedMessage& message) {
    any_message_.emplace(message.message_id, case_id);
    AddParticipants(case_id, message);
  }

  void Close(int64_t case_id) { cases_.at(static_cast<size_t>(case_id - 1)).open = false; }

 private:
  struct Case {
    int64_t id;
    std::string customer;
    std::string subject;
    bool open;
  };
  void AddParticipants(int64_t case_id, const ParsedMessage& message) {
    for (const auto* list : {&message.from, &message.to, &message.cc}) {
      for (const Mailbox& mailbox : *list)
        participants_[case_id].insert(AsciiLower(mailbox.address));
    }
  }

  std::vector<Case> cases_;
  std::map<std::string, int64_t> any_message_;
  std::map<std::string, int64_t> inbound_;
  std::map<int64_t, std::set<std::string>> participants_;
};

}  // namespace redress::email::testing
