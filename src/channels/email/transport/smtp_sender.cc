#include "channels/email/transport/smtp_sender.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>

#include "channels/email/transport/curl_session.h"
#include "channels/email/transport/smtp_payload.h"
#include "core/ascii.h"

namespace redress::email::transport {
namespace {

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// An address goes into "MAIL FROM:<...>" verbatim, so it must not be able to end the
// command or open a second one.
bool IsSafeEnvelopeAddress(const std::string& address) {
  return std::none_of(address.begin(), address.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '<' || c == '>';
  });
}

SmtpFailure Invalid(std::string message) {
  return {FailureClass::kPermanent, SmtpFailureKind::kInvalidRequest, std::move(message), {}, {}};
}

std::string Where(const SmtpConfig& config) {
  return "SMTP server " + config.endpoint.host + ":" + std::to_string(config.endpoint.port);
}

// The reply to the end of DATA: the first reply after the 354 that followed "DATA".
SmtpReply DataReply(const std::vector<WireLine>& wire) {
  for (size_t i = 0; i < wire.size(); ++i) {
    if (wire[i].from_server || AsciiLower(wire[i].text) != "data") continue;
    size_t at = i + 1;
    SmtpReply go_ahead = ReadSmtpReply(wire, at);
    if (go_ahead.code != 354) return go_ahead;
    return ReadSmtpReply(wire, at);
  }
  return {};
}

bool IsTlsError(CURLcode code) {
  switch (code) {
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return true;
    default:
      return false;
  }
}

SmtpFailure ClassifyFailure(const SmtpConfig& config, const CurlSession& session, CURLcode code,
                            SmtpDelivery partial) {
  std::vector<RecipientRejection>& rejected = partial.rejected;
  SmtpFailure failure;
  failure.reply = LastComplaint(session.wire());
  std::string curl_says = session.CurlMessage(code);
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) {
    failure.kind = SmtpFailureKind::kConnect;
    failure.message = "could not connect to " + Where(config) + ": " + curl_says;
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    failure.kind = SmtpFailureKind::kTimeout;
    failure.message = Where(config) + " timed out: " + curl_says;
  } else if (IsTlsError(code)) {
    failure.kind = SmtpFailureKind::kTls;
    failure.message = "TLS with " + Where(config) + " failed: " + curl_says;
  } else if (code == CURLE_LOGIN_DENIED) {
    failure.kind = SmtpFailureKind::kAuth;
    failure.message = Where(config) + " refused the credentials of user '" +
                      config.endpoint.username + "': " + failure.reply.text;
  } else if (partial.accepted.empty() && !rejected.empty() &&
             std::all_of(rejected.begin(), rejected.end(),
                         [](auto& r) { return r.reply.code >= 400; })) {
    failure.kind = SmtpFailureKind::kRejected;
    bool all_permanent = std::all_of(rejected.begin(), rejected.end(),
                                     [](auto& r) { return r.failure == FailureClass::kPermanent; });
    failure.failure = all_permanent ? FailureClass::kPermanent : FailureClass::kTemporary;
    failure.message = Where(config) + " refused every recipient; first: <" +
                      rejected.front().address + ">: " + rejected.front().reply.text;
    failure.reply = rejected.front().reply;
    failure.rejected = std::move(rejected);
    return failure;
  } else if (failure.reply.code >= 400) {
    failure.kind = SmtpFailureKind::kRejected;
    failure.failure = ClassifySmtpReplyCode(failure.reply.code);
    failure.message = Where(config) + " refused the message: " + failure.reply.text;
    return failure;
  } else {
    failure.kind = SmtpFailureKind::kProtocol;
    failure.message = "the conversation with " + Where(config) + " failed: " + curl_says;
  }
  failure.failure = FailureClass::kTemporary;
  return failure;
}

}  // namespace

const char* SmtpFailureKindName(SmtpFailureKind kind) {
  switch (kind) {
    case SmtpFailureKind::kInvalidRequest:
      return "invalid_request";
    case SmtpFailureKind::kConnect:
      return "connect";
    case SmtpFailureKind::kTimeout:
      return "timeout";
    case SmtpFailureKind::kTls:
      return "tls";
    case SmtpFailureKind::kAuth:
      return "auth";
    case SmtpFailureKind::kRejected:
      return "rejected";
    case SmtpFailureKind::kProtocol:
      return "protocol";
  }
  return "unknown";
}

SmtpOutcome SendMail(const SmtpConfig& config, const SmtpEnvelope& envelope,
                     std::string_view message) {
  if (envelope.recipients.empty()) return tl::unexpected(Invalid("the envelope has no recipient"));
  if (!IsSafeEnvelopeAddress(envelope.mail_from)) {
    return tl::unexpected(Invalid("the envelope sender contains a control character or <>"));
  }
  std::unique_ptr<curl_slist, SlistDeleter> recipients;
  for (const std::string& address : envelope.recipients) {
    if (address.empty() || !IsSafeEnvelopeAddress(address)) {
      return tl::unexpected(Invalid("envelope recipient '" + address + "' is not an address"));
    }
    curl_slist* grown = curl_slist_append(recipients.get(), ("<" + address + ">").c_str());
    if (grown == nullptr) throw std::bad_alloc();
    recipients.release();
    recipients.reset(grown);
  }
  Result<std::string> payload = PrepareSmtpPayload(message);
  if (!payload) return tl::unexpected(Invalid(payload.error().message));

  CurlSession session(config.endpoint, "smtp", "smtps");
  CURL* h = session.handle();
  char* helo = curl_easy_escape(h, config.helo_name.c_str(), 0);
  std::string url = session.base_url() + "/" + (helo != nullptr ? helo : "");
  curl_free(helo);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  std::string mail_from = "<" + envelope.mail_from + ">";
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  // Go on with the recipients the server accepted when it refuses some of them.
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
  Upload upload{*payload};
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(payload->size()));

  CURLcode code = session.Perform();

  SmtpDelivery delivery;
  for (RecipientReply& r : RecipientReplies(session.wire())) {
    if (r.reply.code >= 200 && r.reply.code < 300) {
      delivery.accepted.push_back(std::move(r.address));
    } else {
      FailureClass failure =
          r.reply.code == 0 ? FailureClass::kTemporary : ClassifySmtpReplyCode(r.reply.code);
      delivery.rejected.push_back({std::move(r.address), failure, std::move(r.reply)});
    }
  }
  if (code != CURLE_OK) {
    return tl::unexpected(ClassifyFailure(config, session, code, std::move(delivery)));
  }
  delivery.reply = DataReply(session.wire());
  return delivery;
}

}  // namespace redress::email::transport
