#include "channels/email/subject.h"

#include <span>

#include "core/ascii.h"

namespace redress::email {
namespace {

constexpr std::string_view kReplyPrefixes[] = {"re",  "aw",  "sv",  "vs",  "antw", "odp",
                                               "res", "rif", "ynt", "atb", "r"};
constexpr std::string_view kForwardPrefixes[] = {"fwd", "fw",  "wg",     "tr",
                                                 "rv",  "enc", "doorst", "i"};

// Length of a "<word>[n]:" / "<word>(n):" / "<word>:" prefix at the start of `s` whose word is
// in `words`, including following spaces; 0 if none.
size_t PrefixLength(std::string_view s, std::span<const std::string_view> words) {
  for (std::string_view word : words) {
    if (s.size() <= word.size() || AsciiLower(s.substr(0, word.size())) != word) continue;
    size_t i = word.size();
    if (i < s.size() && (s[i] == '[' || s[i] == '(')) {
      char close = s[i] == '[' ? ']' : ')';
      size_t end = s.find(close, i);
      if (end == std::string_view::npos) continue;
      bool digits = end > i + 1;
      for (size_t k = i + 1; k < end; ++k) digits = digits && IsAsciiDigit(s[k]);
      if (!digits) continue;
      i = end + 1;
    }
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && (s[i] == ':' || s.substr(i, 3) == "\xEF\xBC\x9A")) {  // ':' or '：'
      i += s[i] == ':' ? 1 : 3;
      while (i < s.size() && IsAsciiSpace(s[i])) ++i;
      return i;
    }
  }
  return 0;
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (IsAsciiSpace(c)) {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(AsciiToLower(c));
    }
  }
  return out;
}

std::string RemoveRedressTags(std::string_view s) {
  std::string out(s);
  std::string lower = AsciiLower(out);
  size_t pos;
  while ((pos = lower.find("[redress")) != std::string::npos) {
    size_t end = lower.find(']', pos);
    if (end == std::string::npos) break;
    out.erase(pos, end - pos + 1);
    lower.erase(pos, end - pos + 1);
  }
  return out;
}

}  // namespace

bool HasReplyPrefix(std::string_view subject) {
  return PrefixLength(TrimAsciiSpace(subject), kReplyPrefixes) > 0;
}

std::string NormalizeSubject(std::string_view subject) {
  std::string text = CollapseSpaces(RemoveRedressTags(subject));
  std::string_view s = text;
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    s = TrimAsciiSpace(s);
    if (size_t n = PrefixLength(s, kReplyPrefixes); n > 0) {
      s.remove_prefix(n);
      changed = true;
    } else if (size_t m = PrefixLength(s, kForwardPrefixes); m > 0) {
      s.remove_prefix(m);
      changed = true;
    } else if (s.front() == '[') {
      size_t end = s.find(']');
      // A leading "[list-name]" tag, but never the whole subject.
      if (end != std::string_view::npos && end + 1 < s.size()) {
        s.remove_prefix(end + 1);
        changed = true;
      }
    }
  }
  s = TrimAsciiSpace(s);
  if (s.size() > 5 && s.substr(s.size() - 5) == "(fwd)")
    s = TrimAsciiSpace(s.substr(0, s.size() - 5));
  return std::string(s);
}

}  // namespace redress::email
