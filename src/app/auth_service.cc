#include "app/auth_service.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "auth/password.h"
#include "auth/secret_token.h"
#include "domain/customer.h"

namespace redress::app {
namespace {

constexpr std::string_view kBadLogin = "email or password is wrong";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string_view> FindCookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = Trim(header.substr(0, end));
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
      return Trim(pair.substr(eq + 1));
    }
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

Result<domain::Principal> AuthService::PrincipalFor(const domain::CredentialOwner& owner) const {
  if (owner.role == domain::Role::kCustomer) {
    auto customer = store_.GetCustomer(owner.id);
    if (!customer) {
      if (customer.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kUnauthenticated, "the credential's customer no longer exists");
      }
      return Fail(customer.error());
    }
    return domain::Principal{domain::Role::kCustomer, customer->id, customer->name, 0};
  }
  auto user = store_.GetUser(owner.id);
  if (!user) {
    if (user.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kUnauthenticated, "the credential's user no longer exists");
    }
    return Fail(user.error());
  }
  if (!user->active) return Fail(ErrorCode::kUnauthenticated, "this account is deactivated");
  return user->AsPrincipal();
}

Result<std::optional<Authenticated>> AuthService::Authenticate(
    std::optional<std::string_view> authorization, std::optional<std::string_view> cookie) const {
  const Timestamp now = clock_.Now();
  if (authorization) {
    std::string_view value = Trim(*authorization);
    constexpr std::string_view kBearer = "Bearer ";
    if (value.size() < kBearer.size() ||
        !std::equal(kBearer.begin(), kBearer.end(), value.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return Fail(ErrorCode::kUnauthenticated,
                  "the Authorization header must be 'Bearer <token>'");
    }
    std::string_view token = Trim(value.substr(kBearer.size()));
    auto found = store_.FindApiToken(auth::HashSecret(token));
    if (!found) return Fail(found.error());
    if (!*found) return Fail(ErrorCode::kUnauthenticated, "the bearer token is not valid");
    if ((*found)->expires_at && *(*found)->expires_at <= now) {
      return Fail(ErrorCode::kUnauthenticated, "the bearer token has expired");
    }
    auto principal = PrincipalFor((*found)->owner);
    if (!principal) return Fail(principal.error());
    return Authenticated{std::move(*principal), false, {}};
  }
  if (cookie) {
    auto value = FindCookie(*cookie, kSessionCookieName);
    if (!value) return std::optional<Authenticated>();
    auto found = store_.FindSession(auth::HashSecret(*value));
    if (!found) return Fail(found.error());
    if (!*found || (*found)->expires_at <= now) {
      return Fail(ErrorCode::kUnauthenticated, "the session has expired; please sign in again");
    }
    auto principal = PrincipalFor((*found)->owner);
    if (!principal) return Fail(principal.error());
    return Authenticated{std::move(*principal), true, (*found)->csrf_token};
  }
  return std::optional<Authenticated>();
}

Result<LoginGrant> AuthService::PrepareLogin(std::string_view email,
                                             std::string_view password) const {
  auto normalized = domain::NormalizeEmail(email);
  if (!normalized) return Fail(ErrorCode::kUnauthenticated, std::string(kBadLogin));

  std::optional<domain::CredentialOwner> owner;
  std::string hash;
  auto user = store_.FindUserByEmail(*normalized);
  if (!user) return Fail(user.error());
  if (*user && (*user)->active) {
    owner = domain::CredentialOwner{(*user)->role, (*user)->id};
    hash = (*user)->password_hash;
  } else if (!*user) {
    auto customer = store_.FindCustomerLogin(*normalized);
    if (!customer) return Fail(customer.error());
    if (*customer) {
      owner = domain::CredentialOwner{domain::Role::kCustomer, (*customer)->first.id};
      hash = (*customer)->second;
    }
  }
  // Verify against a real hash even when there is no account, so that timing does not
  // tell which emails exist.
  static const std::string kDummyHash =
      auth::HashPassword("not-a-real-password", auth::HashCost::kInteractive).value_or("");
  const bool ok = !hash.empty() ? auth::VerifyPassword(hash, password)
                                : (auth::VerifyPassword(kDummyHash, password), false);
  if (!owner || !ok) return Fail(ErrorCode::kUnauthenticated, std::string(kBadLogin));

  return GrantSession(*owner);
}

Result<LoginGrant> AuthService::GrantSession(const domain::CredentialOwner& owner) const {
  auto principal = PrincipalFor(owner);
  if (!principal) return Fail(principal.error());

  const Timestamp now = clock_.Now();
  LoginGrant grant;
  grant.principal = std::move(*principal);
  grant.session_cookie = auth::NewSecretToken(auth::kSessionPrefix);
  grant.session.session_hash = auth::HashSecret(grant.session_cookie);
  grant.session.owner = owner;
  grant.session.csrf_token = auth::NewSecretToken(auth::kCsrfPrefix);
  grant.session.created_at = now;
  grant.session.expires_at = now + std::chrono::hours(config_.session_ttl_hours);
  return grant;
}

Result<std::string> AuthService::CreateApiToken(const domain::CredentialOwner& owner,
                                                const std::string& label) {
  if (auto principal = PrincipalFor(owner); !principal) {
    if (principal.error().code == ErrorCode::kUnauthenticated) {
      return Fail(ErrorCode::kNotFound, principal.error().message);
    }
    return Fail(principal.error());
  }
  std::string secret = auth::NewSecretToken(auth::kApiTokenPrefix);
  domain::ApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.owner = owner;
  token.label = label;
  token.created_at = clock_.Now();
  auto written = store_.Write(
      [&](store::WriteTx& tx) -> Result<void> { return tx.InsertApiToken(token); });
  if (!written) return Fail(written.error());
  return secret;
}

}  // namespace redress::app
