#include "channels/email/outbound_message.h"

#include "channels/email/mime_build.h"

namespace redress::email {
namespace {

constexpr size_t kMaxReferences = 20;

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
  // The message answered comes last, once (a case's stored ids may hold it anywhere).
  std::vector<std::string> ids;
  for (const std::string& id : message.references) {
    if (id != message.in_reply_to) ids.push_back(id);
  }
  if (!message.in_reply_to.empty()) ids.push_back(message.in_reply_to);
  if (ids.size() > kMaxReferences) {
    std::vector<std::string> kept{ids.front()};
    kept.insert(kept.end(), ids.end() - (kMaxReferences - 1), ids.end());
    ids = std::move(kept);
  }
  return ids;
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
  std::string unique = message.unique.empty() ? RandomUnique(10) : message.unique;
  built.message_id = signer.MessageId(message.case_id, unique, Domain(message.from.address));
  built.reply_to = signer.ReplyAddress(message.from.address, message.case_id);

  GObjectPtr<GMimeMessage> mime(g_mime_message_new(TRUE));
  AddMailbox(mime.get(), GMIME_ADDRESS_TYPE_FROM, message.from);
  for (const Mailbox& to : message.to) AddMailbox(mime.get(), GMIME_ADDRESS_TYPE_TO, to);
  for (const Mailbox& cc : message.cc) AddMailbox(mime.get(), GMIME_ADDRESS_TYPE_CC, cc);
  AddMailbox(mime.get(), GMIME_ADDRESS_TYPE_REPLY_TO, Mailbox{message.from.name, built.reply_to});

  std::string subject = OneLine(message.subject);
  if (FindSubjectTag(subject) != message.case_id) {
    subject += (subject.empty() ? "" : " ") + SubjectTag(message.case_id);
  }
  g_mime_message_set_subject(mime.get(), subject.c_str(), "utf-8");

  SetDate(mime.get(), message.date);
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

  built.bytes = ToCrlfBytes(mime.get());
  return built;
}

}  // namespace redress::email
