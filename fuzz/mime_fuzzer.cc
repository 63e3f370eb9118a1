// libFuzzer target for the email parse entry point, and for the pure steps that run on
// every parsed message (classification, quote folding, HTML to text and sanitising).
// Beyond "no crash, no leak, no undefined behaviour" it checks the parser's promises:
// every text it returns is valid UTF-8, attachment hashes are 64 hex digits, and quote
// folding loses nothing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "channels/email/html_sanitizer.h"
#include "channels/email/mail_classifier.h"
#include "channels/email/mime_message.h"
#include "channels/email/quote_folding.h"
#include "core/utf8.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void Check(const redress::email::ParsedMessage& m) {
  using redress::ValidUtf8;
  Require(ValidUtf8(m.subject) && ValidUtf8(m.text_body) && ValidUtf8(m.html_body) &&
          ValidUtf8(m.message_id));
  for (const auto* list : {&m.from, &m.to, &m.cc, &m.reply_to, &m.delivered_to}) {
    for (const auto& mailbox : *list)
      Require(ValidUtf8(mailbox.name) && ValidUtf8(mailbox.address));
  }
  for (const auto& header : m.headers) Require(ValidUtf8(header.name) && ValidUtf8(header.value));
  for (const auto& attachment : m.attachments) {
    Require(ValidUtf8(attachment.filename) && attachment.sha256_hex.size() == 64);
  }
  for (const auto& warning : m.warnings) Require(ValidUtf8(warning));
  for (const auto& nested : m.nested) Check(nested);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto parsed = redress::email::ParseMessage(raw);
  if (!parsed) return 0;
  Check(*parsed);
  redress::email::ClassifyMail(*parsed);
  std::string joined;
  for (const auto& segment : redress::email::FoldQuotes(parsed->text_body)) joined += segment.text;
  Require(joined == parsed->text_body);
  Require(redress::ValidUtf8(redress::email::SanitizeHtml(parsed->html_body).html));
  return 0;
}
