// The exit status of `redress mailgate`, the program an MTA (Postfix, Exim, OpenSMTPD)
// pipes each incoming message into. The MTA reads only this number: 0 and it deletes its
// copy, 75 (EX_TEMPFAIL) and it keeps the message and tries again later, anything else in
// sysexits.h and it bounces the message to the sender. So 0 is only for a message that is
// durably stored, and a bounce (65, EX_DATAERR) only for input that is not a message at
// all, or (over HTTP) that the server refuses as too large: every doubt is a 75, because a
// retry can lose nothing and a bounce can.
#pragma once

#include "core/result.h"

namespace redress::mailgate {

inline constexpr int kExitStored = 0;        // EX_OK
inline constexpr int kExitNotAMessage = 65;  // EX_DATAERR
inline constexpr int kExitTryLater = 75;     // EX_TEMPFAIL

enum class MailgateOutcome {
  kStored,         // committed (or was already stored: a redelivered duplicate)
  kNotAMessage,    // empty input, or bytes that cannot be an RFC 5322 message at all
  kTooLarge,       // the server refused it as over its size limit (--url only): bounce,
                   // so the sender learns at once instead of after days of retries
  kCouldNotStore,  // store unreachable, disk full, timeout, a bug: let the MTA retry
};

/// 0, 65 or 75.
int MailgateExitCode(MailgateOutcome outcome);

/// The outcome for the result of handing the message over. Only kInvalidArgument (the
/// parser's "this is not a message") becomes kNotAMessage; every other error, including a
/// size limit (kPayloadTooLarge: the operator may raise it, and the MTA has its own limit
/// and bounce) and kConflict, is kCouldNotStore.
MailgateOutcome MailgateOutcomeOf(const Result<void>& stored);

/// The outcome for the HTTP status of POST /api/v1/inbound/email (`mailgate --url`):
/// 200 and 201 stored; 400 (not a message) and 413 (over the server's limit: the same
/// message would be refused on every retry) bounce; every other status, 401, 403 and 422
/// among them (a wrong token or --mailbox is the operator's to fix, and the mail must wait
/// for that), is kCouldNotStore. A connection error or timeout has no status: kCouldNotStore.
MailgateOutcome MailgateOutcomeOfHttpStatus(int status);

}  // namespace redress::mailgate
