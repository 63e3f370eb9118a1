#include "channels/email/account_message.h"

#include "channels/email/mime_build.h"

namespace redress::email {

Result<BuiltAccountMessage> BuildAccountMessage(const AccountMessage& message) {
  const size_t at = message.from.address.rfind('@');
  if (at == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "sender address is required", "from");
  }
  if (message.to.address.find('@') == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "recipient address is required", "to");
  }
  if (message.text_body.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "text body is required", "text_body");
  }
  EnsureGMime();
  BuiltAccountMessage built;
  built.message_id = "account." +
                     (message.unique.empty() ? RandomUnique(12) : OneLine(message.unique)) + "@" +
                     OneLine(message.from.address.substr(at + 1));

  GObjectPtr<GMimeMessage> mime(g_mime_message_new(TRUE));
  AddMailbox(mime.get(), GMIME_ADDRESS_TYPE_FROM, message.from);
  AddMailbox(mime.get(), GMIME_ADDRESS_TYPE_TO, message.to);
  g_mime_message_set_subject(mime.get(), OneLine(message.subject).c_str(), "utf-8");
  SetDate(mime.get(), message.date);
  g_mime_message_set_message_id(mime.get(), built.message_id.c_str());
  GMimeObject* object = GMIME_OBJECT(mime.get());
  g_mime_object_set_header(object, "Auto-Submitted", "auto-generated", nullptr);
  g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nullptr);

  GObjectPtr<GMimeTextPart> text = TextPart("plain", message.text_body);
  g_mime_message_set_mime_part(mime.get(), GMIME_OBJECT(text.get()));
  built.bytes = ToCrlfBytes(mime.get());
  return built;
}

}  // namespace redress::email
