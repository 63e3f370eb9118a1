#include "domain/event_data.h"

#include <limits>
#include <string>

#include <boost/json/kind.hpp>
#include <boost/json/value.hpp>

#include "core/time_format.h"

namespace redress::domain {
namespace {

tl::unexpected<Error> Corrupt(std::string_view key, std::string_view problem) {
  return Fail(ErrorCode::kCorruption, "data." + std::string(key) + " " + std::string(problem));
}

Result<const boost::json::value*> Find(const boost::json::object& data, std::string_view key) {
  const boost::json::value* v = data.if_contains(key);
  if (v == nullptr) return Corrupt(key, "is missing");
  return v;
}

tl::unexpected<Error> WrongKind(std::string_view key, const char* wanted,
                                const boost::json::value& v) {
  return Corrupt(key, std::string("must be ") + wanted + ", not " +
                          std::string(boost::json::to_string(v.kind())));
}

Result<int64_t> AsInt(std::string_view key, const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() &&
      v.get_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_uint64()) return Corrupt(key, "is out of range");
  return WrongKind(key, "an integer", v);
}

}  // namespace

Result<std::string_view> DataString(const boost::json::object& data, std::string_view key) {
  auto v = Find(data, key);
  if (!v) return Fail(v.error());
  if (const boost::json::string* s = (*v)->if_string()) return std::string_view(*s);
  return WrongKind(key, "a string", **v);
}

Result<int64_t> DataInt(const boost::json::object& data, std::string_view key) {
  auto v = Find(data, key);
  if (!v) return Fail(v.error());
  return AsInt(key, **v);
}

Result<std::optional<int64_t>> DataOptionalInt(const boost::json::object& data,
                                               std::string_view key) {
  auto v = Find(data, key);
  if (!v) return Fail(v.error());
  if ((*v)->is_null()) return std::optional<int64_t>();
  auto i = AsInt(key, **v);
  if (!i) return Fail(i.error());
  return std::optional<int64_t>(*i);
}

Result<bool> DataBool(const boost::json::object& data, std::string_view key) {
  auto v = Find(data, key);
  if (!v) return Fail(v.error());
  if ((*v)->is_bool()) return (*v)->get_bool();
  return WrongKind(key, "a boolean", **v);
}

Result<Timestamp> DataTimestamp(const boost::json::object& data, std::string_view key) {
  auto text = DataString(data, key);
  if (!text) return Fail(text.error());
  auto t = ParseTimestamp(*text);
  if (!t) return Corrupt(key, "is not a timestamp: " + t.error().message);
  return *t;
}

Result<std::vector<std::string_view>> DataStringArray(const boost::json::object& data,
                                                      std::string_view key) {
  auto v = Find(data, key);
  if (!v) return Fail(v.error());
  const boost::json::array* array = (*v)->if_array();
  if (array == nullptr) return WrongKind(key, "an array", **v);
  std::vector<std::string_view> out;
  for (const boost::json::value& item : *array) {
    const boost::json::string* s = item.if_string();
    if (s == nullptr) return Corrupt(key, "must hold only strings");
    out.emplace_back(*s);
  }
  return out;
}

}  // namespace redress::domain
