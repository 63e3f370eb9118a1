#include "channels/email/html_text.h"

#include "channels/email/html_document.h"
#include "channels/email/text_encoding.h"

namespace redress::email {
namespace {

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

bool IsInvisible(std::string_view name) {
  return IsOneOf(name, {"script", "style", "head", "title", "template", "noscript", "object",
                        "iframe", "svg", "math"});
}

bool IsBlock(std::string_view name) {
  return IsOneOf(
      name, {"p",       "div",    "br",         "li",      "tr",    "h1", "h2", "h3",     "h4",
             "h5",      "h6",     "blockquote", "pre",     "table", "ul", "ol", "hr",     "section",
             "article", "header", "footer",     "address", "dl",    "dt", "dd", "center", "form"});
}

class TextBuilder {
 public:
  void Text(std::string_view s, bool preformatted) {
    for (char c : s) {
      bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (preformatted && c != '\r') {
        out_.push_back(c);
        pending_space_ = false;
      } else if (space) {
        pending_space_ = !out_.empty() && out_.back() != '\n';
      } else {
        if (pending_space_) out_.push_back(' ');
        pending_space_ = false;
        out_.push_back(c);
      }
    }
  }
  // Ends the current line unless it is already ended.
  void LineBreak() {
    TrimSpaces();
    if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
  }
  // Ends the current line and leaves one blank line (at most one in a row).
  void ParagraphBreak() {
    LineBreak();
    size_t n = out_.size();
    if (n >= 1 && !(n >= 2 && out_[n - 2] == '\n')) out_.push_back('\n');
  }
  // <br>: always a new line, even an empty one.
  void HardBreak() {
    TrimSpaces();
    out_.push_back('\n');
  }
  void Separator(std::string_view s) {
    if (!out_.empty() && out_.back() != '\n') {
      out_.append(s);
      pending_space_ = false;
    }
  }
  void TrimSpaces() {
    pending_space_ = false;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  }
  std::string Finish() {
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return std::move(out_);
  }

 private:
  std::string out_;
  bool pending_space_ = false;
};

}  // namespace

std::string HtmlToText(std::string_view html) {
  HtmlDocPtr doc = ParseHtml(html);
  if (doc == nullptr) return {};
  TextBuilder text;
  int pre_depth = 0;
  for (xmlNode* top = doc->children; top != nullptr; top = top->next) {
    WalkHtml(
        top,
        [&](xmlNode* node) {
          if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            if (node->content != nullptr) {
              text.Text(reinterpret_cast<const char*>(node->content), pre_depth > 0);
            }
            return false;
          }
          std::string_view name = ElementName(node);
          if (name.empty() || IsInvisible(name)) return false;
          if (name == "br") {
            text.HardBreak();
            return false;
          }
          if (IsBlock(name)) text.LineBreak();
          if (name == "pre") ++pre_depth;
          if (name == "li") text.Text("- ", false);
          if (name == "td" || name == "th") text.Separator(" ");
          return true;
        },
        [&](xmlNode* node) {
          std::string_view name = ElementName(node);
          if (name.empty() || IsInvisible(name) || name == "br") return;
          if (name == "pre") --pre_depth;
          if (name == "p" || name == "blockquote" || name == "table") {
            text.ParagraphBreak();
          } else if (IsBlock(name)) {
            text.LineBreak();
          }
        });
  }
  return ScrubUtf8(text.Finish());
}

}  // namespace redress::email
