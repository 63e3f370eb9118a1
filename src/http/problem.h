// Error responses: RFC 9457 problem details (application/problem+json), the one shape of
// every error the API returns (docs/api.md, "Conventions"). Example body:
//
//   {"type":"https://redress.dev/problems/invalid-argument","title":"Invalid request",
//    "status":422,"detail":"field 'subject' must be a string, got number",
//    "field":"subject","request_id":"9f2c4e1a0b7d3c55"}
//
// Each ProblemType fixes status, type URI and title together so they cannot disagree;
// the detail is the human message from the Error.
#pragma once

#include <string_view>

#include <boost/beast/http/status.hpp>

#include "core/result.h"
#include "http/context.h"

namespace redress::http {

/// Error::field value marking "the request body is not JSON at all" (a syntax error or an
/// empty body; produced by ParseJsonObject). ErrorCode stays kInvalidArgument so code that
/// only passes errors on needs no special case; ProblemResponse answers it with 400
/// malformed-json instead of 422 invalid-argument and leaves out the "field" member.
inline constexpr std::string_view kMalformedJsonField = "$body";

enum class ProblemType {
  kMalformedJson,         // 400 malformed-json
  kBadRequest,            // 400 bad-request: an unparseable request target or HTTP message
  kUnauthenticated,       // 401 unauthenticated, with WWW-Authenticate: Bearer realm="redress"
  kPermissionDenied,      // 403 permission-denied
  kNotFound,              // 404 not-found
  kMethodNotAllowed,      // 405 method-not-allowed; the caller adds Allow
  kConflict,              // 409 conflict
  kPayloadTooLarge,       // 413 payload-too-large
  kUnsupportedMediaType,  // 415 unsupported-media-type
  kInvalidArgument,       // 422 invalid-argument
  kIdempotencyKeyReused,  // 422 idempotency-key-reused
  kInternal,              // 500 internal
  kUnavailable,           // 503 unavailable, with Retry-After: 1
};

boost::beast::http::status ProblemStatus(ProblemType type);
/// "https://redress.dev/problems/not-found"
std::string_view ProblemTypeUri(ProblemType type);
std::string_view ProblemTitle(ProblemType type);

/// The problem type for an Error: docs/api.md's table (kPreconditionFailed is
/// idempotency-key-reused, kCorruption is internal, kMalformedJsonField is malformed-json).
ProblemType ProblemTypeFor(const Error& error);

/// A problem response with `detail`, and "field" when `field` is not empty.
Response Problem(ProblemType type, std::string_view detail, std::string_view request_id,
                 std::string_view field = {});

/// The problem response for an Error returned by a lower layer. kInternal and kCorruption
/// messages may name tables, files or invariants, so they are logged here (error level,
/// with the request id) and the client gets a generic detail pointing at the request id.
Response ProblemResponse(const Error& error, std::string_view request_id);

}  // namespace redress::http
