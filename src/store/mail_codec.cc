#include "store/mail_codec.h"

namespace redress::store {

std::optional<OutboxStatus> ParseOutboxStatus(std::string_view text) {
  for (OutboxStatus s : {OutboxStatus::kQueued, OutboxStatus::kSent, OutboxStatus::kFailed}) {
    if (text == OutboxStatusName(s)) return s;
  }
  return std::nullopt;
}

Result<void> CountOutbox(MailChannelStatus& status, std::string_view name, int64_t count) {
  auto parsed = ParseOutboxStatus(name);
  if (!parsed) {
    return Fail(ErrorCode::kCorruption,
                "mail_outbox has rows of unknown status '" + std::string(name) + "'");
  }
  switch (*parsed) {
    case OutboxStatus::kQueued:
      status.outbox_queued += count;
      break;
    case OutboxStatus::kSent:
      status.outbox_sent += count;
      break;
    case OutboxStatus::kFailed:
      status.outbox_failed += count;
      break;
  }
  return {};
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
