// Hands one raw message to a running Redress server over HTTP(S) (POST
// /api/v1/inbound/email), for the MTA's pipe program: the mail host then needs no database
// access, only the server's URL and a mailgate account's token.
//
// Boost.Beast over Boost.Asio and OpenSSL, and nothing else: the pipe program starts once
// per message, and every shared library it loads costs that start (`curl --version`, which
// loads libcurl's, takes about 29 ms per start on the 2-core test machine; docs/email.md).
//
// The token is sent as a Bearer header and never appears in an error message.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"

namespace redress::mailgate {

struct HttpHandoff {
  std::string base_url;  // "http://127.0.0.1:8080" or "https://help.acme.example/redress"
  std::string token;     // a mailgate account's (or an admin's) API token
  std::string mailbox;   // ?mailbox=, "" for none
  std::string ca_file;   // for https:// with a private CA; "" = the system's trusted CAs
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};  // the whole exchange
};

struct HttpHandoffReply {
  int status = 0;
  std::string body;  // the server's JSON or problem document (at most 1 MiB is read)
};

/// POSTs `raw` as message/rfc822. Any HTTP answer is a reply (the caller judges its
/// status); only "no answer" is an error: kUnavailable for connection, TLS and protocol
/// failures and the timeout, kInvalidArgument for a URL that is not http(s)://host[:port]
/// with an optional path (user:password@ is refused: credentials go in the token file).
Result<HttpHandoffReply> SubmitOverHttp(const HttpHandoff& handoff, const std::string& raw);

}  // namespace redress::mailgate
