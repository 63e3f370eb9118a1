#include "policy/triggers.h"

#include "core/ascii.h"
#include "core/time_format.h"
#include "domain/commitments.h"
#include "policy/sla_clock.h"

namespace redress::policy {
namespace {

using domain::EscalationTrigger;
using domain::EventType;

std::string Ordinal(int64_t n) {
  const int64_t tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

class Candidates {
 public:
  Candidates(const domain::CaseState& c, const EscalationPolicy& policy)
      : c_(c), policy_(policy), ladder_(policy.LadderFor(c.category)) {}

  // to_level 0 means the next level.
  void Add(EscalationTrigger trigger, int to_level, std::string reason) {
    const int target = to_level == 0 ? c_.level + 1 : to_level;
    if (target <= c_.level || target > static_cast<int>(ladder_.levels.size())) return;
    if (best_ && best_->to_level >= target) return;
    best_ =
        EscalationDecision{trigger, target, &policy_.LevelAt(ladder_, target), std::move(reason)};
  }

  std::optional<EscalationDecision> Best() const { return best_; }

 private:
  const domain::CaseState& c_;
  const EscalationPolicy& policy_;
  const Ladder& ladder_;
  std::optional<EscalationDecision> best_;
};

std::string_view Text(const boost::json::object& data, std::string_view key) {
  const boost::json::value* v = data.if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

void Keywords(Candidates& out, const EscalationPolicy& policy, std::string_view text) {
  const std::string lower = AsciiLower(text);
  for (const KeywordRule& rule : policy.triggers().keywords) {
    if (lower.find(rule.phrase) != std::string::npos) {
      out.Add(EscalationTrigger::kKeyword, rule.to_level,
              "Your message mentions \"" + rule.phrase + "\", which this company escalates");
    }
  }
}

void SocialPost(Candidates& out, const EscalationPolicy& policy, const domain::Event& e) {
  if (!policy.triggers().social_media || e.channel != domain::Channel::kSocial) return;
  const boost::json::value* flag = e.data.if_contains("public");
  if (flag != nullptr && flag->is_bool() && flag->get_bool()) {
    out.Add(EscalationTrigger::kSocialMedia, 0, "You raised this in a public post");
  }
}

}  // namespace

std::optional<EscalationDecision> EvaluateEvent(const domain::CaseState& after,
                                                const domain::Event& event,
                                                const EscalationPolicy& policy,
                                                const CaseContext& context) {
  if (after.status == domain::CaseStatus::kClosed) return std::nullopt;
  const TriggerSettings& settings = policy.triggers();
  Candidates out(after, policy);
  switch (event.type) {
    case EventType::kCaseOpened:
      for (const ValueTierRule& rule : settings.value_tiers) {
        if (!context.customer_tier.empty() && rule.tier == context.customer_tier) {
          out.Add(EscalationTrigger::kValueTier, rule.min_level,
                  "Customers of the " + rule.tier + " tier are served from this level");
        }
      }
      Keywords(
          out, policy,
          std::string(Text(event.data, "subject")) + "\n" + std::string(Text(event.data, "body")));
      SocialPost(out, policy, event);
      break;
    case EventType::kMessageReceived: {
      if (!domain::CountsAsContact(event)) break;  // machine mail triggers nothing
      const int64_t n = settings.repeat_contact;
      if (n > 0 && after.commitments.contacts_at_level == n) {
        out.Add(EscalationTrigger::kRepeatContact, 0,
                "This is your " + Ordinal(n) + " contact about this case at " +
                    policy.LevelFor(after).name);
      }
      Keywords(out, policy, Text(event.data, "body"));
      SocialPost(out, policy, event);
      break;
    }
    case EventType::kPromiseBroken:
      if (settings.broken_promise) {
        const boost::json::value* id = event.data.if_contains("promise_id");
        const domain::Promise* p = id != nullptr && id->is_int64()
                                       ? after.commitments.FindPromise(id->get_int64())
                                       : nullptr;
        out.Add(EscalationTrigger::kBrokenPromise, 0,
                p != nullptr ? "The promise \"" + p->what + "\" due " + FormatTimestamp(p->due_at) +
                                   " was not kept"
                             : std::string("A promise made to you was not kept"));
      }
      break;
    case EventType::kDecisionAppealed:
      if (settings.appeal) out.Add(EscalationTrigger::kAppeal, 0, "You appealed the decision");
      break;
    case EventType::kSlaBreached: {
      const auto clock = domain::ParseSlaClock(Text(event.data, "clock"));
      if (clock && settings.sla_breach[static_cast<size_t>(*clock)]) {
        out.Add(EscalationTrigger::kSlaBreach, 0,
                std::string("The ") + domain::SlaClockName(*clock) + " deadline " +
                    std::string(Text(event.data, "due_at")) + " was missed");
      }
      break;
    }
    default:
      break;
  }
  return out.Best();
}

CustomerEscalationWindow CustomerEscalation(const domain::CaseState& c,
                                            const EscalationPolicy& policy, Timestamp now) {
  CustomerEscalationWindow w;
  w.next_level = policy.NextLevelFor(c);
  if (c.status == domain::CaseStatus::kClosed) {
    w.why_not = "The case is closed";
    return w;
  }
  if (!policy.triggers().customer_request) {
    w.why_not = "Escalation on request is not offered; the case escalates automatically";
    return w;
  }
  if (w.next_level == nullptr) {
    w.why_not = "The case is at the highest level; the external routes remain open to you";
    return w;
  }
  const auto& decision = c.commitments.latest_decision;
  if (decision && decision->level == c.level && decision->at >= c.commitments.level_entered_at) {
    w.allowed_now = true;
    return w;
  }
  const std::optional<Timestamp> due = LevelResponseDue(c, policy, now);
  if (due && *due <= now) {
    w.allowed_now = true;
    return w;
  }
  w.allowed_from = due;
  // The time itself is allowed_from: a reader shows it in the viewer's time zone.
  w.why_not = due ? "You can escalate once " + policy.LevelFor(c).name +
                        "'s response time has passed, or as soon as it gives a decision"
                  : std::string("The clock is paused while the case waits for your reply");
  return w;
}

Result<EscalationDecision> DecideCustomerRequest(const domain::CaseState& c,
                                                 const EscalationPolicy& policy,
                                                 const std::string& reason, Timestamp now) {
  const CustomerEscalationWindow w = CustomerEscalation(c, policy, now);
  if (!w.allowed_now) {
    return Fail(ErrorCode::kConflict,
                "case " + std::to_string(c.id) + " cannot be escalated yet: " + w.why_not +
                    (w.allowed_from ? " (from " + FormatTimestamp(*w.allowed_from) + ")" : ""));
  }
  return EscalationDecision{EscalationTrigger::kCustomerRequest, c.level + 1, w.next_level, reason};
}

Result<EscalationDecision> DecideManual(const domain::CaseState& c, const EscalationPolicy& policy,
                                        const std::string& reason, int to_level) {
  const Ladder& ladder = policy.LadderFor(c.category);
  const int target = to_level == 0 ? c.level + 1 : to_level;
  if (target <= c.level || target > static_cast<int>(ladder.levels.size())) {
    return Fail(ErrorCode::kConflict, "case " + std::to_string(c.id) + " is at level " +
                                          std::to_string(c.level) + " of " +
                                          std::to_string(ladder.levels.size()) +
                                          "; it cannot go to level " + std::to_string(target));
  }
  return EscalationDecision{EscalationTrigger::kManual, target, &policy.LevelAt(ladder, target),
                            reason};
}

}  // namespace redress::policy
