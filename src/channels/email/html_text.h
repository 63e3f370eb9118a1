// Plain text from an HTML body, for messages that have no text/plain alternative: the
// agent view, search and quote folding all work on text. Block elements become line
// breaks, list items get a "- " prefix, scripts and styles are dropped, and whitespace is
// collapsed the way a browser would.
#pragma once

#include <string>
#include <string_view>

namespace redress::email {

/// The readable text of `html` (UTF-8 in, valid UTF-8 out), without trailing blank lines.
std::string HtmlToText(std::string_view html);

}  // namespace redress::email
