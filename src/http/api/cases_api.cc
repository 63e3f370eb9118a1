// Cases: open one, list them, read one and its event log.
#include <boost/json/array.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <string_view>
#include <utility>

#include "app/case_service.h"
#include "app/services.h"
#include "domain/attachment.h"
#include "domain/case_commands.h"
#include "domain/permissions.h"
#include "http/api/api_util.h"
#include "http/api/attachment_view.h"
#include "http/api/escalation_view.h"
#include "http/api/routes.h"
#include "http/api/views.h"
#include "http/json_body.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

Result<domain::OpenCaseInput> ReadOpenCase(const json::object& body, const domain::Principal& who) {
  if (auto unknown = RejectUnknownFields(
          body, {"customer_id", "subject", "body", "channel", "priority", "category", "public",
                 "attachment_ids"});
      !unknown) {
    return Fail(unknown.error());
  }
  domain::OpenCaseInput input;
  auto customer_id = OptionalInt64(body, "customer_id");
  if (!customer_id) return Fail(customer_id.error());
  if (who.IsCustomer()) {
    if (*customer_id && **customer_id != who.id) {
      return Fail(ErrorCode::kPermissionDenied, "customers can only open cases for themselves",
                  "customer_id");
    }
    input.customer_id = who.id;
  } else {
    if (!*customer_id) {
      return Fail(ErrorCode::kInvalidArgument, "field 'customer_id' is required", "customer_id");
    }
    input.customer_id = **customer_id;
  }
  auto subject = RequireString(body, "subject");
  if (!subject) return Fail(subject.error());
  input.subject = std::move(*subject);
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
  auto priority = OptionalString(body, "priority");
  if (!priority) return Fail(priority.error());
  if (*priority) {
    auto parsed = domain::ParsePriority(**priority);
    if (!parsed) {
      return Fail(ErrorCode::kInvalidArgument,
                  "field 'priority' must be one of low, normal, high, urgent", "priority");
    }
    input.priority = *parsed;
  }
  auto category = OptionalString(body, "category");
  if (!category) return Fail(category.error());
  if (*category) input.category = std::move(**category);
  auto public_post = OptionalBool(body, "public");
  if (!public_post) return Fail(public_post.error());
  input.public_post = public_post->value_or(false);
  return input;
}

// "attachment_ids": uploads (POST /api/v1/attachments) the opening event carries.
Result<std::vector<int64_t>> ReadAttachmentIds(const json::object& body) {
  auto ids = OptionalInt64Array(body, "attachment_ids");
  if (!ids) return Fail(ids.error());
  if (ids->size() > domain::kMaxAttachmentsPerMessage) {
    return Fail(ErrorCode::kInvalidArgument,
                "field 'attachment_ids' may list at most " +
                    std::to_string(domain::kMaxAttachmentsPerMessage) + " files",
                "attachment_ids");
  }
  std::vector<int64_t> sorted = *ids;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return Fail(ErrorCode::kInvalidArgument, "field 'attachment_ids' lists a file twice",
                "attachment_ids");
  }
  return ids;
}

boost::asio::awaitable<Response> CreateCase(RequestContext& ctx) {
  auto body = BodyObject(ctx);
  if (!body) co_return MakeProblem(ctx, body.error());
  auto input = ReadOpenCase(*body, ctx.who());
  if (!input) co_return MakeProblem(ctx, input.error());
  auto attachment_ids = ReadAttachmentIds(*body);
  if (!attachment_ids) co_return MakeProblem(ctx, attachment_ids.error());
  const Timestamp now = ctx.services.clock.Now();
  co_return co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    // The opening event names its attachments; they become the case's in the same write.
    domain::OpenCaseInput opening = *input;
    if (!attachment_ids->empty()) {
      auto described = tx.DescribeUploads(*attachment_ids, domain::UploaderName(ctx.who()));
      if (!described) return Fail(described.error());
      json::array attachments;
      for (const store::Attachment& a : *described) attachments.emplace_back(AttachmentView(a));
      opening.channel_data["attachments"] = std::move(attachments);
    }
    auto change = ctx.services.cases.Open(tx, ctx.who(), opening, now);
    if (!change) return Fail(change.error());
    if (auto attached = tx.AttachToCase(*attachment_ids, change->state.id); !attached) {
      return Fail(attached.error());
    }
    ctx.services.metrics.CasesOpened().Inc();
    ctx.services.metrics.EventsAppended().Inc(static_cast<int64_t>(change->events.size()));
    return Reply{status::created, FullCaseView(change->state, ctx.who(), ctx.services),
                 "/api/v1/cases/" + std::to_string(change->state.id)};
  });
}

// Pages sorted by due time walk by offset; beyond this a client should filter instead.
constexpr int64_t kMaxOffset = 100'000;

/// What "breaching soon" means: the next step is due within this time, or overdue.
constexpr std::chrono::hours kBreachingSoonWindow{4};

enum class Queue { kMine, kMyLevel, kBreachingSoon, kUnassigned };
constexpr std::array<std::pair<Queue, const char*>, 4> kQueues{{
    {Queue::kMine, "mine"},
    {Queue::kMyLevel, "my_level"},
    {Queue::kBreachingSoon, "breaching_soon"},
    {Queue::kUnassigned, "unassigned"},
}};

Result<Queue> ParseQueue(std::string_view name) {
  for (const auto& [queue, queue_name] : kQueues) {
    if (name == queue_name) return queue;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "query parameter 'queue' must be one of mine, my_level, breaching_soon, unassigned",
              "queue");
}

/// A queue is a filter over the cases still being worked on.
void ApplyQueue(Queue queue, const domain::Principal& who, Timestamp now, store::CaseQuery& q) {
  q.active_only = true;
  switch (queue) {
    case Queue::kMine: q.owner_id = who.id; break;
    case Queue::kMyLevel: q.level = std::max(who.level, 1); break;
    case Queue::kBreachingSoon: q.due_by = now + kBreachingSoonWindow; break;
    case Queue::kUnassigned:
      q.owner_id.reset();
      q.unowned = true;
      break;
  }
}

Result<store::CaseQuery> ReadCaseQuery(const RequestContext& ctx) {
  store::CaseQuery query;
  if (auto it = ctx.query.find("status"); it != ctx.query.end()) {
    auto parsed = domain::ParseCaseStatus(it->second);
    if (!parsed) {
      return Fail(ErrorCode::kInvalidArgument,
                  "query parameter 'status' must be one of new, open, pending, on_hold, solved, "
                  "closed",
                  "status");
    }
    query.status = *parsed;
  }
  if (auto it = ctx.query.find("owner"); it != ctx.query.end() && it->second == "none") {
    query.unowned = true;
  } else {
    auto owner = QueryInt(ctx, "owner");
    if (!owner) return Fail(owner.error());
    query.owner_id = *owner;
  }
  auto level = QueryInt(ctx, "level");
  if (!level) return Fail(level.error());
  if (*level) {
    if (**level < 1 || **level > 9) {
      return Fail(ErrorCode::kInvalidArgument, "query parameter 'level' must be between 1 and 9",
                  "level");
    }
    query.level = static_cast<int>(**level);
  }
  auto customer = QueryInt(ctx, "customer");
  if (!customer) return Fail(customer.error());
  query.customer_id = *customer;
  if (auto it = ctx.query.find("queue"); it != ctx.query.end()) {
    if (!ctx.who().IsStaff()) {
      return Fail(ErrorCode::kPermissionDenied, "queues are for staff", "queue");
    }
    auto queue = ParseQueue(it->second);
    if (!queue) return Fail(queue.error());
    ApplyQueue(*queue, ctx.who(), ctx.services.clock.Now(), query);
  }
  if (auto it = ctx.query.find("sort"); it != ctx.query.end()) {
    if (it->second != "due" && it->second != "newest") {
      return Fail(ErrorCode::kInvalidArgument,
                  "query parameter 'sort' must be 'due' (soonest next step first) or 'newest'",
                  "sort");
    }
    query.sort_due = it->second == "due";
  }
  // A customer sees only their own cases, whatever the filters say.
  if (ctx.who().IsCustomer()) query.customer_id = ctx.who().id;
  auto limit = QueryLimit(ctx, 50, 200);
  if (!limit) return Fail(limit.error());
  query.limit = *limit;
  auto cursor = QueryCursor(ctx);
  if (!cursor) return Fail(cursor.error());
  // Sorted by due time, the cursor is the position in the list (the offset); by id, the
  // last id seen.
  if (query.sort_due) {
    if (*cursor && **cursor > kMaxOffset) {
      return Fail(ErrorCode::kInvalidArgument, "cursor is out of range", "cursor");
    }
    query.offset = static_cast<int>(cursor->value_or(0));
  } else {
    query.before_id = *cursor;
  }
  return query;
}

// Staff only: a customer's search would have to be filtered to their own cases after the
// ranking, which pages cannot do honestly; customers list their cases instead.
boost::asio::awaitable<Response> SearchCases(RequestContext& ctx) {
  auto text = ctx.query.find("q");
  if (text == ctx.query.end() || text->second.empty()) {
    co_return MakeProblem(ctx,
                          Error{ErrorCode::kInvalidArgument,
                                "query parameter 'q' is required: the words to search for", "q"});
  }
  auto limit = QueryLimit(ctx, 20, 200);
  if (!limit) co_return MakeProblem(ctx, limit.error());
  auto found = ctx.services.store.SearchCases(text->second, *limit);
  if (!found) co_return MakeProblem(ctx, found.error());
  json::array items;
  items.reserve(found->size());
  for (const auto& state : *found) items.emplace_back(CaseView(state, ctx.who()));
  co_return MakeReply(ctx, Reply{status::ok, json::object{{"items", std::move(items)}}, {}});
}

boost::asio::awaitable<Response> ListCases(RequestContext& ctx) {
  auto query = ReadCaseQuery(ctx);
  if (!query) co_return MakeProblem(ctx, query.error());
  auto page = ctx.services.store.ListCases(*query);
  if (!page) co_return MakeProblem(ctx, page.error());
  json::array items;
  items.reserve(page->cases.size());
  for (const auto& state : page->cases) items.emplace_back(CaseView(state, ctx.who()));
  json::value next = nullptr;
  if (page->next_before_id) {
    next = EncodeCursor(query->sort_due ? query->offset + query->limit : *page->next_before_id);
  }
  auto total = ctx.services.store.CountCases(*query);
  if (!total) co_return MakeProblem(ctx, total.error());
  co_return MakeReply(ctx, Reply{status::ok,
                                 json::object{{"items", std::move(items)},
                                              {"next_cursor", next},
                                              {"total", *total}},
                                 {}});
}

// The size of each staff queue, for the console's sidebar.
boost::asio::awaitable<Response> ListQueues(RequestContext& ctx) {
  const Timestamp now = ctx.services.clock.Now();
  json::array queues;
  for (const auto& [queue, name] : kQueues) {
    store::CaseQuery query;
    ApplyQueue(queue, ctx.who(), now, query);
    auto count = ctx.services.store.CountCases(query);
    if (!count) co_return MakeProblem(ctx, count.error());
    queues.emplace_back(json::object{{"id", name}, {"count", *count}});
  }
  co_return MakeReply(ctx, Reply{status::ok, json::object{{"queues", std::move(queues)}}, {}});
}

/// The case if the caller may read it; another customer's case is kNotFound.
Result<domain::CaseState> ReadableCase(const RequestContext& ctx, int64_t id) {
  auto state = ctx.services.store.GetCase(id);
  if (!state) return Fail(state.error());
  if (!domain::CanReadCase(ctx.who(), *state)) {
    return Fail(ErrorCode::kNotFound, "case " + std::to_string(id) + " does not exist");
  }
  return state;
}

boost::asio::awaitable<Response> GetCase(RequestContext& ctx) {
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  auto state = ReadableCase(ctx, *id);
  if (!state) co_return MakeProblem(ctx, state.error());
  co_return MakeReply(ctx, Reply{status::ok, FullCaseView(*state, ctx.who(), ctx.services), {}});
}

boost::asio::awaitable<Response> ListEvents(RequestContext& ctx) {
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  auto state = ReadableCase(ctx, *id);
  if (!state) co_return MakeProblem(ctx, state.error());
  store::EventQuery query;
  query.case_id = *id;
  query.include_internal = ctx.who().IsStaff();
  auto limit = QueryLimit(ctx, 100, 500);
  if (!limit) co_return MakeProblem(ctx, limit.error());
  query.limit = *limit;
  auto cursor = QueryCursor(ctx);
  if (!cursor) co_return MakeProblem(ctx, cursor.error());
  query.after_seq = cursor->value_or(0);
  auto page = ctx.services.store.ListEvents(query);
  if (!page) co_return MakeProblem(ctx, page.error());
  json::array items;
  items.reserve(page->events.size());
  for (const auto& event : page->events) {
    if (domain::CanSeeEvent(ctx.who(), event)) items.emplace_back(EventView(event));
  }
  json::value next = nullptr;
  if (page->next_after_seq) next = EncodeCursor(*page->next_after_seq);
  co_return MakeReply(
      ctx, Reply{status::ok, json::object{{"items", std::move(items)}, {"next_cursor", next}}, {}});
}

}  // namespace

void RegisterCaseRoutes(Router& router) {
  router.Add(verb::post, "/api/v1/cases", Access::kAuthenticated, CreateCase);
  router.Add(verb::get, "/api/v1/cases", Access::kAuthenticated, ListCases);
  router.Add(verb::get, "/api/v1/cases/search", Access::kStaff, SearchCases);
  router.Add(verb::get, "/api/v1/queues", Access::kStaff, ListQueues);
  router.Add(verb::get, "/api/v1/cases/{id}", Access::kAuthenticated, GetCase);
  router.Add(verb::get, "/api/v1/cases/{id}/events", Access::kAuthenticated, ListEvents);
}

}  // namespace redress::http::api
