#include "channels/email/html_document.h"

#include <climits>
#include <mutex>

#include <libxml/parser.h>

namespace redress::email {

HtmlDocPtr ParseHtml(std::string_view html) {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  if (html.empty() || html.size() > static_cast<size_t>(INT_MAX)) return nullptr;
  int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | HTML_PARSE_NOIMPLIED;
  return HtmlDocPtr(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                   options));
}

std::string_view ElementName(const xmlNode* node) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || node->name == nullptr) return {};
  // libxml2's HTML parser lowercases element names.
  return reinterpret_cast<const char*>(node->name);
}

}  // namespace redress::email
