// The pieces both outgoing builders share (outbound_message.h for case mail,
// account_message.h for account mail): header values that cannot inject headers, the
// Date and address headers, a UTF-8 text part that survives 7-bit transports, and the
// finished message as CRLF bytes for SMTP DATA.
#pragma once

#include <string>
#include <string_view>

#include "channels/email/gmime_support.h"
#include "channels/email/mime_message.h"
#include "core/clock.h"

namespace redress::email {

/// `value` as valid UTF-8 on one logical line: CR and LF become spaces, so a subject or a
/// display name cannot start a header of its own.
std::string OneLine(std::string_view value);

/// `bytes` random bytes as lowercase base32 text, for the unique part of a Message-ID.
std::string RandomUnique(size_t bytes);

/// Adds `mailbox` to the message's From, To, Cc or Reply-To header, each part on one line.
void AddMailbox(GMimeMessage* message, GMimeAddressType type, const Mailbox& mailbox);

/// Sets the Date header to `date` (whole seconds, UTC).
void SetDate(GMimeMessage* message, Timestamp date);

/// A text/`subtype` part with charset utf-8, encoded as quoted-printable or base64,
/// whichever is shorter.
GObjectPtr<GMimeTextPart> TextPart(const char* subtype, std::string_view text);

/// The whole message with CRLF line ends.
std::string ToCrlfBytes(GMimeMessage* message);

}  // namespace redress::email
