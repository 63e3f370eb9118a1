// The escalation actions on a case (docs/api.md, "Escalation"): escalate (a customer's
// request once the policy allows it, or a staff member's manual step), promises, decisions
// and appeals, goodwill credit and its approval, transfers with a hand-off note. Each is
// one durable write through CaseService, so the escalation reactor sees what it appended
// (an appeal escalates in the same write) and the reply carries the case's new view.
#include <boost/json/array.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/escalation_routing.h"
#include "app/services.h"
#include "core/time_format.h"
#include "domain/attachment.h"
#include "domain/credit_commands.h"
#include "domain/decision_commands.h"
#include "domain/escalation_commands.h"
#include "domain/promise_commands.h"
#include "http/api/api_util.h"
#include "http/api/case_action.h"
#include "http/api/routes.h"
#include "http/json_body.h"
#include "policy/routing.h"
#include "policy/triggers.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

constexpr size_t kMaxReasonChars = 2000;
constexpr size_t kMaxEvidenceItems = 20;

Result<std::string> RequireText(const json::object& body, std::string_view name,
                                size_t max_chars = kMaxReasonChars) {
  auto text = RequireString(body, name);
  if (!text) return Fail(text.error());
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "field '" + std::string(name) + "' must not be empty",
                std::string(name));
  }
  if (text->size() > max_chars) {
    return Fail(ErrorCode::kInvalidArgument,
                "field '" + std::string(name) + "' must be at most " + std::to_string(max_chars) +
                    " characters",
                std::string(name));
  }
  return text;
}

// Tools that serve the API without escalation (none today) would leave this null.
Error NoPolicy() {
  return Error{ErrorCode::kUnavailable, "this server runs without an escalation policy", {}};
}

// Evidence may name uploads ("attachment:17", from POST /api/v1/attachments). Each must be
// an unused upload of the caller's; it becomes this case's in the same write as the event,
// so whoever may read the case's evidence may fetch it. Other evidence strings (a data URL
// of a small photo, a note like "photo-1.jpg") pass as they are.
Result<void> TakeEvidenceUploads(store::WriteTx& tx, const domain::Principal& who, int64_t case_id,
                                 const std::vector<std::string>& evidence) {
  std::vector<int64_t> ids;
  for (size_t i = 0; i < evidence.size(); ++i) {
    auto id = domain::UploadReference(evidence[i]);
    if (!id) {
      Error error = id.error();
      error.field = "attachment_ids[" + std::to_string(i) + "]";
      return Fail(std::move(error));
    }
    if (*id) ids.push_back(**id);
  }
  if (ids.empty()) return {};
  // DescribeUploads checks each is the caller's and unused; the descriptions are not needed.
  if (auto mine = tx.DescribeUploads(ids, domain::UploaderName(who)); !mine) {
    return Fail(mine.error());
  }
  return tx.AttachToCase(ids, case_id);
}

// ---- escalate

struct EscalateBody {
  std::string reason;
  std::vector<std::string> evidence;
  int to_level = 0;  // staff only; 0 = the next level
};

boost::asio::awaitable<Response> PostEscalate(RequestContext& ctx) {
  if (ctx.services.policies == nullptr) co_return MakeProblem(ctx, NoPolicy());
  const domain::Principal& who = ctx.who();
  const app::Services& services = ctx.services;
  co_return co_await CaseAction<EscalateBody>(
      ctx, status::created,
      [&who](const json::object& body) -> Result<EscalateBody> {
        if (auto unknown = RejectUnknownFields(body, {"reason", "attachment_ids", "to_level"});
            !unknown) {
          return Fail(unknown.error());
        }
        EscalateBody input;
        auto reason = RequireText(body, "reason");
        if (!reason) return Fail(reason.error());
        input.reason = std::move(*reason);
        auto evidence = OptionalStringArray(body, "attachment_ids");
        if (!evidence) return Fail(evidence.error());
        if (evidence->size() > kMaxEvidenceItems) {
          return Fail(ErrorCode::kInvalidArgument,
                      "field 'attachment_ids' may list at most " +
                          std::to_string(kMaxEvidenceItems) + " attachments",
                      "attachment_ids");
        }
        input.evidence = std::move(*evidence);
        auto to_level = OptionalInt64(body, "to_level");
        if (!to_level) return Fail(to_level.error());
        if (*to_level) {
          if (who.IsCustomer()) {
            return Fail(ErrorCode::kPermissionDenied,
                        "customers escalate to the next level; 'to_level' is for staff",
                        "to_level");
          }
          if (**to_level < 2 || **to_level > 9) {
            return Fail(ErrorCode::kInvalidArgument, "field 'to_level' must be between 2 and 9",
                        "to_level");
          }
          input.to_level = static_cast<int>(**to_level);
        }
        return input;
      },
      [&who, &services](store::WriteTx& tx, int64_t id, const EscalateBody& input,
                        Timestamp now) -> Result<app::CaseChange> {
        const auto policy = services.policies->Get();
        auto change = services.cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) -> Result<std::vector<domain::EventDraft>> {
              auto decision = who.IsCustomer()
                                  ? policy::DecideCustomerRequest(state, *policy, input.reason, now)
                                  : policy::DecideManual(state, *policy, input.reason,
                                                         input.to_level);
              if (!decision) return Fail(decision.error());
              auto routed = app::RouteEscalation(tx, services.store, *decision);
              if (!routed) return Fail(routed.error());
              routed->evidence = input.evidence;
              return domain::Escalate(state, who, *routed, now);
            },
            now);
        if (!change) return change;
        if (auto taken = TakeEvidenceUploads(tx, who, id, input.evidence); !taken) {
          return Fail(taken.error());
        }
        return change;
      });
}

// ---- promises

boost::asio::awaitable<Response> PostPromise(RequestContext& ctx) {
  if (ctx.services.policies == nullptr) co_return MakeProblem(ctx, NoPolicy());
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<domain::PromiseInput>(
      ctx, status::created,
      [](const json::object& body) -> Result<domain::PromiseInput> {
        if (auto unknown = RejectUnknownFields(body, {"what", "due_at"}); !unknown) {
          return Fail(unknown.error());
        }
        domain::PromiseInput input;
        auto what = RequireString(body, "what");
        if (!what) return Fail(what.error());
        input.what = std::move(*what);
        auto due = RequireString(body, "due_at");
        if (!due) return Fail(due.error());
        auto parsed = ParseTimestamp(*due);
        if (!parsed) {
          return Fail(ErrorCode::kInvalidArgument,
                      "field 'due_at' must be an RFC 3339 time: " + parsed.error().message,
                      "due_at");
        }
        input.due_at = *parsed;
        return input;
      },
      [&](store::WriteTx& tx, int64_t id, const domain::PromiseInput& input, Timestamp now) {
        return cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              return domain::MakePromise(state, who, input, now);
            },
            now);
      });
}

boost::asio::awaitable<Response> PostKeepPromise(RequestContext& ctx) {
  auto promise_id = PathId(ctx, "promise_id");
  if (!promise_id) co_return MakeProblem(ctx, promise_id.error());
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<std::string>(
      ctx, status::ok,
      [](const json::object& body) -> Result<std::string> {
        if (auto unknown = RejectUnknownFields(body, {"note"}); !unknown) {
          return Fail(unknown.error());
        }
        auto note = OptionalString(body, "note");
        if (!note) return Fail(note.error());
        return note->value_or("");
      },
      [&, pid = *promise_id](store::WriteTx& tx, int64_t id, const std::string& note,
                             Timestamp now) {
        return cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              return domain::KeepPromise(state, who, pid, note, now);
            },
            now);
      });
}

// ---- decisions and appeals

boost::asio::awaitable<Response> PostDecision(RequestContext& ctx) {
  if (ctx.services.policies == nullptr) co_return MakeProblem(ctx, NoPolicy());
  const domain::Principal& who = ctx.who();
  const app::Services& services = ctx.services;
  co_return co_await CaseAction<domain::DecisionInput>(
      ctx, status::created,
      [](const json::object& body) -> Result<domain::DecisionInput> {
        if (auto unknown =
                RejectUnknownFields(body, {"outcome", "reason", "next_step", "external_route"});
            !unknown) {
          return Fail(unknown.error());
        }
        domain::DecisionInput input;
        auto outcome = RequireString(body, "outcome");
        if (!outcome) return Fail(outcome.error());
        auto parsed = domain::ParseDecisionOutcome(*outcome);
        if (!parsed) {
          return Fail(ErrorCode::kInvalidArgument,
                      "field 'outcome' must be one of approved, partly_approved, denied, "
                      "cannot_resolve",
                      "outcome");
        }
        input.outcome = *parsed;
        auto reason = RequireString(body, "reason");
        if (!reason) return Fail(reason.error());
        input.reason = std::move(*reason);
        auto next_step = RequireString(body, "next_step");
        if (!next_step) return Fail(next_step.error());
        input.next_step = std::move(*next_step);
        auto route = OptionalString(body, "external_route");
        if (!route) return Fail(route.error());
        input.external_route = route->value_or("");
        return input;
      },
      [&who, &services](store::WriteTx& tx, int64_t id, const domain::DecisionInput& body,
                        Timestamp now) {
        const auto policy = services.policies->Get();
        return services.cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) -> Result<std::vector<domain::EventDraft>> {
              domain::DecisionInput input = body;
              if (input.outcome == domain::DecisionOutcome::kCannotResolve) {
                // "We cannot resolve this" always names where the customer can go next:
                // the one asked for, else the first route of the case's ladder.
                if (input.external_route.empty()) {
                  const auto& routes = policy->LadderFor(state.category).external;
                  if (routes.empty()) {
                    return Fail(ErrorCode::kInvalidArgument,
                                "the policy lists no external route for this case's ladder; a "
                                "cannot_resolve decision needs one (field 'external_route')",
                                "external_route");
                  }
                  input.external_route = routes.front()->id;
                } else if (policy->FindExternalRoute(input.external_route) == nullptr) {
                  return Fail(ErrorCode::kInvalidArgument,
                              "field 'external_route' names no external route of the policy: " +
                                  input.external_route,
                              "external_route");
                }
              }
              return domain::MakeDecision(state, who, input, now);
            },
            now);
      });
}

boost::asio::awaitable<Response> PostAppeal(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<domain::AppealInput>(
      ctx, status::created,
      [](const json::object& body) -> Result<domain::AppealInput> {
        if (auto unknown = RejectUnknownFields(body, {"reason", "attachment_ids"}); !unknown) {
          return Fail(unknown.error());
        }
        domain::AppealInput input;
        auto reason = RequireText(body, "reason");
        if (!reason) return Fail(reason.error());
        input.reason = std::move(*reason);
        auto evidence = OptionalStringArray(body, "attachment_ids");
        if (!evidence) return Fail(evidence.error());
        input.evidence = std::move(*evidence);
        return input;
      },
      // The escalation reactor answers decision_appealed with `escalated` in this write.
      [&](store::WriteTx& tx, int64_t id, const domain::AppealInput& input,
          Timestamp now) -> Result<app::CaseChange> {
        auto change = cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              return domain::AppealDecision(state, who, input, now);
            },
            now);
        if (!change) return change;
        if (auto taken = TakeEvidenceUploads(tx, who, id, input.evidence); !taken) {
          return Fail(taken.error());
        }
        return change;
      });
}

// ---- goodwill credit

boost::asio::awaitable<Response> PostCredit(RequestContext& ctx) {
  if (ctx.services.policies == nullptr) co_return MakeProblem(ctx, NoPolicy());
  const domain::Principal& who = ctx.who();
  const app::Services& services = ctx.services;
  co_return co_await CaseAction<domain::CreditInput>(
      ctx, status::created,
      [](const json::object& body) -> Result<domain::CreditInput> {
        if (auto unknown = RejectUnknownFields(body, {"amount", "currency", "reason"}); !unknown) {
          return Fail(unknown.error());
        }
        domain::CreditInput input;
        auto amount = RequireInt64(body, "amount");
        if (!amount) return Fail(amount.error());
        input.amount_minor = *amount;
        auto currency = RequireString(body, "currency");
        if (!currency) return Fail(currency.error());
        input.currency = std::move(*currency);
        auto reason = RequireString(body, "reason");
        if (!reason) return Fail(reason.error());
        input.reason = std::move(*reason);
        return input;
      },
      [&who, &services](store::WriteTx& tx, int64_t id, const domain::CreditInput& input,
                        Timestamp now) {
        const auto policy = services.policies->Get();
        return services.cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              const domain::CreditAuthority authority = policy::CreditAuthorityFor(
                  *policy, state, who.level, input.amount_minor, input.currency);
              return domain::RequestCredit(state, who, input, authority, now);
            },
            now);
      });
}

boost::asio::awaitable<Response> SettleCredit(RequestContext& ctx, bool approve) {
  if (ctx.services.policies == nullptr) co_return MakeProblem(ctx, NoPolicy());
  auto credit_id = PathId(ctx, "credit_id");
  if (!credit_id) co_return MakeProblem(ctx, credit_id.error());
  const domain::Principal& who = ctx.who();
  const app::Services& services = ctx.services;
  co_return co_await CaseAction<std::string>(
      ctx, status::ok,
      [approve](const json::object& body) -> Result<std::string> {
        if (auto unknown = RejectUnknownFields(body, {"reason"}); !unknown) {
          return Fail(unknown.error());
        }
        // A denial is explained to the customer; an approval may say why (recorded as the
        // event's approval_reason).
        if (!approve) return RequireText(body, "reason");
        auto reason = OptionalString(body, "reason");
        if (!reason) return Fail(reason.error());
        return reason->value_or("");
      },
      [&who, &services, approve, cid = *credit_id](store::WriteTx& tx, int64_t id,
                                                   const std::string& reason, Timestamp now) {
        const auto policy = services.policies->Get();
        return services.cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) -> Result<std::vector<domain::EventDraft>> {
              if (!approve) return domain::DenyCredit(state, who, cid, reason, now);
              const domain::Credit* credit = state.commitments.FindCredit(cid);
              if (credit == nullptr) {
                return Fail(ErrorCode::kNotFound, "case " + std::to_string(state.id) +
                                                      " has no credit " + std::to_string(cid));
              }
              const domain::CreditAuthority authority = policy::CreditAuthorityFor(
                  *policy, state, who.level, credit->amount_minor, credit->currency);
              return domain::ApproveCredit(state, who, cid, authority, now, reason);
            },
            now);
      });
}

boost::asio::awaitable<Response> PostApproveCredit(RequestContext& ctx) {
  co_return co_await SettleCredit(ctx, true);
}
boost::asio::awaitable<Response> PostDenyCredit(RequestContext& ctx) {
  co_return co_await SettleCredit(ctx, false);
}

// ---- transfer

struct TransferBody {
  int64_t to_user_id = 0;
  std::string reason;
  std::string handoff_note;
};

boost::asio::awaitable<Response> PostTransfer(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<TransferBody>(
      ctx, status::ok,
      [](const json::object& body) -> Result<TransferBody> {
        if (auto unknown = RejectUnknownFields(body, {"to_user_id", "reason", "handoff_note"});
            !unknown) {
          return Fail(unknown.error());
        }
        TransferBody input;
        auto to = RequireInt64(body, "to_user_id");
        if (!to) return Fail(to.error());
        input.to_user_id = *to;
        // A transfer without a reason and a note is how cases die between desks.
        auto reason = RequireText(body, "reason");
        if (!reason) return Fail(reason.error());
        input.reason = std::move(*reason);
        auto note = RequireText(body, "handoff_note");
        if (!note) return Fail(note.error());
        input.handoff_note = std::move(*note);
        return input;
      },
      [&](store::WriteTx& tx, int64_t id, const TransferBody& input, Timestamp now) {
        return cases.Assign(tx, who, id, input.to_user_id, input.reason, input.handoff_note, now);
      });
}

}  // namespace

void RegisterEscalationRoutes(Router& router) {
  router.Add(verb::post, "/api/v1/cases/{id}/escalate", Access::kAuthenticated, PostEscalate);
  router.Add(verb::post, "/api/v1/cases/{id}/promises", Access::kStaff, PostPromise);
  router.Add(verb::post, "/api/v1/cases/{id}/promises/{promise_id}/keep", Access::kStaff,
             PostKeepPromise);
  router.Add(verb::post, "/api/v1/cases/{id}/decisions", Access::kStaff, PostDecision);
  router.Add(verb::post, "/api/v1/cases/{id}/appeal", Access::kAuthenticated, PostAppeal);
  router.Add(verb::post, "/api/v1/cases/{id}/credits", Access::kStaff, PostCredit);
  router.Add(verb::post, "/api/v1/cases/{id}/credits/{credit_id}/approve", Access::kStaff,
             PostApproveCredit);
  router.Add(verb::post, "/api/v1/cases/{id}/credits/{credit_id}/deny", Access::kStaff,
             PostDenyCredit);
  router.Add(verb::post, "/api/v1/cases/{id}/transfer", Access::kStaff, PostTransfer);
}

}  // namespace redress::http::api
