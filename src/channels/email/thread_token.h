// Signed case tokens: what lets a reply find its case even when the customer's mail client,
// a forwarding rule or an agent has mangled the headers (seed story 001: a help desk whose
// agents edited the string after the '+' in the reply-to address, silently cutting every
// later reply off from its history).
//
// Token format: "c<case id>-<mac>", e.g. "c1234-mfrggzdfmztwq2lk". The mac is the first 10
// bytes (80 bits) of HMAC-SHA-512-256 (libsodium crypto_auth) under a server key over
// "redress/thread/v1:<case id>", in RFC 4648 base32 with lowercase letters. Why:
//   * lowercase base32 with digits only, because mail systems lower-case local parts and
//     some upper-case them; the token survives both and the check ignores case;
//   * the case id in clear so that a token whose signature was altered still says which
//     case it claimed (for the thread_token_mismatch event), while only the key holder can
//     produce a valid one; 80 bits make online guessing hopeless;
//   * '-' and '.' are the only separators: both are legal in a dot-atom local part.
//
// Where tokens go on outbound mail:
//   Reply-To   support+c1234-<mac>@acme.example   (plus address on the company mailbox)
//   Message-ID <rd.c1234-<mac>.<unique>@acme.example>
//   Subject    "... [Redress #1234]"  (unsigned: a claim, trusted only from participants)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace redress::email {

inline constexpr size_t kThreadKeyBytes = 32;
inline constexpr std::string_view kMessageIdMarker = "rd.";

enum class TokenStatus {
  kAbsent,  // no token where one could be (no '+', no marker)
  kValid,   // well-formed and signed by us: `case_id` is the case
  kAltered  // a token was there but is not ours as it stands (see `problem`)
};

enum class TokenProblem {
  kNone,
  kSignatureMismatch,  // well-formed "c<id>-<mac>", but the mac is wrong for that case id
  kMalformed           // something is in the token's place that is not a token at all
};

const char* TokenProblemName(TokenProblem problem);  // "signature_mismatch", "malformed"

struct TokenCheck {
  TokenStatus status = TokenStatus::kAbsent;
  TokenProblem problem = TokenProblem::kNone;
  std::optional<int64_t> case_id;  // valid case, or the case an altered token claims
  std::string token;               // the token text as found (lowercased), empty if absent
};

class ThreadTokenSigner {
 public:
  /// `key` must be kThreadKeyBytes of secret random bytes (kInvalidArgument otherwise).
  /// The same key must be used by every server of an installation, and kept: tokens
  /// signed with a lost key can no longer be verified (threading then falls back to
  /// References and the sender/subject rule).
  static Result<ThreadTokenSigner> Create(std::string_view key);

  /// A fresh random key for a new installation.
  static std::string GenerateKey();

  /// "c1234-mfrggzdfmztwq2lk"
  std::string Token(int64_t case_id) const;
  /// "support+c1234-...@acme.example" from "support@acme.example".
  std::string ReplyAddress(std::string_view mailbox, int64_t case_id) const;
  /// "rd.c1234-<mac>.<unique>@<domain>" (no angle brackets). `unique` must differ for every
  /// message (the outbound builder uses random bytes); it must not contain '@' or '.'.
  std::string MessageId(int64_t case_id, std::string_view unique, std::string_view domain) const;

  /// Checks a bare token ("c1234-..."); case-insensitive.
  TokenCheck Verify(std::string_view token) const;

  /// Checks the plus part of `address` if its base ("support@acme.example") is one of
  /// `own_addresses` (compared case-insensitively); kAbsent for other addresses and for
  /// our own address without '+'.
  TokenCheck CheckPlusAddress(std::string_view address,
                              const std::vector<std::string>& own_addresses) const;

  /// Checks a Message-ID (without angle brackets) whose local part starts with
  /// kMessageIdMarker and whose domain is one of `own_domains`; kAbsent for any other id.
  TokenCheck CheckMessageId(std::string_view message_id,
                            const std::vector<std::string>& own_domains) const;

 private:
  explicit ThreadTokenSigner(std::string key) : key_(std::move(key)) {}
  std::string Mac(int64_t case_id) const;

  std::string key_;
};

/// "[Redress #1234]"
std::string SubjectTag(int64_t case_id);

/// The case number of a "[Redress #1234]" tag anywhere in `subject` (case-insensitive,
/// spaces optional), or nullopt.
std::optional<int64_t> FindSubjectTag(std::string_view subject);

}  // namespace redress::email
