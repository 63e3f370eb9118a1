// Errors as values. Every fallible operation at a boundary returns Result<T>: either a
// value or an Error with a closed ErrorCode (which the HTTP layer maps to a status) and a
// message written for the person who made the mistake ("field 'subject' must be a string",
// not "type error"). Exceptions are kept for the truly exceptional (out of memory, a
// broken invariant), never for bad input.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace redress {

enum class ErrorCode {
  kInvalidArgument,     // the caller's input is wrong; message says what and where
  kNotFound,            // no such thing, or the caller may not know it exists
  kConflict,            // the request contradicts current state (closed case, duplicate identity)
  kPermissionDenied,    // authenticated, but this role may not do this
  kUnauthenticated,     // no valid credentials
  kPayloadTooLarge,     // over a configured size limit
  kPreconditionFailed,  // e.g. an Idempotency-Key reused with a different request
  kCorruption,          // stored data fails its own checks (hash chain broken)
  kUnavailable,         // a transient failure; retrying may succeed (database busy, disk full)
  kInternal,            // a bug or an unexpected failure of a dependency
};

/// The stable lowercase name of a code ("invalid_argument"), used in logs and problem types.
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // complete sentence for a human, no trailing period needed
  std::string field;    // for kInvalidArgument: the offending field ("emails[1]"), else empty
};

template <class T>
using Result = tl::expected<T, Error>;

/// Builds the unexpected side of a Result: `return Fail(ErrorCode::kNotFound, "no case 42");`
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message, std::string field = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace redress
