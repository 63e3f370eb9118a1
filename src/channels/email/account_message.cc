#include "channels/email/account_message.h"

#include <sodium.h>

#include "channels/email/gmime_support.h"
#include "channels/email/text_encoding.h"

namespace redress::email {
namespace {

std::string OneLine(std::string_view value) {
  std::string out = ScrubUtf8(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

std::string RandomUnique() {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof(bytes));
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  for (unsigned char b : bytes) out.push_back(kAlphabet[b & 31]);
  return out;
}

}  // namespace

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
  built.message_id = "account." + (message.unique.empty() ? RandomUnique() : OneLine(message.unique)) +
                     "@" + OneLine(message.from.address.substr(at + 1));

  GObjectPtr<GMimeMessage> mime(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_FROM, OneLine(message.from.name).c_str(),
                             OneLine(message.from.address).c_str());
  g_mime_message_add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_TO, OneLine(message.to.name).c_str(),
                             OneLine(message.to.address).c_str());
  g_mime_message_set_subject(mime.get(), OneLine(message.subject).c_str(), "utf-8");
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(message.date.time_since_epoch());
  GDateTime* date = g_date_time_new_from_unix_utc(seconds.count());
  g_mime_message_set_date(mime.get(), date);
  g_date_time_unref(date);
  g_mime_message_set_message_id(mime.get(), built.message_id.c_str());
  GMimeObject* object = GMIME_OBJECT(mime.get());
  g_mime_object_set_header(object, "Auto-Submitted", "auto-generated", nullptr);
  g_mime_object_set_header(object, "X-Auto-Response-Suppress", "All", nullptr);

  GObjectPtr<GMimeTextPart> text(g_mime_text_part_new_with_subtype("plain"));
  const std::string valid = ScrubUtf8(message.text_body);
  g_mime_text_part_set_text(text.get(), valid.c_str());
  g_mime_text_part_set_charset(text.get(), "utf-8");
  g_mime_object_encode(GMIME_OBJECT(text.get()), GMIME_ENCODING_CONSTRAINT_7BIT);
  g_mime_message_set_mime_part(mime.get(), GMIME_OBJECT(text.get()));

  GMimeFormatOptions* format = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  built.bytes = TakeGString(g_mime_object_to_string(object, format));
  g_mime_format_options_free(format);
  return built;
}

}  // namespace redress::email
