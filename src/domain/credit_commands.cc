#include "domain/credit_commands.h"

#include "domain/command_rules.h"
#include "domain/text_fields.h"

namespace redress::domain {
namespace {

constexpr size_t kMaxCreditReasonChars = 2000;

std::string Amount(int64_t minor, const std::string& currency) {
  return std::to_string(minor) + " " + currency + " minor units";
}

Result<const Credit*> FindPending(const CaseState& state, int64_t id) {
  const Credit* c = state.commitments.FindCredit(id);
  if (c == nullptr) {
    return Fail(ErrorCode::kNotFound, CaseLabel(state) + " has no credit " + std::to_string(id));
  }
  if (c->status != CreditStatus::kPending) {
    return Fail(ErrorCode::kConflict,
                "credit " + std::to_string(id) + " is already " + CreditStatusName(c->status));
  }
  return c;
}

Result<void> RequireApproverLevel(const Principal& actor, const Credit& c, const char* verb) {
  if (actor.level < c.approver_level) {
    return Denied("credit " + std::to_string(c.id) + " waits for level " +
                  std::to_string(c.approver_level) + "; a level " + std::to_string(actor.level) +
                  " agent cannot " + verb + " it");
  }
  return {};
}

}  // namespace

Result<void> CheckCurrency(const std::string& currency) {
  bool ok = currency.size() == 3;
  for (char ch : currency) ok = ok && ch >= 'A' && ch <= 'Z';
  if (!ok) return Invalid("currency", "must be an ISO 4217 code of three upper-case letters");
  return {};
}

Result<std::vector<EventDraft>> RequestCredit(const CaseState& state, const Principal& actor,
                                              const CreditInput& input,
                                              const CreditAuthority& authority, Timestamp now) {
  if (auto ok = RequireStaff(actor, "grant goodwill credit"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  if (input.amount_minor <= 0 || input.amount_minor > kMaxCreditMinor) {
    return Invalid("amount_minor", "must be a positive whole number of minor units, at most " +
                                       std::to_string(kMaxCreditMinor));
  }
  if (auto ok = CheckCurrency(input.currency); !ok) return Fail(ok.error());
  auto reason = CheckShortText("reason", input.reason, kMaxCreditReasonChars, true);
  if (!reason) return Fail(reason.error());
  const int64_t id = static_cast<int64_t>(state.commitments.credits.size()) + 1;

  if (input.amount_minor <= authority.limit_minor) {
    return std::vector<EventDraft>{MakeDraft(EventType::kCreditApproved, actor, now,
                                             {{"credit_id", id},
                                              {"amount_minor", input.amount_minor},
                                              {"currency", input.currency},
                                              {"reason", *reason},
                                              {"approved_by_level", authority.actor_level}})};
  }
  if (authority.approver_level <= authority.actor_level) {
    return Denied(Amount(input.amount_minor, input.currency) +
                  " is above every level's authority limit; no level may approve it");
  }
  return std::vector<EventDraft>{
      MakeDraft(EventType::kCreditRequested, actor, now,
                {{"credit_id", id},
                 {"amount_minor", input.amount_minor},
                 {"currency", input.currency},
                 {"reason", *reason},
                 {"requested_by_level", authority.actor_level},
                 {"limit_minor", authority.limit_minor},
                 {"approver_level", authority.approver_level},
                 {"approver_level_name", authority.approver_level_name}})};
}

Result<std::vector<EventDraft>> ApproveCredit(const CaseState& state, const Principal& actor,
                                              int64_t credit_id, const CreditAuthority& authority,
                                              Timestamp now, const std::string& approval_reason) {
  if (auto ok = RequireStaff(actor, "approve goodwill credit"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto pending = FindPending(state, credit_id);
  if (!pending) return Fail(pending.error());
  const Credit& c = **pending;
  if (auto ok = RequireApproverLevel(actor, c, "approve"); !ok) return Fail(ok.error());
  if (c.amount_minor > authority.limit_minor) {
    return Denied(Amount(c.amount_minor, c.currency) + " is above the approver's limit of " +
                  Amount(authority.limit_minor, c.currency));
  }
  auto note = CheckShortText("reason", approval_reason, kMaxCreditReasonChars, false);
  if (!note) return Fail(note.error());
  boost::json::object data{{"credit_id", credit_id},
                           {"amount_minor", c.amount_minor},
                           {"currency", c.currency},
                           {"reason", c.reason},
                           {"approved_by_level", actor.level}};
  if (!note->empty()) data["approval_reason"] = *note;
  return std::vector<EventDraft>{
      MakeDraft(EventType::kCreditApproved, actor, now, std::move(data))};
}

Result<std::vector<EventDraft>> DenyCredit(const CaseState& state, const Principal& actor,
                                           int64_t credit_id, const std::string& reason,
                                           Timestamp now) {
  if (auto ok = RequireStaff(actor, "deny goodwill credit"); !ok) return Fail(ok.error());
  if (auto ok = RequireNotClosed(state); !ok) return Fail(ok.error());
  auto pending = FindPending(state, credit_id);
  if (!pending) return Fail(pending.error());
  if (auto ok = RequireApproverLevel(actor, **pending, "deny"); !ok) return Fail(ok.error());
  auto trimmed = CheckShortText("reason", reason, kMaxCreditReasonChars, true);
  if (!trimmed) return Fail(trimmed.error());
  return std::vector<EventDraft>{MakeDraft(EventType::kCreditDenied, actor, now,
                                           {{"credit_id", credit_id}, {"reason", *trimmed}})};
}

}  // namespace redress::domain
