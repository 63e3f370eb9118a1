// Everything that appends to an existing case: messages, notes, assignment, status,
// priority and category. Each action reads its input, then in one durable write lets the
// domain decide the events and appends them; the reply is the case and the new events.
#include <boost/json/array.hpp>

#include "app/case_service.h"
#include "app/services.h"
#include "domain/case_commands.h"
#include "domain/permissions.h"
#include "http/api/api_util.h"
#include "http/api/case_action.h"
#include "http/api/escalation_view.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

struct MessageInput {
  std::string body;
  domain::Channel channel = domain::Channel::kWeb;
  bool public_post = false;
};

boost::asio::awaitable<Response> PostMessage(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<MessageInput>(
      ctx, status::created,
      [](const json::object& body) -> Result<MessageInput> {
        if (auto unknown = RejectUnknownFields(body, {"body", "channel", "public"}); !unknown) {
          return Fail(unknown.error());
        }
        MessageInput input;
        auto text = RequireString(body, "body");
        if (!text) return Fail(text.error());
        input.body = std::move(*text);
        auto channel = OptionalString(body, "channel");
        if (!channel) return Fail(channel.error());
        if (*channel) {
          auto parsed = domain::ParseChannel(**channel);
          if (!parsed || *parsed == domain::Channel::kSystem) {
            return Fail(ErrorCode::kInvalidArgument,
                        "field 'channel' must be one of web, email, chat, phone, social, sms, api",
                        "channel");
          }
          input.channel = *parsed;
        }
        auto public_post = OptionalBool(body, "public");
        if (!public_post) return Fail(public_post.error());
        input.public_post = public_post->value_or(false);
        return input;
      },
      [&](store::WriteTx& tx, int64_t id, const MessageInput& input, Timestamp now) {
        return cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              return domain::AddMessage(state, who, input.body, input.channel, now,
                                        input.public_post);
            },
            now);
      });
}

boost::asio::awaitable<Response> PostNote(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<std::string>(
      ctx, status::created,
      [](const json::object& body) -> Result<std::string> {
        if (auto unknown = RejectUnknownFields(body, {"body"}); !unknown)
          return Fail(unknown.error());
        return RequireString(body, "body");
      },
      [&](store::WriteTx& tx, int64_t id, const std::string& text, Timestamp now) {
        return cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) { return domain::AddNote(state, who, text, now); },
            now);
      });
}

struct AssignBody {
  int64_t owner_id = 0;
  std::string reason;
  std::string handoff_note;
};

boost::asio::awaitable<Response> PostAssign(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<AssignBody>(
      ctx, status::ok,
      [](const json::object& body) -> Result<AssignBody> {
        if (auto unknown = RejectUnknownFields(body, {"owner_id", "reason", "handoff_note"});
            !unknown) {
          return Fail(unknown.error());
        }
        AssignBody input;
        auto owner = RequireInt64(body, "owner_id");
        if (!owner) return Fail(owner.error());
        input.owner_id = *owner;
        auto reason = OptionalString(body, "reason");
        if (!reason) return Fail(reason.error());
        input.reason = reason->value_or("");
        auto handoff = OptionalString(body, "handoff_note");
        if (!handoff) return Fail(handoff.error());
        input.handoff_note = handoff->value_or("");
        return input;
      },
      [&](store::WriteTx& tx, int64_t id, const AssignBody& input, Timestamp now) {
        return cases.Assign(tx, who, id, input.owner_id, input.reason, input.handoff_note, now);
      });
}

struct StatusBody {
  domain::CaseStatus status = domain::CaseStatus::kOpen;
  std::string reason;
};

boost::asio::awaitable<Response> PostStatus(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<StatusBody>(
      ctx, status::ok,
      [](const json::object& body) -> Result<StatusBody> {
        if (auto unknown = RejectUnknownFields(body, {"status", "reason"}); !unknown) {
          return Fail(unknown.error());
        }
        auto name = RequireString(body, "status");
        if (!name) return Fail(name.error());
        auto parsed = domain::ParseCaseStatus(*name);
        if (!parsed) {
          return Fail(ErrorCode::kInvalidArgument,
                      "field 'status' must be one of new, open, pending, on_hold, solved, closed",
                      "status");
        }
        auto reason = OptionalString(body, "reason");
        if (!reason) return Fail(reason.error());
        return StatusBody{*parsed, reason->value_or("")};
      },
      [&](store::WriteTx& tx, int64_t id, const StatusBody& input, Timestamp now) {
        return cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              return domain::ChangeStatus(state, who, input.status, input.reason, now);
            },
            now);
      });
}

boost::asio::awaitable<Response> PostPriority(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<domain::Priority>(
      ctx, status::ok,
      [](const json::object& body) -> Result<domain::Priority> {
        if (auto unknown = RejectUnknownFields(body, {"priority"}); !unknown) {
          return Fail(unknown.error());
        }
        auto name = RequireString(body, "priority");
        if (!name) return Fail(name.error());
        auto parsed = domain::ParsePriority(*name);
        if (!parsed) {
          return Fail(ErrorCode::kInvalidArgument,
                      "field 'priority' must be one of low, normal, high, urgent", "priority");
        }
        return *parsed;
      },
      [&](store::WriteTx& tx, int64_t id, const domain::Priority& to, Timestamp now) {
        return cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              return domain::ChangePriority(state, who, to, now);
            },
            now);
      });
}

boost::asio::awaitable<Response> PostCategory(RequestContext& ctx) {
  const domain::Principal& who = ctx.who();
  const app::CaseService& cases = ctx.services.cases;
  co_return co_await CaseAction<std::string>(
      ctx, status::ok,
      [](const json::object& body) -> Result<std::string> {
        if (auto unknown = RejectUnknownFields(body, {"category"}); !unknown) {
          return Fail(unknown.error());
        }
        return RequireString(body, "category");
      },
      [&](store::WriteTx& tx, int64_t id, const std::string& to, Timestamp now) {
        return cases.Apply(
            tx, who, id,
            [&](const domain::CaseState& state) {
              return domain::ChangeCategory(state, who, to, now);
            },
            now);
      });
}

}  // namespace

void RegisterCaseActionRoutes(Router& router) {
  router.Add(verb::post, "/api/v1/cases/{id}/messages", Access::kAuthenticated, PostMessage);
  router.Add(verb::post, "/api/v1/cases/{id}/notes", Access::kStaff, PostNote);
  router.Add(verb::post, "/api/v1/cases/{id}/assign", Access::kStaff, PostAssign);
  router.Add(verb::post, "/api/v1/cases/{id}/status", Access::kStaff, PostStatus);
  router.Add(verb::post, "/api/v1/cases/{id}/priority", Access::kStaff, PostPriority);
  router.Add(verb::post, "/api/v1/cases/{id}/category", Access::kStaff, PostCategory);
}

}  // namespace redress::http::api
