#include "channels/email/outbound_message.h"

#include <sodium.h>

#include "channels/email/gmime_support.h"
#include "channels/email/text_encoding.h"

namespace redress::email {
namespace {

constexpr size_t kMaxReferences = 20;

// Header values must stay on one logical line: CR and LF would let a subject or a display
// name inject headers of its own.
std::string OneLine(std::string_view value) {
  std::string out = ScrubUtf8(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

std::string RandomUnique() {
  unsigned char bytes[10];
  randombytes_buf(bytes, sizeof(bytes));
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  for (unsigned char b : bytes) out.push_back(kAlphabet[b & 31]);
  return out;
}

std::string Domain(std::string_view address) {
  size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : std::string(address.substr(at + 1));
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ' ';
    out += '<' + OneLine(id) + '>';
  }
  return out;
}

std::vector<std::string> TrimmedReferences(const OutboundMessage& message) {
  std::vector<std::string> ids = message.references;
  if (!message.in_reply_to.empty() && (ids.empty() || ids.back() != message.in_reply_to)) {
    ids.push_back(message.in_reply_to);
  }
  if (ids.size() > kMaxReferences) {
    std::vector<std::string> kept{ids.front()};
    kept.insert(kept.end(), ids.end() - (kMaxReferences - 1), ids.end());
    ids = std::move(kept);
  }
  return ids;
}

GObjectPtr<GMimeTextPart> TextPart(const char* subtype, const std::string& text) {
  GObjectPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  std::string valid = ScrubUtf8(text);
  g_mime_text_part_set_text(part.get(), valid.c_str());
  g_mime_text_part_set_charset(part.get(), "utf-8");
  // Quoted-printable or base64, whichever is shorter: safe on any transport.
  g_mime_object_encode(GMIME_OBJECT(part.get()), GMIME_ENCODING_CONSTRAINT_7BIT);
  return part;
}

}  // namespace

Result<BuiltMessage> BuildOutboundMessage(const OutboundMessage& message,
                                          const ThreadTokenSigner& signer) {
  if (message.case_id <= 0) return Fail(ErrorCode::kInvalidArgument, "case id is required");
  if (message.from.address.find('@') == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "sender address is required", "from");
  }
  if (message.to.empty()) return Fail(ErrorCode::kInvalidArgument, "no recipient", "to");
  if (message.text_body.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "text body is required", "text_body");
  }
  EnsureGMime();
  BuiltMessage built;
  std::string unique = message.unique.empty() ? RandomUnique() : message.unique;
  built.message_id = signer.MessageId(message.case_id, unique, Domain(message.from.address));
  built.reply_to = signer.ReplyAddress(message.from.address, message.case_id);

  GObjectPtr<GMimeMessage> mime(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_FROM,
                             OneLine(message.from.name).c_str(),
                             OneLine(message.from.address).c_str());
  for (const Mailbox& to : message.to) {
    g_mime_message_add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_TO, OneLine(to.name).c_str(),
                               OneLine(to.address).c_str());
  }
  for (const Mailbox& cc : message.cc) {
    g_mime_message_add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_CC, OneLine(cc.name).c_str(),
                               OneLine(cc.address).c_str());
  }
  g_mime_message_add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_REPLY_TO,
                             OneLine(message.from.name).c_str(), built.reply_to.c_str());

  std::string subject = OneLine(message.subject);
  if (FindSubjectTag(subject) != message.case_id) {
    subject += (subject.empty() ? "" : " ") + SubjectTag(message.case_id);
  }
  g_mime_message_set_subject(mime.get(), subject.c_str(), "utf-8");

  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(message.date.time_since_epoch());
  GDateTime* date = g_date_time_new_from_unix_utc(seconds.count());
  g_mime_message_set_date(mime.get(), date);
  g_date_time_unref(date);
  g_mime_message_set_message_id(mime.get(), built.message_id.c_str());

  GMimeObject* object = GMIME_OBJECT(mime.get());
  if (!message.in_reply_to.empty()) {
    g_mime_object_set_header(object, "In-Reply-To", JoinIds({message.in_reply_to}).c_str(),
                             nullptr);
  }
  std::vector<std::string> references = TrimmedReferences(message);
  if (!references.empty()) {
    g_mime_object_set_header(object, "References", JoinIds(references).c_str(), nullptr);
  }
  if (message.automatic) {
    g_mime_object_set_header(object, "Auto-Submitted", "auto-replied", nullptr);
    g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nullptr);
  }

  GObjectPtr<GMimeTextPart> text = TextPart("plain", message.text_body);
  if (message.html_body.empty()) {
    g_mime_message_set_mime_part(mime.get(), GMIME_OBJECT(text.get()));
  } else {
    GObjectPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
    GObjectPtr<GMimeTextPart> html = TextPart("html", message.html_body);
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text.get()));
    g_mime_multipart_add(alternative.get(), GMIME_OBJECT(html.get()));
    g_mime_message_set_mime_part(mime.get(), GMIME_OBJECT(alternative.get()));
  }

  GMimeFormatOptions* format = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  built.bytes = TakeGString(g_mime_object_to_string(object, format));
  g_mime_format_options_free(format);
  return built;
}

}  // namespace redress::email
