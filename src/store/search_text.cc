#include "store/search_text.h"

namespace redress::store {

std::vector<std::string> SearchTexts(bool is_new, const domain::CaseState& after,
                                     const std::vector<domain::Event>& events) {
  std::vector<std::string> texts;
  if (is_new) texts.push_back(after.subject);
  for (const domain::Event& event : events) {
    if (event.visibility != domain::Visibility::kPublic) continue;
    const boost::json::value* body = event.data.if_contains("body");
    if (body != nullptr && body->is_string() && !body->as_string().empty()) {
      texts.emplace_back(body->as_string());
    }
  }
  return texts;
}

std::vector<std::string> SearchWords(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool letter = byte >= 0x80 || (byte >= '0' && byte <= '9') ||
                        (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z');
    if (letter) {
      word.push_back(byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

Result<std::vector<std::string>> CheckedSearchWords(const std::string& text, int limit) {
  std::vector<std::string> words = SearchWords(text);
  if (words.empty()) return Fail(ErrorCode::kInvalidArgument, "the search has no words", "q");
  if (limit < 1 || limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be 1 to 200", "limit");
  }
  return words;
}

}  // namespace redress::store
