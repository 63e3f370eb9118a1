#include "channels/email/gmime_support.h"

#include <mutex>

namespace redress::email {

void EnsureGMime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string TakeGString(char* owned) {
  GCharPtr holder(owned);
  return owned == nullptr ? std::string() : std::string(owned);
}

ParserOptionsPtr NewLenientParserOptions() {
  EnsureGMime();
  ParserOptionsPtr options(g_mime_parser_options_new());
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  // Raw 8-bit header bytes: UTF-8 if they are valid UTF-8, else Windows-1252 (a superset
  // of ISO-8859-1 that covers what Western mail clients actually send).
  const char* fallback[] = {"utf-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  return options;
}

}  // namespace redress::email
