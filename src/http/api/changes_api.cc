// GET /api/v1/changes: a server-sent-events stream telling a browser which cases changed,
// whichever node the change was made on (the store's change feed: LISTEN/NOTIFY on
// PostgreSQL, an in-process hub on SQLite). It carries ids, not content: the page then
// fetches what it shows through the ordinary routes, so every permission check stays
// where it is.
//
// A customer hears only of their own cases, and only when something they can see
// changed: a public event appended since the stream last looked at the case. An internal
// note alone makes no event (otherwise the timing of notes would leak).
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "app/log.h"
#include "app/services.h"
#include "domain/permissions.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"
#include "http/response.h"

namespace redress::http::api {
namespace {

namespace asio = boost::asio;
using boost::beast::http::status;
using boost::beast::http::verb;
using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code, int64_t)>;

// Case ids waiting to be sent. A viewer that falls this far behind is told to resync
// (refetch everything it shows) instead of being sent a partial picture.
constexpr size_t kBacklog = 4096;
// A comment line this often keeps proxies from closing an idle stream and lets the
// server notice a client that went away.
constexpr auto kPingEvery = std::chrono::seconds(15);
// Customers' cases remembered per stream (the seq accounted for), to tell a visible change
// from an internal one; a stream starts with the customer's newest cases.
constexpr size_t kRememberedViews = 1024;
constexpr int kInitialViews = 200;

struct Feed {
  explicit Feed(const asio::any_io_executor& executor) : channel(executor, kBacklog) {}
  Channel channel;
  std::atomic<bool> overflowed{false};
};

class ChangeStream {
 public:
  ChangeStream(std::shared_ptr<Feed> feed, std::shared_ptr<store::Subscription> subscription,
               store::Store& store, domain::Principal viewer)
      : feed_(std::move(feed)),
        subscription_(std::move(subscription)),
        store_(store),
        viewer_(std::move(viewer)) {}

  /// For a customer: remembers how far the chains of their newest cases go now, so that a
  /// later change with no public event (an internal note) is recognised as such.
  Result<void> RememberCustomerViews() {
    if (!viewer_.IsCustomer()) return {};
    store::CaseQuery query;
    query.customer_id = viewer_.id;
    query.limit = kInitialViews;
    auto page = store_.ListCases(query);
    if (!page) return Fail(page.error());
    for (const auto& state : page->cases) {
      customer_seen_.emplace(state.id, state.last_seq);
    }
    return {};
  }

  asio::awaitable<void> Run(StreamWriter& out) {
    out.OnStop([feed = feed_] { feed->channel.close(); });
    if (!co_await out.Write("retry: 2000\n\n")) co_return;
    using namespace asio::experimental::awaitable_operators;
    constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
    asio::steady_timer ping(co_await asio::this_coro::executor);
    for (;;) {
      ping.expires_after(kPingEvery);
      auto next = co_await (feed_->channel.async_receive(kAwait) || ping.async_wait(kAwait));
      if (next.index() == 1) {
        if (!co_await out.Write(": ping\n\n")) co_return;
        continue;
      }
      auto [ec, first] = std::get<0>(next);
      if (ec) co_return;  // closed: the server is shutting down
      // Everything already waiting goes out as one write, one event per case.
      std::set<int64_t> changed{first};
      while (feed_->channel.try_receive([&](boost::system::error_code e, int64_t id) {
        if (!e) changed.insert(id);
      })) {
      }
      std::string batch;
      if (feed_->overflowed.exchange(false)) batch += "event: resync\ndata: {}\n\n";
      for (int64_t case_id : changed) batch += EventFor(case_id);
      if (!batch.empty() && !co_await out.Write(std::move(batch))) co_return;
    }
  }

 private:
  std::string EventFor(int64_t case_id) {
    auto state = store_.GetCase(case_id);
    if (!state) {
      if (state.error().code != ErrorCode::kNotFound) {
        app::Log(app::LogLevel::kWarn, "change stream could not read a case",
                 {{"case_id", case_id}, {"error", state.error().message}});
      }
      return {};
    }
    if (!domain::CanReadCase(viewer_, *state)) return {};
    if (viewer_.IsCustomer()) {
      auto [it, inserted] = customer_seen_.try_emplace(case_id, state->last_seq);
      if (!inserted) {
        if (!HasPublicEventsAfter(case_id, it->second)) {
          it->second = state->last_seq;
          return {};
        }
        it->second = state->last_seq;
      } else if (customer_seen_.size() > kRememberedViews) {
        customer_seen_.erase(customer_seen_.begin() == it ? std::next(it)
                                                          : customer_seen_.begin());
      }
      return fmt::format("event: case\ndata: {{\"case_id\":{}}}\n\n", case_id);
    }
    return fmt::format("event: case\ndata: {{\"case_id\":{},\"last_seq\":{}}}\n\n", case_id,
                       state->last_seq);
  }

  std::shared_ptr<Feed> feed_;
  std::shared_ptr<store::Subscription> subscription_;  // unsubscribes when the stream ends
  store::Store& store_;
  const domain::Principal viewer_;
  /// Whether the case has an event the customer may see with seq > `seq`. On a read
  /// error, yes: a needless refetch is better than a missed change.
  bool HasPublicEventsAfter(int64_t case_id, int64_t seq) {
    store::EventQuery query;
    query.case_id = case_id;
    query.after_seq = seq;
    query.limit = 1;
    query.include_internal = false;
    auto page = store_.ListEvents(query);
    if (!page) {
      app::Log(app::LogLevel::kWarn, "change stream could not read events",
               {{"case_id", case_id}, {"error", page.error().message}});
      return true;
    }
    return !page->events.empty();
  }

  // Per customer case: the last seq (public or internal) this stream has accounted for.
  std::map<int64_t, int64_t> customer_seen_;
};

asio::awaitable<Response> GetChanges(RequestContext& ctx) {
  auto feed = std::make_shared<Feed>(co_await asio::this_coro::executor);
  auto subscription = ctx.services.store.SubscribeChanges([feed](int64_t case_id) {
    if (!feed->channel.try_send(boost::system::error_code{}, case_id)) {
      feed->overflowed.store(true);
    }
  });
  if (!subscription) co_return MakeProblem(ctx, subscription.error());
  auto stream = std::make_shared<ChangeStream>(
      feed, std::shared_ptr<store::Subscription>(std::move(*subscription)), ctx.services.store,
      ctx.who());
  if (auto remembered = stream->RememberCustomerViews(); !remembered) {
    co_return MakeProblem(ctx, remembered.error());
  }
  ctx.stream = [stream](StreamWriter& out) { return stream->Run(out); };
  co_return Text(status::ok, "", "text/event-stream");
}

}  // namespace

void RegisterChangeRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/changes", Access::kAuthenticated, GetChanges);
}

}  // namespace redress::http::api
