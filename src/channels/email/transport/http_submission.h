// Hands one raw message to a running Redress server over HTTP (POST
// /api/v1/inbound/email), for `redress mailgate --url`: the MTA's pipe program then needs
// no database access on the mail host, only the server's URL and a mailgate account's token.
//
// The token is sent as a Bearer header and never appears in an error message; it comes
// from a file or the environment, never from the command line (argv is world-readable).
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"

namespace redress::email::transport {

struct HttpSubmission {
  std::string base_url;  // "http://127.0.0.1:8080" (a trailing "/" is ignored)
  std::string token;     // a mailgate account's (or an admin's) API token
  std::string mailbox;   // ?mailbox=, "" for none
  std::string ca_file;   // for https:// with a private CA; "" = the system store
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};  // the whole exchange
};

struct HttpSubmissionReply {
  int status = 0;
  std::string body;  // the server's JSON or problem document
};

/// POSTs `raw` as message/rfc822. Any HTTP answer is a reply (the caller judges its
/// status); only "no answer" is an error: kUnavailable for connection failures and
/// timeouts, kInvalidArgument for a malformed URL.
Result<HttpSubmissionReply> SubmitOverHttp(const HttpSubmission& submission, const std::string& raw);

}  // namespace redress::email::transport
