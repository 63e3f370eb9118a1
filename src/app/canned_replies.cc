#include "app/canned_replies.h"

#include <algorithm>
#include <cctype>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time_format.h"
#include "core/utf8.h"

namespace redress::app {
namespace {

namespace json = boost::json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

void SortByTitle(std::vector<CannedReply>& items) {
  std::stable_sort(items.begin(), items.end(), [](const CannedReply& a, const CannedReply& b) {
    const std::string la = Lower(a.title), lb = Lower(b.title);
    return la != lb ? la < lb : a.id < b.id;
  });
}

Result<void> CheckPlaceholders(const std::string& body) {
  const auto& known = CannedPlaceholders();
  size_t at = 0;
  while ((at = body.find("{{", at)) != std::string::npos) {
    const size_t end = body.find("}}", at + 2);
    if (end == std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument,
                  "field 'body' has a '{{' without a closing '}}'", "body");
    }
    std::string name = body.substr(at + 2, end - at - 2);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + ("{{" + k + "}}");
      return Fail(ErrorCode::kInvalidArgument,
                  "field 'body' has an unknown placeholder {{" + name + "}}; known: " + list,
                  "body");
    }
    at = end + 2;
  }
  return {};
}

}  // namespace

const std::vector<std::string>& CannedPlaceholders() {
  static const std::vector<std::string> names = {"customer.name", "customer.email", "case.id",
                                                 "case.subject", "agent.name"};
  return names;
}

Result<void> ValidateCannedReply(const std::string& title, const std::string& body) {
  if (!ValidUtf8(title) || title.find_first_not_of(" \t") == std::string::npos ||
      HasControlChar(title) || Utf8Length(title) > kMaxCannedTitle) {
    return Fail(ErrorCode::kInvalidArgument,
                "field 'title' must be 1 to " + std::to_string(kMaxCannedTitle) +
                    " characters on one line",
                "title");
  }
  if (!ValidUtf8(body) || body.find_first_not_of(" \t\r\n") == std::string::npos ||
      Utf8Length(body) > kMaxCannedBody) {
    return Fail(ErrorCode::kInvalidArgument,
                "field 'body' must be 1 to " + std::to_string(kMaxCannedBody) + " characters",
                "body");
  }
  return CheckPlaceholders(body);
}

std::string EncodeCannedReplies(const CannedReplyList& list) {
  json::array items;
  for (const auto& r : list.items) {
    items.emplace_back(json::object{{"id", r.id},
                                    {"title", r.title},
                                    {"body", r.body},
                                    {"updated_at", FormatTimestamp(r.updated_at)}});
  }
  return json::serialize(json::object{{"next_id", list.next_id}, {"items", std::move(items)}});
}

Result<CannedReplyList> DecodeCannedReplies(const std::string& stored) {
  CannedReplyList list;
  if (stored.empty()) return list;
  const auto corrupt = [](const std::string& why) {
    return Fail(ErrorCode::kCorruption, "stored canned replies are unreadable: " + why);
  };
  boost::system::error_code ec;
  json::value doc = json::parse(stored, ec);
  if (ec || !doc.is_object()) return corrupt("not a JSON object");
  const json::object& obj = doc.as_object();
  const auto* next = obj.if_contains("next_id");
  const auto* items = obj.if_contains("items");
  if (next == nullptr || !next->is_int64() || items == nullptr || !items->is_array()) {
    return corrupt("next_id or items missing");
  }
  list.next_id = next->as_int64();
  for (const auto& item : items->as_array()) {
    const auto* o = item.if_object();
    if (o == nullptr) return corrupt("an item is not an object");
    const auto* id = o->if_contains("id");
    const auto* title = o->if_contains("title");
    const auto* body = o->if_contains("body");
    const auto* updated = o->if_contains("updated_at");
    if (!id || !id->is_int64() || !title || !title->is_string() || !body || !body->is_string() ||
        !updated || !updated->is_string()) {
      return corrupt("an item lacks id, title, body or updated_at");
    }
    auto at = ParseTimestamp(std::string(updated->as_string()));
    if (!at) return corrupt(at.error().message);
    list.items.push_back(CannedReply{id->as_int64(), std::string(title->as_string()),
                                     std::string(body->as_string()), *at});
  }
  return list;
}

Result<CannedReply> AddCannedReply(CannedReplyList& list, std::string title, std::string body,
                                   Timestamp now) {
  if (list.items.size() >= kMaxCannedReplies) {
    return Fail(ErrorCode::kConflict, "there are already " + std::to_string(kMaxCannedReplies) +
                                          " canned replies; remove one first");
  }
  CannedReply reply{list.next_id++, std::move(title), std::move(body), now};
  list.items.push_back(reply);
  SortByTitle(list.items);
  return reply;
}

Result<CannedReply> UpdateCannedReply(CannedReplyList& list, int64_t id, std::string title,
                                      std::string body, Timestamp now) {
  auto it = std::find_if(list.items.begin(), list.items.end(),
                         [id](const CannedReply& r) { return r.id == id; });
  if (it == list.items.end()) {
    return Fail(ErrorCode::kNotFound, "no canned reply " + std::to_string(id));
  }
  it->title = std::move(title);
  it->body = std::move(body);
  it->updated_at = now;
  CannedReply copy = *it;
  SortByTitle(list.items);
  return copy;
}

Result<void> RemoveCannedReply(CannedReplyList& list, int64_t id) {
  auto it = std::find_if(list.items.begin(), list.items.end(),
                         [id](const CannedReply& r) { return r.id == id; });
  if (it == list.items.end()) {
    return Fail(ErrorCode::kNotFound, "no canned reply " + std::to_string(id));
  }
  list.items.erase(it);
  return {};
}

}  // namespace redress::app
