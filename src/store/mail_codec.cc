#include "store/mail_codec.h"

namespace redress::store {

std::optional<OutboxStatus> ParseOutboxStatus(std::string_view text) {
  for (OutboxStatus s : {OutboxStatus::kQueued, OutboxStatus::kSent, OutboxStatus::kFailed}) {
    if (text == OutboxStatusName(s)) return s;
  }
  return std::nullopt;
}

std::string JoinRecipients(const std::vector<std::string>& recipients) {
  std::string out;
  for (const std::string& r : recipients) {
    if (!out.empty()) out += '\n';
    out += r;
  }
  return out;
}

std::vector<std::string> SplitRecipients(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace redress::store
