// The one question the outbound queue asks about a failed delivery: will trying again
// help? SMTP answers it with the first digit of a reply (RFC 5321 4.2.1: 4yz transient,
// 5yz permanent); failures that never reached a reply (connection refused, timeout, TLS)
// are temporary, because they usually heal without anyone changing the message.
#pragma once

namespace redress::email::transport {

enum class FailureClass {
  kTemporary,  // retry later (RetryPolicy decides when, and when to give up)
  kPermanent,  // retrying the same message to the same recipient cannot succeed: bounce now
};

/// The stable lowercase name ("temporary", "permanent").
const char* FailureClassName(FailureClass failure);

/// 5xx is permanent; everything else a server may answer with (4xx, or a code outside the
/// 4xx-5xx range, which only a broken server sends) is temporary.
FailureClass ClassifySmtpReplyCode(int code);

}  // namespace redress::email::transport
