// Goodwill credit: an agent may grant up to their level's authority limit at once; above
// it the request is recorded and routed to the lowest level whose limit covers it, which
// approves or denies it on record. Amounts are integer minor units of an ISO 4217
// currency. The limits come from the policy (policy::CreditAuthorityFor): the domain only
// applies them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"

namespace redress::domain {

/// The largest amount we accept at all (10^12 minor units), far above any sane goodwill.
inline constexpr int64_t kMaxCreditMinor = 1'000'000'000'000;

struct CreditInput {
  int64_t amount_minor = 0;
  std::string currency;  // three upper-case letters
  std::string reason;    // required
};

/// What the policy says about one actor and one amount, resolved by the caller.
struct CreditAuthority {
  int actor_level = 1;      // the actor's escalation level
  int64_t limit_minor = 0;  // the actor's limit in this currency; 0 = may not grant any
  /// The lowest level whose limit covers the amount, or 0 if none does.
  int approver_level = 0;
  std::string approver_level_name;
};

/// Within the actor's limit: `credit_approved` (granted at once). Above it:
/// `credit_requested`, routed to authority.approver_level (kPermissionDenied if no level
/// may approve that much). Staff only; both events public.
Result<std::vector<EventDraft>> RequestCredit(const CaseState& state, const Principal& actor,
                                              const CreditInput& input,
                                              const CreditAuthority& authority, Timestamp now);

/// Approves a pending request: the actor must be at or above its approver level and the
/// amount within the actor's limit (`authority` resolved for the pending amount). The
/// approver's own `approval_reason` (optional) is recorded beside the request's `reason`.
Result<std::vector<EventDraft>> ApproveCredit(const CaseState& state, const Principal& actor,
                                              int64_t credit_id, const CreditAuthority& authority,
                                              Timestamp now,
                                              const std::string& approval_reason = "");

/// Denies a pending request, with a reason the customer will read; same level rule.
Result<std::vector<EventDraft>> DenyCredit(const CaseState& state, const Principal& actor,
                                           int64_t credit_id, const std::string& reason,
                                           Timestamp now);

/// Checks an ISO 4217-shaped code: exactly three ASCII upper-case letters.
Result<void> CheckCurrency(const std::string& currency);

}  // namespace redress::domain
