#include "channels/email/html_document.h"

#include <libxml/parser.h>

#include <climits>
#include <mutex>
#include <string>

#include "channels/email/text_encoding.h"
#include "core/utf8.h"

namespace redress::email {

HtmlDocPtr ParseHtml(std::string_view html) {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  if (html.empty() || html.size() > static_cast<size_t>(INT_MAX)) return nullptr;
  // libxml2 stops at the first invalid UTF-8 byte; mail HTML is decoded by us already, but
  // the guarantee is cheap to keep here.
  std::string valid;
  if (!ValidUtf8(html)) {
    valid = ScrubUtf8(html);
    html = valid;
  }
  // XML_PARSE_HUGE lifts the 256-level depth limit, past which libxml2 silently drops the
  // rest of the document (mail generators do nest that deep); the tree is walked without
  // recursion, so depth costs only memory. NOIMPLIED is not used: without the implied
  // <body>, libxml2 nests sibling void elements (<img><img>) inside each other.
  int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                HTML_PARSE_NOBLANKS | XML_PARSE_HUGE;
  return HtmlDocPtr(
      htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options));
}

std::string_view ElementName(const xmlNode* node) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || node->name == nullptr) return {};
  // libxml2's HTML parser lowercases element names.
  return reinterpret_cast<const char*>(node->name);
}

}  // namespace redress::email
