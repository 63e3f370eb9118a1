#include "channels/email/transport/curl_session.h"

#include <cstring>
#include <mutex>
#include <stdexcept>

#include "core/ascii.h"

namespace redress::email::transport {
namespace {

// Bounds the record if a server floods us with lines; replies to our recipients come long
// before this, and only the last lines matter for error messages after that.
constexpr size_t kMaxWireLines = 20000;

void EnsureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("curl_global_init failed");
    }
  });
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiToLower(text[i]) != AsciiToLower(prefix[i])) return false;
  }
  return true;
}

std::string BracketIfIpv6(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

bool IsRecordableCommand(std::string_view line) {
  return StartsWithNoCase(line, "MAIL FROM:") || StartsWithNoCase(line, "RCPT TO:") ||
         AsciiLower(line) == "data";
}

CurlSession::CurlSession(const MailEndpoint& endpoint, std::string_view plain_scheme,
                         std::string_view tls_scheme)
    : endpoint_(endpoint) {
  EnsureCurlGlobalInit();
  handle_ = curl_easy_init();
  if (handle_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  std::string_view scheme = endpoint.tls == TlsMode::kImplicit ? tls_scheme : plain_scheme;
  base_url_ = std::string(scheme) + "://" + BracketIfIpv6(endpoint.host) + ":" +
              std::to_string(endpoint.port);
  ApplyEndpoint();
}

CurlSession::~CurlSession() {
  if (handle_ != nullptr) curl_easy_cleanup(handle_);
}

void CurlSession::ApplyEndpoint() {
  CURL* h = handle_;
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, &CurlSession::OnDebug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, this);
  // The debug callback only runs in verbose mode; the callback replaces curl's own verbose
  // printing, so nothing reaches stderr and secrets are filtered there.
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(endpoint_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(endpoint_.operation_timeout.count()));

  long use_ssl = CURLUSESSL_NONE;
  if (endpoint_.tls == TlsMode::kStartTlsOptional) use_ssl = CURLUSESSL_TRY;
  if (endpoint_.tls == TlsMode::kStartTlsRequired) use_ssl = CURLUSESSL_ALL;
  curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl);
  if (!endpoint_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, endpoint_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, endpoint_.verify_peer ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, endpoint_.verify_peer ? 2L : 0L);

  if (!endpoint_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, endpoint_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, endpoint_.password.c_str());
  }
}

void CurlSession::ResetForNextOperation() {
  curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, nullptr);
  curl_easy_setopt(handle_, CURLOPT_UPLOAD, 0L);
  curl_easy_setopt(handle_, CURLOPT_READFUNCTION, nullptr);
  curl_easy_setopt(handle_, CURLOPT_READDATA, nullptr);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, nullptr);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(handle_, CURLOPT_NOBODY, 0L);
  wire_.clear();
  partial_in_.clear();
  error_buffer_[0] = '\0';
}

void CurlSession::CaptureBodyInto(std::string* sink) {
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &CurlSession::OnBody);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, sink);
}

CURLcode CurlSession::Perform() {
  CURLcode code = curl_easy_perform(handle_);
  if (!partial_in_.empty()) {
    wire_.push_back({true, std::move(partial_in_)});
    partial_in_.clear();
  }
  return code;
}

size_t CurlSession::OnBody(char* data, size_t size, size_t count, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * count);
  return size * count;
}

int CurlSession::OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* self_ptr) {
  auto* self = static_cast<CurlSession*>(self_ptr);
  if (self->wire_.size() >= kMaxWireLines) {
    self->wire_.erase(self->wire_.begin(), self->wire_.begin() + kMaxWireLines / 2);
  }
  std::string_view chunk(data, size);
  if (type == CURLINFO_HEADER_IN) {
    // Server lines may arrive in pieces or several at once.
    self->partial_in_.append(chunk);
    size_t start = 0;
    for (size_t eol; (eol = self->partial_in_.find('\n', start)) != std::string::npos;
         start = eol + 1) {
      std::string line = self->partial_in_.substr(start, eol - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      self->wire_.push_back({true, std::move(line)});
    }
    self->partial_in_.erase(0, start);
  } else if (type == CURLINFO_HEADER_OUT) {
    // One command per callback; anything else (AUTH, LOGIN, credentials) is dropped.
    std::string line(chunk);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (IsRecordableCommand(line)) self->wire_.push_back({false, std::move(line)});
  }
  return 0;
}

std::string CurlSession::CurlMessage(CURLcode code) const {
  if (error_buffer_[0] != '\0') return error_buffer_;
  return curl_easy_strerror(code);
}

std::string CurlSession::LastServerLine() const {
  for (auto it = wire_.rbegin(); it != wire_.rend(); ++it) {
    if (it->from_server) return it->text;
  }
  return {};
}

long CurlSession::ResponseCode() const {
  long code = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

}  // namespace redress::email::transport
