// From the [mail.smtp] / [[mail.mailboxes]] settings (app/mail_config.h) to the transport's
// MailEndpoint: the URL's host and port, the TLS mode (from `tls`, else from the scheme),
// the password read from its file. Kept apart from the parsing so that `redress config
// check` style validation needs no secrets, and the secrets are read once, at start.
#pragma once

#include <cstdint>

#include "app/mail_config.h"
#include "channels/email/transport/mail_endpoint.h"
#include "core/result.h"

namespace redress::app {

struct EndpointSchemes {
  const char* plain;  // "smtp", "imap"
  const char* tls;    // "smtps", "imaps"
  uint16_t plain_port;
  uint16_t tls_port;
};

inline constexpr EndpointSchemes kSmtpSchemes{"smtp", "smtps", 587, 465};
inline constexpr EndpointSchemes kImapSchemes{"imap", "imaps", 143, 993};

/// kInvalidArgument naming `setting` for a URL that is not scheme://host[:port] with one of
/// the schemes, a bad port, or a tls value that contradicts the scheme; the password file's
/// errors (ReadSecretFile) otherwise.
Result<email::transport::MailEndpoint> ToMailEndpoint(const MailServerConfig& server,
                                                      const EndpointSchemes& schemes,
                                                      const std::string& setting);

}  // namespace redress::app
