#include "http/problem.h"

#include <string>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "app/log.h"

namespace redress::http {

namespace http = boost::beast::http;

namespace {

struct ProblemInfo {
  http::status status;
  std::string_view uri;
  std::string_view title;
};

ProblemInfo Info(ProblemType type) {
  switch (type) {
    case ProblemType::kMalformedJson:
      return {http::status::bad_request, "https://redress.dev/problems/malformed-json",
              "Malformed JSON"};
    case ProblemType::kBadRequest:
      return {http::status::bad_request, "https://redress.dev/problems/bad-request", "Bad request"};
    case ProblemType::kUnauthenticated:
      return {http::status::unauthorized, "https://redress.dev/problems/unauthenticated",
              "Authentication required"};
    case ProblemType::kPermissionDenied:
      return {http::status::forbidden, "https://redress.dev/problems/permission-denied",
              "Permission denied"};
    case ProblemType::kNotFound:
      return {http::status::not_found, "https://redress.dev/problems/not-found", "Not found"};
    case ProblemType::kMethodNotAllowed:
      return {http::status::method_not_allowed, "https://redress.dev/problems/method-not-allowed",
              "Method not allowed"};
    case ProblemType::kConflict:
      return {http::status::conflict, "https://redress.dev/problems/conflict", "Conflict"};
    case ProblemType::kPayloadTooLarge:
      return {http::status::payload_too_large, "https://redress.dev/problems/payload-too-large",
              "Payload too large"};
    case ProblemType::kUnsupportedMediaType:
      return {http::status::unsupported_media_type,
              "https://redress.dev/problems/unsupported-media-type", "Unsupported media type"};
    case ProblemType::kInvalidArgument:
      return {http::status::unprocessable_entity, "https://redress.dev/problems/invalid-argument",
              "Invalid request"};
    case ProblemType::kIdempotencyKeyReused:
      return {http::status::unprocessable_entity,
              "https://redress.dev/problems/idempotency-key-reused", "Idempotency key reused"};
    case ProblemType::kInternal:
      return {http::status::internal_server_error, "https://redress.dev/problems/internal",
              "Internal error"};
    case ProblemType::kUnavailable:
      return {http::status::service_unavailable, "https://redress.dev/problems/unavailable",
              "Service unavailable"};
  }
  return {http::status::internal_server_error, "https://redress.dev/problems/internal",
          "Internal error"};
}

}  // namespace

http::status ProblemStatus(ProblemType type) { return Info(type).status; }
std::string_view ProblemTypeUri(ProblemType type) { return Info(type).uri; }
std::string_view ProblemTitle(ProblemType type) { return Info(type).title; }

ProblemType ProblemTypeFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return error.field == kMalformedJsonField ? ProblemType::kMalformedJson
                                                : ProblemType::kInvalidArgument;
    case ErrorCode::kNotFound: return ProblemType::kNotFound;
    case ErrorCode::kConflict: return ProblemType::kConflict;
    case ErrorCode::kPermissionDenied: return ProblemType::kPermissionDenied;
    case ErrorCode::kUnauthenticated: return ProblemType::kUnauthenticated;
    case ErrorCode::kPayloadTooLarge: return ProblemType::kPayloadTooLarge;
    case ErrorCode::kPreconditionFailed: return ProblemType::kIdempotencyKeyReused;
    case ErrorCode::kUnavailable: return ProblemType::kUnavailable;
    case ErrorCode::kCorruption: return ProblemType::kInternal;
    case ErrorCode::kInternal: return ProblemType::kInternal;
  }
  return ProblemType::kInternal;
}

Response Problem(ProblemType type, std::string_view detail, std::string_view request_id,
                 std::string_view field) {
  const ProblemInfo info = Info(type);
  boost::json::object body;
  body["type"] = info.uri;
  body["title"] = info.title;
  body["status"] = static_cast<int>(info.status);
  body["detail"] = detail;
  if (!field.empty()) body["field"] = field;
  body["request_id"] = request_id;

  Response res{info.status, 11};
  res.set(http::field::content_type, "application/problem+json");
  if (type == ProblemType::kUnauthenticated) {
    res.set(http::field::www_authenticate, "Bearer realm=\"redress\"");
  } else if (type == ProblemType::kUnavailable) {
    res.set(http::field::retry_after, "1");
  }
  res.body() = boost::json::serialize(body);
  return res;
}

Response ProblemResponse(const Error& error, std::string_view request_id) {
  const ProblemType type = ProblemTypeFor(error);
  if (type == ProblemType::kInternal) {
    app::Log(app::LogLevel::kError, "internal error",
             {{"request_id", request_id},
              {"code", ErrorCodeName(error.code)},
              {"error", error.message}});
    return Problem(type, "internal error; the server log has the details under this request_id",
                   request_id);
  }
  std::string_view field = error.field == kMalformedJsonField ? std::string_view() : error.field;
  return Problem(type, error.message, request_id, field);
}

}  // namespace redress::http
