// POST /api/v1/inbound/email: the door for mail handed over by an MTA (`redress mailgate
// --url`) or any program holding a raw RFC 5322 message. The body is the message byte for
// byte (Content-Type message/rfc822 or application/octet-stream) and goes through
// app::MailIntake like every other door for mail. The reply comes only after the intake's
// write committed, so a 2xx means the message is durably stored:
//
//   201  a new case was opened
//   200  threaded into an existing case, a duplicate, a delivery report, or stored but
//        attached to no case (a bounce for mail we never sent, no sender address)
//   400  not a message at all: stored raw all the same (the mailgate's exit 65)
//   413  over [mail] max_message_bytes: refused by the session before the body is read
//   422  ?mailbox= names no configured mailbox
//   503  mail is not configured here, or the store could not write: send it again later
//
// Who: a mailgate account or an admin (domain::CanDeliverMail, Access::kMailDelivery).
#include <optional>
#include <string>
#include <utility>

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>

#include "app/mail_intake.h"
#include "app/services.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/problem.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

// Where the message came from: "http", or "http:<mailbox>" with that mailbox's category.
Result<app::MailSource> SourceOf(const RequestContext& ctx) {
  app::MailSource source{"http", ""};
  auto it = ctx.query.find("mailbox");
  if (it == ctx.query.end()) return source;
  std::string known;
  for (const app::MailboxConfig& box : ctx.services.config.mail.mailboxes) {
    if (box.name == it->second) return app::MailSource{"http:" + box.name, box.category};
    known += (known.empty() ? "" : ", ") + box.name;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "query parameter 'mailbox': no [[mail.mailboxes]] is named '" + it->second +
                  "' (configured: " + (known.empty() ? std::string("none") : known) + ")",
              "mailbox");
}

status StatusOf(app::IntakeOutcome outcome) {
  switch (outcome) {
    case app::IntakeOutcome::kOpened: return status::created;
    case app::IntakeOutcome::kNotAMessage: return status::bad_request;
    case app::IntakeOutcome::kTooLarge: return status::payload_too_large;
    default: return status::ok;
  }
}

// The reply body: what happened, or for a refusal a problem with the same fields.
json::object BodyOf(const app::IntakeResult& result, const std::string& message_id,
                    const std::string& request_id) {
  json::object body{{"status", app::IntakeOutcomeName(result.outcome)},
                    {"raw_sha256", result.raw_sha256}};
  body["case_id"] = result.case_id ? json::value(*result.case_id) : json::value(nullptr);
  body["message_id"] = message_id.empty() ? json::value(nullptr) : json::value(message_id);
  if (!result.mail_kind.empty()) body["mail_kind"] = result.mail_kind;
  if (!result.match_rule.empty()) body["match_rule"] = result.match_rule;
  if (!result.detail.empty()) body["detail"] = result.detail;
  const status code = StatusOf(result.outcome);
  if (static_cast<int>(code) >= 400) {
    const ProblemType type = code == status::bad_request ? ProblemType::kBadRequest
                                                         : ProblemType::kPayloadTooLarge;
    body["type"] = ProblemTypeUri(type);
    body["title"] = ProblemTitle(type);
    body["status"] = static_cast<int>(code);
    body["outcome"] = app::IntakeOutcomeName(result.outcome);
    body["detail"] = result.detail + "; the raw bytes are stored as received";
    body["request_id"] = request_id;
  }
  return body;
}

boost::asio::awaitable<Response> PostInboundEmail(RequestContext& ctx) {
  const app::MailIntake* intake = ctx.services.mail_intake;
  if (intake == nullptr) {
    co_return MakeProblem(
        ctx, Error{ErrorCode::kUnavailable,
                   "inbound mail is not configured on this server ([mail] addresses and "
                   "thread_key_file); the message was not stored",
                   ""});
  }
  auto source = SourceOf(ctx);
  if (!source) co_return MakeProblem(ctx, source.error());

  // Reading MIME is CPU work: off the I/O thread, never on the store's writer. The lambda
  // captures by reference only: g++ 12 destroys an owning capture of a temporary inside
  // co_await twice (heap corruption); the request outlives this coroutine anyway.
  auto prepared = co_await OnCpuPool<app::PreparedMail>(
      ctx, [&]() -> Result<app::PreparedMail> { return intake->Prepare(ctx.request.body()); });
  if (!prepared) co_return MakeProblem(ctx, prepared.error());
  const std::string message_id = prepared->parsed ? prepared->parsed->message_id : "";
  const Timestamp now = ctx.services.clock.Now();

  Response response = co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    auto ingested = intake->Ingest(tx, *prepared, *source, now);
    if (!ingested) return Fail(ingested.error());
    Reply reply{StatusOf(ingested->outcome), BodyOf(*ingested, message_id, ctx.request_id), ""};
    if (ingested->outcome == app::IntakeOutcome::kOpened && ingested->case_id) {
      reply.location = "/api/v1/cases/" + std::to_string(*ingested->case_id);
    }
    return reply;
  });
  if (response.result() == status::bad_request ||
      response.result() == status::payload_too_large) {
    // A stored refusal is a problem document like every other error.
    response.set(boost::beast::http::field::content_type, "application/problem+json");
  }
  co_return response;
}

}  // namespace

void RegisterInboundMailRoutes(Router& router) {
  RouteOptions options;
  options.media_types = {"message/rfc822", "application/octet-stream"};
  options.body_limit = [](const app::Services& services) {
    return static_cast<uint64_t>(services.config.mail.max_message_bytes);
  };
  router.Add(verb::post, "/api/v1/inbound/email", Access::kMailDelivery, PostInboundEmail,
             std::move(options));
}

}  // namespace redress::http::api
