#include "channels/email/transport/imap_response.h"

#include <algorithm>
#include <charconv>

#include "core/ascii.h"

namespace redress::email::transport {
namespace {

std::optional<uint32_t> NumberAt(std::string_view text, size_t pos) {
  while (pos < text.size() && text[pos] == ' ') ++pos;
  uint32_t value = 0;
  auto [end, error] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() + pos) return std::nullopt;
  return value;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
  return lines;
}

}  // namespace

std::optional<uint32_t> ParseUidValidity(std::string_view responses) {
  std::string lowered = AsciiLower(responses);
  size_t at = lowered.find("uidvalidity ");
  if (at == std::string::npos) return std::nullopt;
  return NumberAt(responses, at + 12);
}

Result<std::vector<uint32_t>> ParseSearchUids(std::string_view responses) {
  std::vector<uint32_t> uids;
  for (std::string_view line : Lines(responses)) {
    if (AsciiLower(line.substr(0, 8)) != "* search") continue;
    std::string_view rest = line.substr(8);
    while (!rest.empty()) {
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (rest.empty()) break;
      uint32_t uid = 0;
      auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), uid);
      if (error != std::errc() || (end != rest.data() + rest.size() && *end != ' ')) {
        return Fail(ErrorCode::kInvalidArgument,
                    "unexpected SEARCH response from the IMAP server: " + std::string(line));
      }
      uids.push_back(uid);
      rest.remove_prefix(static_cast<size_t>(end - rest.data()));
    }
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

Result<std::string> QuoteFolderName(std::string_view folder) {
  if (folder.empty()) return Fail(ErrorCode::kInvalidArgument, "the folder name is empty");
  std::string quoted = "\"";
  for (char c : folder) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      return Fail(ErrorCode::kInvalidArgument,
                  "folder name '" + std::string(folder) +
                      "' has a control or non-ASCII character; only ASCII names are supported");
    }
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string UidSet(std::span<const uint32_t> uids) {
  std::string set;
  for (size_t i = 0; i < uids.size();) {
    size_t last = i;
    while (last + 1 < uids.size() && uids[last + 1] == uids[last] + 1) ++last;
    if (!set.empty()) set += ',';
    set += std::to_string(uids[i]);
    if (last > i) set += ':' + std::to_string(uids[last]);
    i = last + 1;
  }
  return set;
}

}  // namespace redress::email::transport
