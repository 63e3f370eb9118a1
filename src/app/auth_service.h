// Turns credentials into a Principal and back: bearer API tokens, session cookies and
// password login for staff and customers. Only hashes of secrets are stored or compared
// (auth/secret_token.h); a deactivated user's tokens and sessions stop working at once
// because the user record is consulted on every request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/config.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/principal.h"
#include "domain/user.h"
#include "store/store.h"

namespace redress::app {

inline constexpr std::string_view kSessionCookieName = "redress_session";

struct Authenticated {
  domain::Principal principal;
  bool via_session_cookie = false;
  std::string csrf_token;  // for session cookies; empty for bearer tokens
};

struct LoginGrant {
  domain::Principal principal;
  domain::Session session;     // to be stored (hashes only)
  std::string session_cookie;  // the secret cookie value for the client, "rds_..."
};

class AuthService {
 public:
  AuthService(store::Store& store, Clock& clock, const Config& config)
      : store_(store), clock_(clock), config_(config) {}

  /// Resolves the Authorization and Cookie header values. nullopt when neither carries a
  /// credential of ours; kUnauthenticated when one does but it is unknown, expired or its
  /// owner is deactivated. A Bearer header wins over a cookie.
  Result<std::optional<Authenticated>> Authenticate(std::optional<std::string_view> authorization,
                                                    std::optional<std::string_view> cookie) const;

  /// Checks an email and password against staff users first, then customers, and prepares
  /// a session (the caller stores grant.session in a write). Unknown email and wrong
  /// password give the same kUnauthenticated message, and take about the same time.
  Result<LoginGrant> PrepareLogin(std::string_view email, std::string_view password) const;

  /// A new session for `owner` (who has proved who they are some other way, e.g. with a
  /// one-time sign-in link); kUnauthenticated if the owner no longer exists or is inactive.
  Result<LoginGrant> GrantSession(const domain::CredentialOwner& owner) const;

  /// The principal a stored credential stands for, if its owner still exists and is active.
  Result<domain::Principal> PrincipalFor(const domain::CredentialOwner& owner) const;

  /// Creates an API token for `owner` (blocking write) and returns the secret, shown once.
  Result<std::string> CreateApiToken(const domain::CredentialOwner& owner, const std::string& label);

 private:
  store::Store& store_;
  Clock& clock_;
  const Config& config_;
};

/// The value of cookie `name` in a Cookie header ("a=1; redress_session=rds_x"), if any.
std::optional<std::string_view> FindCookie(std::string_view cookie_header, std::string_view name);

}  // namespace redress::app
