// Which case an inbound email belongs to: a pure decision over the parsed message, the
// company's own addresses and a read-only lookup of what the store already knows. The
// caller (the lead's mail ingest) performs the lookups against the store, then appends the
// message to the chosen case or opens a new one, and records every TokenMismatch as a
// `thread_token_mismatch` event.
//
// Order of the rules (the first that matches decides):
//   1. same message    its Message-ID was already stored as an inbound message (the same
//                      mail sent to two of our mailboxes, or CC'd to both): same case
//   2. token           a valid signed token anywhere: plus address in To/Cc/Delivered-To,
//                      or our Message-ID in In-Reply-To/References
//   3. subject tag     "[Redress #N]", only if the sender is a participant of case N
//                      (other help desks attach strangers who quote a ticket number)
//   4. references      In-Reply-To/References name a message of a case, or an id that a
//                      message of a case referenced (two replies to a parent we never saw
//                      belong together); or this message's own id was referenced by a
//                      case (the parent arriving after its reply)
//   5. sender+subject  the sender has an open case whose normalised subject is the same
//   6. otherwise a new case
// A forged or altered token never attaches anything; it is reported, and the later rules
// still apply, which is how a reply whose token an agent edited still finds its case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/email/mime_message.h"
#include "channels/email/thread_token.h"

namespace redress::email {

/// What the threader needs to know from the store. Implemented by the lead over the store;
/// tests use an in-memory one. Addresses are passed normalised (lowercase).
class ThreadLookup {
 public:
  virtual ~ThreadLookup() = default;
  /// The case of any message (inbound or outbound) with this Message-ID (no angle
  /// brackets), or else of a message whose In-Reply-To/References named this id. The
  /// store must therefore keep the referenced ids of every message it stores.
  virtual std::optional<int64_t> CaseByMessageId(std::string_view message_id) const = 0;
  /// The case of an inbound message already stored with this Message-ID.
  virtual std::optional<int64_t> CaseByInboundMessageId(std::string_view message_id) const = 0;
  /// Whether `email` is the customer of, or was a sender or recipient on, case `case_id`.
  virtual bool IsParticipant(int64_t case_id, std::string_view email) const = 0;
  /// Open (not closed) cases whose customer has address `email` and whose normalised
  /// subject (NormalizeSubject) equals `normalized_subject`, most recently active first.
  virtual std::vector<int64_t> OpenCasesBySenderSubject(
      std::string_view email, std::string_view normalized_subject) const = 0;
};

struct ThreadingConfig {
  const ThreadTokenSigner* signer = nullptr;  // required
  /// The company's mailboxes ("support@acme.example"), any case; their domains are the
  /// domains of our Message-IDs.
  std::vector<std::string> own_addresses;
};

enum class MatchRule { kNewCase, kSameMessage, kToken, kSubjectTag, kReferences, kSenderSubject };

const char* MatchRuleName(MatchRule rule);  // "new_case", "same_message", "token", ...

enum class MismatchKind {
  kSignatureMismatch,  // a well-formed token whose signature is wrong (edited or forged)
  kMalformed,          // something not a token in a token's place ("support+zzz@")
  kRemoved,            // a reply to our mail arrived without the token our mail carried
  kOtherCase,          // a valid token or tag for a different case than the one chosen
  kUntrustedTag        // "[Redress #N]" from someone who is not a participant of case N
};

const char* MismatchKindName(MismatchKind kind);  // "signature_mismatch", ...

struct TokenMismatch {
  MismatchKind kind = MismatchKind::kMalformed;
  std::string location;                 // "to", "cc", "delivered-to", "in-reply-to", "references",
                                        // "subject", or "headers" (all thread headers missing)
  std::string found;                    // the token, address or tag as found (empty for kRemoved)
  std::optional<int64_t> claimed_case;  // the case the altered token or tag named, if any
};

struct ThreadDecision {
  std::optional<int64_t> case_id;  // nullopt: open a new case
  MatchRule rule = MatchRule::kNewCase;
  std::string sender;  // normalised From address ("" if unusable)
  std::string normalized_subject;
  std::vector<TokenMismatch> mismatches;
};

ThreadDecision MatchThread(const ParsedMessage& message, const ThreadingConfig& config,
                           const ThreadLookup& lookup);

}  // namespace redress::email
