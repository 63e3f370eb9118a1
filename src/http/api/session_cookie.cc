#include "http/api/session_cookie.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>

#include "core/time_format.h"
#include "http/api/views.h"

namespace redress::http::api {

std::string SessionCookie(const app::Config& config, std::string_view value, int64_t max_age) {
  std::string cookie(app::kSessionCookieName);
  cookie += "=";
  cookie += value;
  cookie += "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (config.secure_cookies) cookie += "; Secure";
  return cookie;
}

Result<Reply> StoreSession(store::WriteTx& tx, const app::LoginGrant& grant) {
  if (auto inserted = tx.InsertSession(grant.session); !inserted) return Fail(inserted.error());
  return Reply{boost::beast::http::status::ok,
               boost::json::object{{"principal", PrincipalView(grant.principal)},
                                   {"csrf_token", grant.session.csrf_token},
                                   {"expires_at", FormatTimestamp(grant.session.expires_at)}},
               {}};
}

void AttachSessionCookie(Response& response, const app::Config& config,
                         const app::LoginGrant& grant) {
  response.set(
      boost::beast::http::field::set_cookie,
      SessionCookie(config, grant.session_cookie, int64_t{config.session_ttl_hours} * 3600));
  response.set(boost::beast::http::field::cache_control, "no-store");
}

}  // namespace redress::http::api
