// How the server learns who is calling. The HTTP layer only enforces the outcome (401,
// 403 by Access, CSRF for cookie sessions); resolving credentials (bearer tokens, session
// cookies, their expiry) belongs to the app layer, which implements this interface.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "domain/principal.h"
#include "http/context.h"

namespace redress::http {

struct AuthResult {
  domain::Principal principal;
  /// True when the credentials came from the session cookie rather than an Authorization
  /// header: a browser sends cookies on its own, so unsafe methods must then prove intent
  /// with the X-CSRF-Token header.
  bool via_session_cookie = false;
  /// The session's CSRF token (only meaningful with via_session_cookie).
  std::string csrf_token;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;

  /// Resolves the request's credentials to a principal. nullopt = no credentials presented.
  /// kUnauthenticated for credentials presented but invalid or expired; any other error
  /// (e.g. kUnavailable when the store is busy) is answered as its own problem.
  /// Called on an I/O thread for every request to a route that is not Access::kAnyone;
  /// must be thread-safe and quick.
  virtual Result<std::optional<AuthResult>> Authenticate(const Request& request) = 0;
};

}  // namespace redress::http
