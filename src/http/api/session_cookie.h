// The Set-Cookie value of a session: HttpOnly, SameSite=Strict, Secure when configured.
// Shared by password login, logout and sign-in links.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "app/auth_service.h"
#include "app/config.h"

namespace redress::http::api {

inline std::string SessionCookie(const app::Config& config, std::string_view value,
                                 int64_t max_age) {
  std::string cookie(app::kSessionCookieName);
  cookie += "=";
  cookie += value;
  cookie += "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (config.secure_cookies) cookie += "; Secure";
  return cookie;
}

}  // namespace redress::http::api
