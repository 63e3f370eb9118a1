#include "channels/email/mbox.h"

#include "core/ascii.h"

namespace redress::email {
namespace {

// "HH:MM" somewhere in the line: every asctime date has one, prose rarely does.
bool HasClockTime(std::string_view line) {
  for (size_t i = 0; i + 5 <= line.size(); ++i) {
    if (IsAsciiDigit(line[i]) && IsAsciiDigit(line[i + 1]) && line[i + 2] == ':' &&
        IsAsciiDigit(line[i + 3]) && IsAsciiDigit(line[i + 4])) {
      return true;
    }
  }
  return false;
}

bool IsEnvelopeLine(std::string_view line) {
  if (line.substr(0, 5) != "From ") return false;
  std::string_view rest = TrimAsciiSpace(line.substr(5));
  return rest == "-" || rest.substr(0, 2) == "- " || HasClockTime(rest);
}

}  // namespace

std::vector<std::string_view> SplitMbox(std::string_view mbox) {
  if (mbox.substr(0, 3) == "\xEF\xBB\xBF") mbox.remove_prefix(3);
  std::vector<size_t> starts;
  size_t pos = 0;
  while (pos < mbox.size()) {
    size_t eol = mbox.find('\n', pos);
    size_t end = eol == std::string_view::npos ? mbox.size() : eol;
    if (IsEnvelopeLine(mbox.substr(pos, end - pos))) starts.push_back(pos);
    pos = end + 1;
  }
  std::vector<std::string_view> messages;
  if (starts.empty() || starts.front() != 0) {
    size_t first_end = starts.empty() ? mbox.size() : starts.front();
    if (!TrimAsciiSpace(mbox.substr(0, first_end)).empty()) {
      messages.push_back(mbox.substr(0, first_end));
    }
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    size_t end = i + 1 < starts.size() ? starts[i + 1] : mbox.size();
    messages.push_back(mbox.substr(starts[i], end - starts[i]));
  }
  return messages;
}

}  // namespace redress::email
