#include "channels/email/quote_folding.h"

#include <initializer_list>
#include <string>

#include "core/ascii.h"

namespace redress::email {
namespace {

struct Line {
  size_t begin = 0;          // offset of the first byte
  size_t end = 0;            // offset after the line ending
  std::string_view content;  // without the line ending, trimmed
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t end = eol == std::string_view::npos ? text.size() : eol + 1;
    lines.push_back(Line{pos, end, TrimAsciiSpace(text.substr(pos, end - pos))});
    pos = end;
  }
  return lines;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && AsciiLower(s.substr(0, prefix.size())) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && AsciiLower(s.substr(s.size() - suffix.size())) == suffix;
}

bool AnyPrefix(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (StartsWith(s, p)) return true;
  }
  return false;
}

bool IsQuoteLine(const Line& line) { return !line.content.empty() && line.content[0] == '>'; }

// "On Tue, 1 Dec 2026 at 10:00, Asha <a@x> wrote:", possibly wrapped over up to three
// lines by the sending client. Returns the number of lines it spans, or 0.
size_t AttributionLines(const std::vector<Line>& lines, size_t i) {
  // The verb, then ':' at the end ("... wrote:", "... schrieb Name <a@x>:").
  static constexpr std::string_view kVerbs[] = {"wrote",   "schrieb",  "a écrit",   "escribió",
                                                "schreef", "escreveu", "ha scritto"};
  if (!AnyPrefix(lines[i].content, {"on ", "am ", "le ", "el ", "op ", "em ", "il "})) return 0;
  for (size_t n = 0; n < 3 && i + n < lines.size(); ++n) {
    std::string_view content = lines[i + n].content;
    if (n > 0 && content.empty()) return 0;
    if (!EndsWith(content, ":")) continue;
    std::string lower = AsciiLower(content);
    for (std::string_view verb : kVerbs) {
      if (lower.find(verb) != std::string::npos) return n + 1;
    }
  }
  return 0;
}

// Outlook and webmail headers of unquoted history: "-----Original Message-----",
// "---------- Forwarded message ---------", or a "From:" line followed within four lines by
// "Sent:"/"Date:" and "To:"/"Subject:".
bool StartsHistoryBlock(const std::vector<Line>& lines, size_t i) {
  std::string_view content = lines[i].content;
  if (content.size() >= 10 && content.front() == '-' &&
      (content.find("Original Message") != std::string_view::npos ||
       content.find("Ursprüngliche Nachricht") != std::string_view::npos ||
       content.find("Message d'origine") != std::string_view::npos ||
       content.find("Forwarded message") != std::string_view::npos)) {
    return true;
  }
  if (!AnyPrefix(content, {"from:", "von:", "de:", "van:"})) return false;
  bool dated = false;
  bool addressed = false;
  for (size_t n = 1; n <= 4 && i + n < lines.size(); ++n) {
    std::string_view next = lines[i + n].content;
    if (AnyPrefix(next, {"sent:", "date:", "gesendet:", "envoyé :", "envoyé:", "enviado:",
                         "verzonden:"})) {
      dated = true;
    }
    if (AnyPrefix(next, {"to:", "subject:", "an:", "betreff:", "à :", "objet :", "para:", "asunto:",
                         "aan:", "onderwerp:"})) {
      addressed = true;
    }
  }
  return dated && addressed;
}

}  // namespace

std::vector<TextSegment> FoldQuotes(std::string_view text) {
  std::vector<Line> lines = SplitLines(text);
  std::vector<bool> quoted(lines.size(), false);
  size_t i = 0;
  while (i < lines.size()) {
    if (StartsHistoryBlock(lines, i)) {
      for (size_t k = i; k < lines.size(); ++k) quoted[k] = true;
      break;
    }
    size_t attribution = AttributionLines(lines, i);
    size_t block_start = i + attribution;
    // Blank lines between the attribution and the quote belong to the quote.
    size_t j = block_start;
    while (attribution > 0 && j < lines.size() && lines[j].content.empty()) ++j;
    if (attribution > 0 && (j >= lines.size() || !IsQuoteLine(lines[j]))) {
      // "wrote:" without ">" lines after it: the client put the history below unquoted.
      for (size_t k = i; k < lines.size(); ++k) quoted[k] = true;
      break;
    }
    if (j < lines.size() && IsQuoteLine(lines[j])) {
      // A quote block: ">" lines, and blank lines between them.
      size_t end = j;
      size_t last_quote = j;
      while (end < lines.size() && (IsQuoteLine(lines[end]) || lines[end].content.empty())) {
        if (IsQuoteLine(lines[end])) last_quote = end;
        ++end;
      }
      for (size_t k = i; k <= last_quote; ++k) quoted[k] = true;
      i = last_quote + 1;
      continue;
    }
    ++i;
  }

  std::vector<TextSegment> segments;
  for (size_t k = 0; k < lines.size(); ++k) {
    std::string_view line = text.substr(lines[k].begin, lines[k].end - lines[k].begin);
    if (!segments.empty() && segments.back().quoted == quoted[k]) {
      std::string_view previous = segments.back().text;
      segments.back().text = text.substr(static_cast<size_t>(previous.data() - text.data()),
                                         previous.size() + line.size());
    } else {
      segments.push_back(TextSegment{line, quoted[k]});
    }
  }
  return segments;
}

ReplySplit SplitReply(std::string_view text) {
  for (const TextSegment& segment : FoldQuotes(text)) {
    if (segment.quoted) {
      size_t at = static_cast<size_t>(segment.text.data() - text.data());
      return ReplySplit{text.substr(0, at), text.substr(at)};
    }
  }
  return ReplySplit{text, text.substr(text.size())};
}

}  // namespace redress::email
