// A session handed to a browser: the Set-Cookie value (HttpOnly, SameSite=Strict, Secure
// when configured) and the two halves of starting one, shared by password login and
// sign-in links so that both answer exactly alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "app/auth_service.h"
#include "app/config.h"
#include "core/result.h"
#include "http/api/api_util.h"
#include "http/context.h"
#include "store/store.h"

namespace redress::http::api {

std::string SessionCookie(const app::Config& config, std::string_view value, int64_t max_age);

/// Inside the write: stores the granted session and builds the 200 reply
/// ({principal, csrf_token, expires_at}).
Result<Reply> StoreSession(store::WriteTx& tx, const app::LoginGrant& grant);

/// After the write answered 200: the session cookie and `Cache-Control: no-store`.
void AttachSessionCookie(Response& response, const app::Config& config,
                         const app::LoginGrant& grant);

}  // namespace redress::http::api
