#include "http/api/credential_authenticator.h"

#include <boost/beast/http/field.hpp>

namespace redress::http::api {

Result<std::optional<AuthResult>> CredentialAuthenticator::Authenticate(const Request& request) {
  using boost::beast::http::field;
  std::optional<std::string_view> authorization;
  std::optional<std::string_view> cookie;
  if (auto it = request.find(field::authorization); it != request.end()) {
    authorization = it->value();
  }
  if (auto it = request.find(field::cookie); it != request.end()) cookie = it->value();
  auto found = auth_.Authenticate(authorization, cookie);
  if (!found) return Fail(found.error());
  if (!*found) return std::optional<AuthResult>();
  return std::optional<AuthResult>(
      AuthResult{(*found)->principal, (*found)->via_session_cookie, (*found)->csrf_token});
}

}  // namespace redress::http::api
