#include "channels/email/mime_build.h"

#include <sodium.h>

#include <vector>

#include "channels/email/text_encoding.h"

namespace redress::email {

std::string OneLine(std::string_view value) {
  std::string out = ScrubUtf8(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

std::string RandomUnique(size_t bytes) {
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  for (unsigned char b : random) out.push_back(kAlphabet[b & 31]);
  return out;
}

void AddMailbox(GMimeMessage* message, GMimeAddressType type, const Mailbox& mailbox) {
  g_mime_message_add_mailbox(message, type, OneLine(mailbox.name).c_str(),
                             OneLine(mailbox.address).c_str());
}

void SetDate(GMimeMessage* message, Timestamp date) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(date.time_since_epoch());
  GDateTime* utc = g_date_time_new_from_unix_utc(seconds.count());
  g_mime_message_set_date(message, utc);
  g_date_time_unref(utc);
}

GObjectPtr<GMimeTextPart> TextPart(const char* subtype, std::string_view text) {
  GObjectPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  const std::string valid = ScrubUtf8(text);
  g_mime_text_part_set_text(part.get(), valid.c_str());
  g_mime_text_part_set_charset(part.get(), "utf-8");
  g_mime_object_encode(GMIME_OBJECT(part.get()), GMIME_ENCODING_CONSTRAINT_7BIT);
  return part;
}

std::string ToCrlfBytes(GMimeMessage* message) {
  GMimeFormatOptions* format = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  std::string bytes = TakeGString(g_mime_object_to_string(GMIME_OBJECT(message), format));
  g_mime_format_options_free(format);
  return bytes;
}

}  // namespace redress::email
