#include "eventlog/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include "core/utf8.h"

namespace redress::eventlog {
namespace {

// Where a value sits in the document, kept as a chain of stack frames and only rendered to
// text when an error needs it: hashing a long chain must not allocate a path per value.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // for an object member
  size_t index = 0;      // for an array element
  bool is_index = false;

  std::string Render() const {
    std::string text = parent ? parent->Render() : std::string();
    if (is_index) {
      text += "[" + std::to_string(index) + "]";
    } else if (!key.empty() || parent) {
      if (!text.empty()) text += ".";
      text += key;
    }
    return text;
  }
};

tl::unexpected<Error> Invalid(const Path& path, std::string_view what, std::string_view why) {
  std::string field = path.Render();
  std::string where = field.empty() ? "at the top level" : "at '" + field + "'";
  return Fail(ErrorCode::kInvalidArgument,
              std::string(what) + " " + where + " " + std::string(why), std::move(field));
}

Result<void> AppendString(std::string_view s, const Path& path, std::string_view what,
                          std::string& out) {
  // Boost.JSON's parser checks UTF-8, but a value built in code can hold any bytes, and a
  // hash over bytes no other implementation would produce could never be re-verified.
  if (!ValidUtf8(s)) return Invalid(path, what, "is not valid UTF-8");
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Runs of characters that need no escape (nearly all of them) are copied whole.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
  return {};
}

template <class Int>
void AppendInteger(Int n, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n);
  (void)ec;  // 24 bytes hold any 64-bit integer
  out.append(buf, end);
}

Result<void> Append(const boost::json::value& value, const Path& path, std::string& out) {
  switch (value.kind()) {
    case boost::json::kind::null: out += "null"; return {};
    case boost::json::kind::bool_: out += value.get_bool() ? "true" : "false"; return {};
    case boost::json::kind::int64: AppendInteger(value.get_int64(), out); return {};
    case boost::json::kind::uint64: AppendInteger(value.get_uint64(), out); return {};
    case boost::json::kind::double_:
      return Invalid(path, "floating-point number",
                     "is not allowed (amounts are integer minor units)");
    case boost::json::kind::string: return AppendString(value.get_string(), path, "string", out);
    case boost::json::kind::array: {
      const boost::json::array& array = value.get_array();
      out.push_back('[');
      for (size_t i = 0; i < array.size(); ++i) {
        if (i > 0) out.push_back(',');
        const Path element{&path, {}, i, true};
        auto r = Append(array[i], element, out);
        if (!r) return r;
      }
      out.push_back(']');
      return {};
    }
    case boost::json::kind::object: {
      const boost::json::object& object = value.get_object();
      std::vector<const boost::json::key_value_pair*> members;
      members.reserve(object.size());
      for (const auto& kv : object) members.push_back(&kv);
      // std::string_view compares like memcmp (unsigned bytes), which for valid UTF-8 is
      // code point order: the order Python's sort_keys produces.
      std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
        return a->key() < b->key();
      });
      out.push_back('{');
      for (size_t i = 0; i < members.size(); ++i) {
        const std::string_view key = members[i]->key();
        // The path names the parent: an invalid key must not be copied into the message,
        // which would then be invalid UTF-8 too.
        if (i > 0) out.push_back(',');
        auto r = AppendString(key, path, "object key", out);
        if (!r) return r;
        const Path member{&path, key, 0, false};
        // Boost 1.81 objects keep one value per key, so this cannot fire today; it stays
        // because a duplicate key would make the encoding depend on insertion order.
        if (i > 0 && members[i - 1]->key() == key) {
          return Invalid(member, "duplicate object key", "is not allowed");
        }
        out.push_back(':');
        r = Append(members[i]->value(), member, out);
        if (!r) return r;
      }
      out.push_back('}');
      return {};
    }
  }
  return Invalid(path, "value", "has an unknown JSON kind");
}

}  // namespace

Result<void> AppendCanonicalJson(const boost::json::value& value, std::string& out) {
  // On failure `out` is left as it was, so a caller never hashes half an encoding.
  const size_t mark = out.size();
  auto r = Append(value, Path{}, out);
  if (!r) out.resize(mark);
  return r;
}

Result<void> AppendCanonicalJson(const boost::json::value& value, std::string_view field,
                                 std::string& out) {
  const size_t mark = out.size();
  auto r = Append(value, Path{nullptr, field, 0, false}, out);
  if (!r) out.resize(mark);
  return r;
}

Result<void> AppendCanonicalString(std::string_view s, std::string_view field, std::string& out) {
  return AppendString(s, Path{nullptr, field, 0, false}, "string", out);
}

Result<std::string> CanonicalJson(const boost::json::value& value) {
  std::string out;
  auto r = AppendCanonicalJson(value, out);
  if (!r) return Fail(std::move(r.error()));
  return out;
}

}  // namespace redress::eventlog
