#include "eventlog/hash_chain.h"

#include <limits>
#include <utility>

#include "core/sha256.h"
#include "core/time_format.h"
#include "eventlog/canonical_json.h"

namespace redress::eventlog {
namespace {

constexpr std::string_view kDomainPrefix = "redress-event-v1\n";
constexpr int64_t kFormatVersion = 1;

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Quoted and cut to a readable length: a damaged hash field may hold anything.
std::string Shown(std::string_view s) {
  constexpr size_t kMax = 80;
  if (s.size() <= kMax) return "'" + std::string(s) + "'";
  return "'" + std::string(s.substr(0, kMax)) + "...' (" + std::to_string(s.size()) +
         " characters)";
}

}  // namespace

boost::json::object CanonicalRecord(const domain::Event& event) {
  boost::json::object actor;
  actor["id"] = event.actor.id;
  actor["kind"] = domain::ActorKindName(event.actor.kind);
  actor["name"] = event.actor.name;

  boost::json::object record;
  record["actor"] = std::move(actor);
  record["at"] = FormatTimestamp(event.at);
  record["case_id"] = event.case_id;
  record["channel"] = domain::ChannelName(event.channel);
  record["data"] = event.data;
  record["prev_hash"] = event.prev_hash;
  record["seq"] = event.seq;
  record["type"] = domain::EventTypeName(event.type);
  record["v"] = kFormatVersion;
  record["visibility"] = domain::VisibilityName(event.visibility);
  return record;
}

namespace {

// CanonicalRecord's members written straight out, in the canonical (sorted) key order,
// without building the object: that copied every event's data once more and sorted the
// keys of the record for every hash. A test checks that both give the same bytes.
Result<void> AppendRecord(const domain::Event& event, std::string& out) {
  auto text = [&out](std::string_view member, std::string_view value, std::string_view field) {
    out += member;
    return AppendCanonicalString(value, field, out);
  };
  auto number = [&out](std::string_view member, int64_t value) {
    out += member;
    out += std::to_string(value);
  };
  number("{\"actor\":{\"id\":", event.actor.id);
  if (auto r = text(",\"kind\":", domain::ActorKindName(event.actor.kind), "actor.kind"); !r)
    return r;
  if (auto r = text(",\"name\":", event.actor.name, "actor.name"); !r) return r;
  if (auto r = text("},\"at\":", FormatTimestamp(event.at), "at"); !r) return r;
  number(",\"case_id\":", event.case_id);
  if (auto r = text(",\"channel\":", domain::ChannelName(event.channel), "channel"); !r) return r;
  out += ",\"data\":";
  if (auto r = AppendCanonicalJson(event.data, "data", out); !r) return r;
  if (auto r = text(",\"prev_hash\":", event.prev_hash, "prev_hash"); !r) return r;
  number(",\"seq\":", event.seq);
  if (auto r = text(",\"type\":", domain::EventTypeName(event.type), "type"); !r) return r;
  number(",\"v\":", kFormatVersion);
  if (auto r = text(",\"visibility\":", domain::VisibilityName(event.visibility), "visibility");
      !r) {
    return r;
  }
  out += '}';
  return {};
}

}  // namespace

Result<std::string> CanonicalBytes(const domain::Event& event) {
  std::string bytes(kDomainPrefix);
  bytes.reserve(512);
  auto r = AppendRecord(event, bytes);
  if (!r) {
    Error error = std::move(r.error());
    error.message = "event seq " + std::to_string(event.seq) + " cannot be encoded: " +
                    error.message;
    return Fail(std::move(error));
  }
  return bytes;
}

Result<std::string> ComputeHash(const domain::Event& event) {
  auto bytes = CanonicalBytes(event);
  if (!bytes) return Fail(std::move(bytes.error()));

  return Sha256Hex(*bytes);
}

Result<std::vector<domain::Event>> Seal(int64_t case_id, int64_t head_seq,
                                        const std::string& head_hash,
                                        std::vector<domain::EventDraft> drafts) {
  if (case_id <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "case id must be positive, got " + std::to_string(case_id), "case_id");
  }
  if (head_seq < 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "head seq must be 0 or more, got " + std::to_string(head_seq), "head_seq");
  }
  if (!IsLowerHex64(head_hash)) {
    return Fail(ErrorCode::kInvalidArgument,
                "head hash must be 64 lowercase hex digits, got " + Shown(head_hash),
                "head_hash");
  }
  // The genesis hash and seq 0 belong together; a mismatch means the caller read the head
  // of some other chain (or none), and sealing would fork this one.
  if ((head_seq == 0) != (head_hash == kGenesisHash)) {
    return Fail(ErrorCode::kInvalidArgument,
                head_seq == 0 ? "head seq 0 (a new chain) needs the genesis hash as head hash"
                              : "head seq " + std::to_string(head_seq) +
                                    " cannot have the genesis hash as head hash",
                "head_hash");
  }
  if (drafts.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "nothing to seal: no event drafts", "drafts");
  }
  if (static_cast<uint64_t>(std::numeric_limits<int64_t>::max() - head_seq) < drafts.size()) {
    return Fail(ErrorCode::kInvalidArgument, "seq would overflow", "head_seq");
  }

  std::vector<domain::Event> events;
  events.reserve(drafts.size());
  std::string prev_hash = head_hash;
  for (size_t i = 0; i < drafts.size(); ++i) {
    domain::EventDraft& draft = drafts[i];
    domain::Event event;
    event.case_id = case_id;
    event.seq = head_seq + static_cast<int64_t>(i) + 1;
    event.type = draft.type;
    event.at = draft.at;
    event.actor = std::move(draft.actor);
    event.channel = draft.channel;
    event.visibility = draft.visibility;
    event.data = std::move(draft.data);
    event.prev_hash = prev_hash;
    auto hash = ComputeHash(event);
    if (!hash) {
      Error error = std::move(hash.error());
      error.field = "drafts[" + std::to_string(i) + "]" +
                    (error.field.empty() ? std::string() : "." + error.field);
      return Fail(std::move(error));
    }
    event.hash = std::move(*hash);
    prev_hash = event.hash;
    events.push_back(std::move(event));
  }
  return events;
}

std::optional<ChainBreak> VerifyChain(std::span<const domain::Event> events) {
  if (events.empty()) return std::nullopt;
  const int64_t case_id = events.front().case_id;
  std::string_view expected_prev = kGenesisHash;

  for (size_t i = 0; i < events.size(); ++i) {
    const domain::Event& event = events[i];
    const int64_t expected_seq = static_cast<int64_t>(i) + 1;
    auto broken = [&](std::string problem) {
      return ChainBreak{case_id, expected_seq, std::move(problem)};
    };

    if (event.case_id != case_id) {
      return broken("event at seq " + std::to_string(expected_seq) + " belongs to case " +
                    std::to_string(event.case_id) + ", not case " + std::to_string(case_id));
    }
    if (event.seq > expected_seq) {
      return broken("seq " + std::to_string(expected_seq) + " missing: found seq " +
                    std::to_string(event.seq) + " in its place");
    }
    if (event.seq < expected_seq) {
      return broken("seq " + std::to_string(event.seq) + " repeated or out of order: found "
                    "where seq " + std::to_string(expected_seq) + " was expected");
    }
    if (!IsLowerHex64(event.prev_hash)) {
      return broken("prev_hash is not 64 lowercase hex digits: " + Shown(event.prev_hash));
    }
    if (!IsLowerHex64(event.hash)) {
      return broken("hash is not 64 lowercase hex digits: " + Shown(event.hash));
    }
    if (event.prev_hash != expected_prev) {
      return broken(i == 0 ? "prev_hash of the first event is " + event.prev_hash +
                                 ", not the genesis hash"
                           : "prev_hash " + event.prev_hash +
                                 " does not match the hash of seq " +
                                 std::to_string(expected_seq - 1) + ", " +
                                 std::string(expected_prev));
    }
    auto computed = ComputeHash(event);
    if (!computed) return broken(computed.error().message);
    if (*computed != event.hash) {
      return broken("hash mismatch: stored " + event.hash + ", computed " + *computed);
    }
    expected_prev = event.hash;
  }
  return std::nullopt;
}

}  // namespace redress::eventlog
