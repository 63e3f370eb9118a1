// Staff accounts and the credentials that stand for a principal. Secrets are never stored:
// passwords as argon2id hashes, API tokens and session ids as SHA-256 digests (they are
// long random strings, so a fast hash is enough and lookups stay O(1)).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "domain/principal.h"

namespace redress::domain {

struct User {
  int64_t id = 0;
  std::string email;  // normalised, unique among users
  std::string display_name;
  Role role = Role::kAgent;  // never kCustomer or kSystem
  int level = 1;             // escalation level, 1 = front line
  bool active = true;
  std::string password_hash;  // argon2id encoded string; empty = password login disabled
  Timestamp created_at{};

  Principal AsPrincipal() const { return Principal{role, id, display_name, level}; }
};

/// Whom a credential belongs to: a staff user or a customer.
struct CredentialOwner {
  Role role = Role::kAgent;  // kCustomer, or the staff role
  int64_t id = 0;            // user id or customer id
};

struct ApiToken {
  std::string token_hash;  // hex SHA-256 of the bearer token
  CredentialOwner owner;
  std::string label;
  Timestamp created_at{};
  std::optional<Timestamp> expires_at;
};

struct Session {
  std::string session_hash;  // hex SHA-256 of the cookie value
  CredentialOwner owner;
  std::string csrf_token;  // must accompany unsafe methods made with the cookie
  Timestamp created_at{};
  Timestamp expires_at{};
};

}  // namespace redress::domain
