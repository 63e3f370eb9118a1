// Each case's events form a hash chain: event n carries the SHA-256 of event n-1
// (prev_hash) and its own SHA-256 over its canonical encoding, which includes prev_hash.
// Changing, dropping, reordering or inserting any event breaks every later link, so an
// export of the chain proves the record was not edited afterwards. Format and the
// verification algorithm: docs/event_log_format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.h"
#include "domain/event.h"

namespace redress::eventlog {

/// prev_hash of every case's first event.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical record of an event (every field except `hash`) as a JSON object:
/// {"actor":{"id":..,"kind":..,"name":..},"at":"..","case_id":..,"channel":"..",
///  "data":{..},"prev_hash":"..","seq":..,"type":"..","v":1,"visibility":".."}
boost::json::object CanonicalRecord(const domain::Event& event);

/// The bytes that are hashed: "redress-event-v1\n" followed by the canonical JSON of
/// CanonicalRecord(event).
Result<std::string> CanonicalBytes(const domain::Event& event);

/// Lowercase hex SHA-256 of CanonicalBytes(event). kInvalidArgument if `data` holds a
/// floating-point number or a string that is not valid UTF-8.
Result<std::string> ComputeHash(const domain::Event& event);

/// Turns drafts into events that continue a chain whose last event is (head_seq,
/// head_hash); head_seq 0 with kGenesisHash starts a new chain. Fills case_id, seq,
/// prev_hash and hash. kInvalidArgument, sealing nothing, when case_id <= 0, head_seq < 0,
/// head_hash is not 64 lowercase hex digits, head_seq 0 and kGenesisHash do not go
/// together, drafts is empty, or a draft's data cannot be encoded (field "drafts[i].data..").
Result<std::vector<domain::Event>> Seal(int64_t case_id, int64_t head_seq,
                                        const std::string& head_hash,
                                        std::vector<domain::EventDraft> drafts);

/// Where and how a chain is broken.
struct ChainBreak {
  int64_t case_id = 0;
  // The seq at which the chain stops verifying: every event before it is intact. For a
  // missing, repeated or misplaced event it is the seq that was expected at that position.
  int64_t seq = 0;
  std::string problem;  // e.g. "hash mismatch: stored 3f.., computed 9a.." or "seq 4 missing"
};

/// Checks a complete chain from seq 1: consecutive seqs, one case id, prev_hash links,
/// every hash recomputed. Returns the first break, or nullopt when the chain is intact
/// (an empty chain is intact). A chain cut short at the tail is a valid prefix and
/// verifies: compare the last hash with the head hash the store keeps for the case.
std::optional<ChainBreak> VerifyChain(std::span<const domain::Event> events);

}  // namespace redress::eventlog
