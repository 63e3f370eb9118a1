#include "channels/email/transport/http_submission.h"

#include <curl/curl.h>

#include <memory>

namespace redress::email::transport {
namespace {

size_t Collect(char* data, size_t size, size_t count, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * count);
  return size * count;
}

struct CurlFree {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

Result<HttpSubmissionReply> SubmitOverHttp(const HttpSubmission& submission, const std::string& raw) {
  std::string url = submission.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "--url must start with http:// or https://, got '" + submission.base_url + "'");
  }
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return Fail(ErrorCode::kUnavailable, "libcurl could not start");
  url += "/api/v1/inbound/email";
  if (!submission.mailbox.empty()) {
    char* escaped = curl_easy_escape(curl.get(), submission.mailbox.data(),
                                     static_cast<int>(submission.mailbox.size()));
    if (escaped == nullptr) return Fail(ErrorCode::kUnavailable, "libcurl could not escape --mailbox");
    url += "?mailbox=" + std::string(escaped);
    curl_free(escaped);
  }
  std::unique_ptr<curl_slist, CurlFree> headers;
  auto add = [&headers](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  add("Content-Type: message/rfc822");
  add("Authorization: Bearer " + submission.token);
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, raw.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(raw.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 15000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(submission.timeout.count()));
  if (!submission.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, submission.ca_file.c_str());
  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    // The error buffer names the host and the failure, never the request's headers.
    std::string what = error[0] != '\0' ? error : curl_easy_strerror(code);
    return Fail(ErrorCode::kUnavailable, "no answer from " + submission.base_url + ": " + what);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  return HttpSubmissionReply{static_cast<int>(status), std::move(body)};
}

}  // namespace redress::email::transport
