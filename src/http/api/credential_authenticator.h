// The server's Authenticator, backed by app::AuthService: Bearer tokens and session
// cookies resolved against the store on every request.
#pragma once

#include "app/auth_service.h"
#include "http/authenticator.h"

namespace redress::http::api {

class CredentialAuthenticator final : public Authenticator {
 public:
  explicit CredentialAuthenticator(const app::AuthService& auth) : auth_(auth) {}
  Result<std::optional<AuthResult>> Authenticate(const Request& request) override;

 private:
  const app::AuthService& auth_;
};

}  // namespace redress::http::api
