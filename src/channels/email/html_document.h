// libxml2's HTML parser behind RAII: the same tolerant parser a browser-like reading of
// mail needs (unclosed tags, stray end tags, bad nesting all recover), without network
// access, without printing to stderr, and with the tree freed on every path.
#pragma once

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <memory>
#include <string_view>

namespace redress::email {

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using HtmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

/// Parses `html` (UTF-8; invalid bytes become U+FFFD) leniently, with the implied
/// <html>/<body> a browser would add. Returns nullptr for empty input.
HtmlDocPtr ParseHtml(std::string_view html);

/// The lowercase element name of `node`, or "" for non-elements.
std::string_view ElementName(const xmlNode* node);

/// Visits the subtree under `root` depth-first without recursion (mail HTML can nest
/// thousands of levels deep). `enter` returns whether to descend into the node's children;
/// `leave` is called after the children (or right after `enter` when not descending).
template <class Enter, class Leave>
void WalkHtml(xmlNode* root, Enter&& enter, Leave&& leave) {
  xmlNode* node = root;
  while (node != nullptr) {
    if (enter(node) && node->children != nullptr) {
      node = node->children;
      continue;
    }
    while (node != nullptr) {
      leave(node);
      if (node == root) return;
      if (node->next != nullptr) {
        node = node->next;
        break;
      }
      node = node->parent;
    }
  }
}

}  // namespace redress::email
