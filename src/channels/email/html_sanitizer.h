// HTML mail bodies made safe to show inside the agent and customer web views. The HTML is
// parsed by a real parser (libxml2, the same tree-building recovery a browser does), and a
// new document is written from an allowlist: formatting elements and a few attributes
// survive; scripts, styles, frames, forms, event handlers, `style` attributes and every
// URL scheme other than http/https/mailto are dropped. Remote images are blocked by
// default (they are read receipts and trackers); `cid:` images, which point at parts of
// the same message, are kept. Writing a fresh document from the tree, rather than
// deleting bad bits from the input, means nothing the parser did not understand can pass.
#pragma once

#include <string>
#include <string_view>

namespace redress::email {

struct SanitizeOptions {
  bool allow_remote_images = false;  // keep http(s) <img src>; off unless the viewer asks
};

struct SanitizedHtml {
  std::string html;               // a fragment (no <html>/<body>), valid UTF-8
  int blocked_remote_images = 0;  // so the view can offer "show images"
  int removed_elements = 0;       // dropped with their content (script, style, iframe...)
  int removed_attributes = 0;     // event handlers, style, bad URLs...
};

SanitizedHtml SanitizeHtml(std::string_view html, const SanitizeOptions& options = {});

}  // namespace redress::email
