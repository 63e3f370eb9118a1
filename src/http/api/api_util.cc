#include "http/api/api_util.h"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <memory>

#include "app/awaitables.h"
#include "app/services.h"
#include "core/sha256.h"
#include "http/json_body.h"
#include "http/response.h"

namespace redress::http::api {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::status;

constexpr size_t kMaxIdempotencyKey = 255;

std::optional<int64_t> ParsePositive(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || value < 0) return std::nullopt;
  return value;
}

std::string IdempotencyScope(const domain::Principal& who) {
  return std::string(who.IsCustomer() ? "customer:" : "user:") + std::to_string(who.id);
}

Result<std::optional<std::string>> IdempotencyKey(const RequestContext& ctx) {
  auto key = ctx.Header("Idempotency-Key");
  if (!key) return std::optional<std::string>();
  bool printable = !key->empty() && key->size() <= kMaxIdempotencyKey;
  for (char c : *key) printable = printable && c >= 0x20 && c < 0x7f;
  if (!printable) {
    return Fail(ErrorCode::kInvalidArgument,
                "header Idempotency-Key must be 1 to 255 printable ASCII characters",
                "Idempotency-Key");
  }
  return std::optional<std::string>(std::string(*key));
}

}  // namespace

Response MakeReply(const RequestContext& /*ctx*/, const Reply& reply) {
  Response response = JsonResponse(reply.status, reply.body);
  if (!reply.location.empty()) response.set(field::location, reply.location);
  return response;
}

Response MakeProblem(const RequestContext& ctx, const Error& error) {
  return ProblemResponse(error, ctx.request_id);
}

Result<json::object> BodyObject(const RequestContext& ctx) {
  return ParseJsonObject(ctx.request.body());
}

Result<int64_t> PathId(const RequestContext& ctx, std::string_view name) {
  auto it = ctx.path_params.find(name);
  std::string_view text = it == ctx.path_params.end() ? std::string_view() : it->second;
  auto value = ParsePositive(text);
  if (!value || *value == 0) {
    return Fail(ErrorCode::kNotFound, "'" + std::string(text) + "' is not an id that exists");
  }
  return *value;
}

Result<std::optional<int64_t>> QueryInt(const RequestContext& ctx, std::string_view name) {
  auto it = ctx.query.find(name);
  if (it == ctx.query.end()) return std::optional<int64_t>();
  auto value = ParsePositive(it->second);
  if (!value) {
    return Fail(ErrorCode::kInvalidArgument,
                "query parameter '" + std::string(name) + "' must be a non-negative integer, got '" +
                    it->second + "'",
                std::string(name));
  }
  return std::optional<int64_t>(*value);
}

Result<int> QueryLimit(const RequestContext& ctx, int fallback, int max) {
  auto limit = QueryInt(ctx, "limit");
  if (!limit) return Fail(limit.error());
  if (!*limit) return fallback;
  if (**limit < 1 || **limit > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "query parameter 'limit' must be between 1 and " + std::to_string(max), "limit");
  }
  return static_cast<int>(**limit);
}

// Cursors are "c" + decimal position today; clients must treat them as opaque.
std::string EncodeCursor(int64_t position) { return "c" + std::to_string(position); }

Result<std::optional<int64_t>> QueryCursor(const RequestContext& ctx) {
  auto it = ctx.query.find("cursor");
  if (it == ctx.query.end()) return std::optional<int64_t>();
  const std::string& text = it->second;
  std::optional<int64_t> position;
  if (text.size() > 1 && text[0] == 'c') position = ParsePositive(std::string_view(text).substr(1));
  if (!position) {
    return Fail(ErrorCode::kInvalidArgument,
                "query parameter 'cursor' is not a cursor this server gave out", "cursor");
  }
  return position;
}

asio::awaitable<Response> DurableWrite(RequestContext& ctx, WriteBody body) {
  // Keys are scoped to a principal; anonymous writes (login) never replay, since one
  // caller's stored reply must not be handed to another.
  auto key = ctx.principal ? IdempotencyKey(ctx) : Result<std::optional<std::string>>();
  if (!key) co_return MakeProblem(ctx, key.error());
  const std::string scope = ctx.principal ? IdempotencyScope(*ctx.principal) : "";
  const std::string fingerprint = Sha256Hex(
      std::string(ctx.request.method_string()) + " " + ctx.path + "\n" + ctx.request.body());
  const Timestamp now = ctx.services.clock.Now();

  std::optional<Reply> reply;
  bool replayed = false;
  store::WriteFn work = [&](store::WriteTx& tx) -> Result<void> {
    if (*key) {
      auto stored = tx.FindIdempotency(scope, **key);
      if (!stored) return Fail(stored.error());
      if (*stored) {
        if ((*stored)->fingerprint != fingerprint) {
          return Fail(ErrorCode::kPreconditionFailed,
                      "this Idempotency-Key was already used for a different request");
        }
        boost::system::error_code ec;
        json::value stored_body = json::parse((*stored)->body, ec);
        if (ec) return Fail(ErrorCode::kCorruption, "stored idempotent reply is not JSON");
        reply = Reply{static_cast<status>((*stored)->status), std::move(stored_body),
                      (*stored)->location};
        replayed = true;
        return {};
      }
    }
    auto made = body(tx);
    if (!made) return Fail(made.error());
    if (*key) {
      store::IdempotencyRecord record{scope, **key, fingerprint, static_cast<int>(made->status),
                                      json::serialize(made->body), made->location, now};
      if (auto saved = tx.InsertIdempotency(record); !saved) return Fail(saved.error());
    }
    reply = std::move(*made);
    return {};
  };
  Result<void> written = co_await app::WriteDurably(ctx.services.store, std::move(work));
  if (!written) co_return MakeProblem(ctx, written.error());
  Response response = MakeReply(ctx, *reply);
  if (replayed) response.set("Idempotency-Replayed", "true");
  co_return response;
}

}  // namespace redress::http::api
