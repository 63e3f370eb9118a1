// Small helpers shared by the API resources: reading bodies and query parameters with
// precise errors, building replies, and the write path that every POST shares
// (idempotency, group-committed durable write, reply).
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/awaitables.h"
#include "app/services.h"
#include "core/result.h"
#include "http/context.h"
#include "store/store.h"

namespace redress::http::api {

/// What a write produced: the status, JSON body and optional Location of the reply.
struct Reply {
  boost::beast::http::status status = boost::beast::http::status::ok;
  boost::json::value body;
  std::string location;
};

Response MakeReply(const RequestContext& ctx, const Reply& reply);
Response MakeProblem(const RequestContext& ctx, const Error& error);

/// The request body as a JSON object, or the error to answer with (400 malformed JSON
/// with line and column, 422 not an object).
Result<boost::json::object> BodyObject(const RequestContext& ctx);

/// A path parameter that must be a positive integer id; kNotFound otherwise (a malformed
/// id names nothing that exists).
Result<int64_t> PathId(const RequestContext& ctx, std::string_view name);

/// `?limit=` within [1, max], default `fallback`; kInvalidArgument naming "limit".
Result<int> QueryLimit(const RequestContext& ctx, int fallback, int max);

/// An optional integer query parameter; kInvalidArgument naming it when malformed.
Result<std::optional<int64_t>> QueryInt(const RequestContext& ctx, std::string_view name);

/// Opaque pagination cursors. The encoding is ours to change: clients pass them back.
std::string EncodeCursor(int64_t position);
Result<std::optional<int64_t>> QueryCursor(const RequestContext& ctx);

/// Runs `work` on the CPU pool (app::Services::cpu) and resumes the calling coroutine on
/// its own I/O thread with the result. For work that takes milliseconds (password hashing).
template <class T>
boost::asio::awaitable<Result<T>> OnCpuPool(RequestContext& ctx, std::function<Result<T>()> work);

using WriteBody = std::function<Result<Reply>(store::WriteTx&)>;

/// Runs `body` in one durable transaction and answers with its Reply. Honours
/// Idempotency-Key: a retry by the same principal with the same request replays the stored
/// reply (Idempotency-Replayed: true) without writing; the same key with a different
/// request is kPreconditionFailed. Errors from `body` become problems.
boost::asio::awaitable<Response> DurableWrite(RequestContext& ctx, WriteBody body);

// ---- template definitions

template <class T>
boost::asio::awaitable<Result<T>> OnCpuPool(RequestContext& ctx,
                                            std::function<Result<T>()> work) {
  return app::RunOnPool<Result<T>>(ctx.services.cpu, std::move(work));
}

}  // namespace redress::http::api
