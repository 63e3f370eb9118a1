// The libcurl plumbing shared by the SMTP sender and the IMAP mailbox: one easy handle set
// up for a MailEndpoint (TLS mode, trust, timeouts, credentials) and a record of what the
// server said, so that failures can quote the server's own reply text.
//
// Secrets: the record keeps every line the server sent but, of the lines we sent, only
// MAIL FROM and RCPT TO (needed to pair replies with recipients). AUTH and LOGIN lines and
// their base64 continuations are never recorded, and curl's verbose output is never on.
//
// Not thread-safe: one CurlSession per thread. Reusing a session for several operations
// reuses its connection (curl's connection cache lives in the handle).
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channels/email/transport/mail_endpoint.h"

namespace redress::email::transport {

/// One protocol line, in the order it crossed the wire.
struct WireLine {
  bool from_server = false;
  std::string text;  // without the line ending
};

class CurlSession {
 public:
  /// `plain_scheme` ("smtp", "imap") is used for kNone and STARTTLS, `tls_scheme` ("smtps",
  /// "imaps") for implicit TLS.
  CurlSession(const MailEndpoint& endpoint, std::string_view plain_scheme,
              std::string_view tls_scheme);
  ~CurlSession();
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;

  CURL* handle() const { return handle_; }
  /// "imap://host:port" (IPv6 literals bracketed), no trailing slash.
  const std::string& base_url() const { return base_url_; }

  /// Clears the per-operation options (custom request, upload, body sink) and the record,
  /// keeping the endpoint settings and the open connection.
  void ResetForNextOperation();
  /// Sends the response body (FETCH literal, custom command output) into `sink`.
  void CaptureBodyInto(std::string* sink);
  /// Runs the transfer set up on handle(). The error buffer is available afterwards.
  CURLcode Perform();

  const std::vector<WireLine>& wire() const { return wire_; }
  /// curl's one-line explanation of the last failure (never contains the password).
  std::string CurlMessage(CURLcode code) const;
  /// The last line the server sent, or "" if it said nothing.
  std::string LastServerLine() const;
  long ResponseCode() const;

 private:
  void ApplyEndpoint();
  static int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* self);
  static size_t OnBody(char* data, size_t size, size_t count, void* sink);

  MailEndpoint endpoint_;
  CURL* handle_ = nullptr;
  std::string base_url_;
  std::vector<WireLine> wire_;
  std::string partial_in_;  // a server line split across debug callbacks
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

/// True when `line` (a command we sent) may be recorded: MAIL FROM, RCPT TO, DATA only.
bool IsRecordableCommand(std::string_view line);

}  // namespace redress::email::transport
