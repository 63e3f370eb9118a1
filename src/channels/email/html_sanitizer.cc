#include "channels/email/html_sanitizer.h"

#include <initializer_list>

#include "channels/email/html_document.h"
#include "core/ascii.h"

namespace redress::email {
namespace {

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

// Elements written out (with allowed attributes only).
bool IsAllowedElement(std::string_view name) {
  return IsOneOf(
      name, {"a",      "abbr",    "address", "article", "b",    "bdi",   "bdo",        "blockquote",
             "br",     "caption", "center",  "cite",    "code", "col",   "colgroup",   "dd",
             "del",    "dfn",     "div",     "dl",      "dt",   "em",    "figcaption", "figure",
             "font",   "footer",  "h1",      "h2",      "h3",   "h4",    "h5",         "h6",
             "header", "hr",      "i",       "img",     "ins",  "kbd",   "li",         "mark",
             "ol",     "p",       "pre",     "q",       "s",    "samp",  "section",    "small",
             "span",   "strike",  "strong",  "sub",     "sup",  "table", "tbody",      "td",
             "tfoot",  "th",      "thead",   "tr",      "tt",   "u",     "ul",         "wbr"});
}

// Elements dropped together with everything inside them. Anything neither allowed nor
// dropped (html, body, unknown tags) is unwrapped: its children are kept.
bool IsDroppedWithContent(std::string_view name) {
  return IsOneOf(name,
                 {"script",  "style",    "head",   "title",     "iframe",   "frame",  "frameset",
                  "object",  "embed",    "applet", "noscript",  "template", "svg",    "math",
                  "meta",    "link",     "base",   "input",     "button",   "select", "textarea",
                  "option",  "audio",    "video",  "source",    "track",    "canvas", "param",
                  "noembed", "noframes", "xmp",    "plaintext", "dialog",   "portal"});
}

bool IsVoid(std::string_view name) { return IsOneOf(name, {"br", "hr", "img", "col", "wbr"}); }

bool IsAllowedAttribute(std::string_view element, std::string_view attribute) {
  if (IsOneOf(attribute, {"title", "dir", "lang", "align", "valign"})) return true;
  if (element == "a") return attribute == "href";
  if (element == "img") return IsOneOf(attribute, {"src", "alt", "width", "height"});
  if (element == "font") return IsOneOf(attribute, {"color", "face", "size"});
  if (IsOneOf(element, {"td", "th"})) {
    return IsOneOf(attribute, {"colspan", "rowspan", "width", "height", "bgcolor"});
  }
  if (element == "table") {
    return IsOneOf(attribute, {"width", "border", "cellpadding", "cellspacing", "bgcolor"});
  }
  if (IsOneOf(element, {"col", "colgroup"})) return IsOneOf(attribute, {"span", "width"});
  if (IsOneOf(element, {"ol", "li"})) return IsOneOf(attribute, {"start", "type", "value"});
  return false;
}

// The scheme of a URL as a browser reads it: browsers ignore ASCII whitespace and control
// characters inside "java\tscript:", so they are ignored here too. "" for relative URLs.
std::string UrlScheme(std::string_view url) {
  std::string compact;
  for (char c : url) {
    if (static_cast<unsigned char>(c) > 0x20) compact.push_back(AsciiToLower(c));
  }
  size_t colon = compact.find(':');
  if (colon == std::string::npos) return {};
  size_t delimiter = compact.find_first_of("/?#");
  if (delimiter != std::string::npos && delimiter < colon) return {};
  return compact.substr(0, colon);
}

void AppendEscaped(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        if (attribute) {
          out += "&quot;";
        } else {
          out.push_back(c);
        }
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string AttributeValue(xmlAttr* attribute) {
  xmlChar* value = xmlNodeListGetString(attribute->doc, attribute->children, 1);
  std::string out = value == nullptr ? std::string() : reinterpret_cast<const char*>(value);
  xmlFree(value);
  return out;
}

class Writer {
 public:
  Writer(const SanitizeOptions& options, SanitizedHtml& result)
      : options_(options), result_(result) {}

  bool Enter(xmlNode* node) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content != nullptr) {
        AppendEscaped(result_.html, reinterpret_cast<const char*>(node->content), false);
      }
      return false;
    }
    std::string_view name = ElementName(node);
    if (name.empty()) return false;  // comments, processing instructions, DTDs
    if (IsDroppedWithContent(name)) {
      ++result_.removed_elements;
      return false;
    }
    if (!IsAllowedElement(name)) return true;  // unwrap
    result_.html.push_back('<');
    result_.html.append(name);
    WriteAttributes(node, name);
    result_.html.push_back('>');
    return !IsVoid(name);
  }

  void Leave(xmlNode* node) {
    std::string_view name = ElementName(node);
    if (name.empty() || !IsAllowedElement(name) || IsVoid(name)) return;
    result_.html += "</";
    result_.html.append(name);
    result_.html.push_back('>');
  }

 private:
  void WriteAttributes(xmlNode* node, std::string_view element) {
    for (xmlAttr* attribute = node->properties; attribute != nullptr; attribute = attribute->next) {
      std::string name = AsciiLower(reinterpret_cast<const char*>(attribute->name));
      if (!IsAllowedAttribute(element, name)) {
        ++result_.removed_attributes;
        continue;
      }
      std::string value = AttributeValue(attribute);
      if (name == "href" && !IsOneOf(UrlScheme(value), {"http", "https", "mailto"})) {
        ++result_.removed_attributes;
        continue;
      }
      if (name == "src") {
        std::string scheme = UrlScheme(value);
        bool remote = scheme == "http" || scheme == "https";
        if (remote && !options_.allow_remote_images) ++result_.blocked_remote_images;
        if (scheme != "cid" && !(remote && options_.allow_remote_images)) {
          if (!remote) ++result_.removed_attributes;
          continue;
        }
      }
      result_.html.push_back(' ');
      result_.html += name;
      result_.html += "=\"";
      AppendEscaped(result_.html, value, true);
      result_.html.push_back('"');
    }
    if (element == "a") result_.html += " rel=\"noopener noreferrer nofollow\" target=\"_blank\"";
  }

  const SanitizeOptions& options_;
  SanitizedHtml& result_;
};

}  // namespace

SanitizedHtml SanitizeHtml(std::string_view html, const SanitizeOptions& options) {
  SanitizedHtml result;
  HtmlDocPtr doc = ParseHtml(html);
  if (doc == nullptr) return result;
  Writer writer(options, result);
  for (xmlNode* top = doc->children; top != nullptr; top = top->next) {
    WalkHtml(
        top, [&](xmlNode* node) { return writer.Enter(node); },
        [&](xmlNode* node) { writer.Leave(node); });
  }
  return result;
}

}  // namespace redress::email
