// What the LMTP listener tells the MTA about a message, from what the intake did with it.
// 2xx only after the write committed (the message is durably stored); 4xx when the store
// could not write, so that the MTA keeps the message and tries again; 5xx only for what
// no retry can fix (not a message at all), and even that was stored raw as received.
#pragma once

#include "app/mail_intake.h"
#include "channels/email/transport/lmtp_protocol.h"
#include "core/result.h"

namespace redress::lmtp {

email::LmtpReply ReplyFor(const Result<app::IntakeResult>& filed);

}  // namespace redress::lmtp
