#include "http/router.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace redress::http {

namespace {

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

/// True when the two patterns match exactly the same paths ("{id}" and "{case_id}" alike).
bool SameShape(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (IsParam(a[i]) != IsParam(b[i])) return false;
    if (!IsParam(a[i]) && a[i] != b[i]) return false;
  }
  return true;
}

std::string_view ParamName(std::string_view segment) {
  return segment.substr(1, segment.size() - 2);
}

/// Splits "/a/b/" into {"a", "b", ""}: the empty last segment keeps a trailing slash
/// from matching the pattern without one. Returns false if `path` does not start with '/'.
bool SplitPath(std::string_view path, std::vector<std::string_view>* segments) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (;;) {
    size_t slash = path.find('/');
    segments->push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decodes one path segment ('+' is literal in paths). nullopt for a '%' not
/// followed by two hex digits: such a path names no resource.
std::optional<std::string> DecodeSegment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') {
      out.push_back(segment[i]);
      continue;
    }
    if (i + 2 >= segment.size()) return std::nullopt;
    int hi = HexValue(segment[i + 1]);
    int lo = HexValue(segment[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

void Router::Add(boost::beast::http::verb method, std::string pattern, Access access,
                 Handler handler, RouteOptions options) {
  std::vector<std::string_view> parts;
  if (!SplitPath(pattern, &parts)) {
    throw std::logic_error("route pattern must start with '/': " + pattern);
  }
  Route route{method, pattern, {}, access, std::move(handler), std::move(options)};
  for (std::string_view part : parts) {
    bool has_brace = part.find_first_of("{}") != std::string_view::npos;
    if (has_brace && (!IsParam(part) || ParamName(part).empty() ||
                      ParamName(part).find_first_of("{}") != std::string_view::npos)) {
      throw std::logic_error("malformed parameter segment '" + std::string(part) +
                             "' in route pattern " + pattern);
    }
    route.segments.emplace_back(part);
  }
  for (const Route& existing : routes_) {
    if (existing.method == method && SameShape(existing.segments, route.segments)) {
      throw std::logic_error("route registered twice: " + std::string(to_string(method)) + " " +
                             pattern);
    }
  }
  routes_.push_back(std::move(route));
}

std::optional<Router::Match> Router::Find(boost::beast::http::verb method, std::string_view path,
                                          std::vector<boost::beast::http::verb>* allowed) const {
  if (allowed != nullptr) allowed->clear();
  std::vector<std::string_view> raw;
  if (!SplitPath(path, &raw)) return std::nullopt;
  std::vector<std::string> decoded;
  decoded.reserve(raw.size());
  for (std::string_view segment : raw) {
    std::optional<std::string> d = DecodeSegment(segment);
    if (!d) return std::nullopt;
    decoded.push_back(std::move(*d));
  }

  const Route* best = nullptr;
  for (const Route& route : routes_) {
    if (route.segments.size() != decoded.size()) continue;
    bool matches = true;
    for (size_t i = 0; i < decoded.size() && matches; ++i) {
      matches = IsParam(route.segments[i]) ? !decoded[i].empty() : route.segments[i] == decoded[i];
    }
    if (!matches) continue;
    // HEAD is answered by the GET route (RFC 9110 section 9.3.2); the dispatcher drops
    // the body.
    const bool serves = route.method == method ||
                        (method == boost::beast::http::verb::head &&
                         route.method == boost::beast::http::verb::get);
    if (!serves) {
      if (allowed != nullptr) {
        allowed->push_back(route.method);
        if (route.method == boost::beast::http::verb::get) {
          allowed->push_back(boost::beast::http::verb::head);
        }
      }
      continue;
    }
    if (best == nullptr) {
      best = &route;
      continue;
    }
    // The more specific route has a literal at the first position where the two differ.
    for (size_t i = 0; i < decoded.size(); ++i) {
      bool best_param = IsParam(best->segments[i]);
      bool this_param = IsParam(route.segments[i]);
      if (best_param != this_param) {
        if (best_param) best = &route;
        break;
      }
    }
  }

  if (best == nullptr) {
    if (allowed != nullptr) {
      std::sort(allowed->begin(), allowed->end());
      allowed->erase(std::unique(allowed->begin(), allowed->end()), allowed->end());
    }
    return std::nullopt;
  }
  if (allowed != nullptr) allowed->clear();
  Match match;
  match.handler = &best->handler;
  match.options = &best->options;
  match.access = best->access;
  match.pattern = best->pattern;
  for (size_t i = 0; i < decoded.size(); ++i) {
    if (IsParam(best->segments[i])) {
      match.params.emplace(std::string(ParamName(best->segments[i])), std::move(decoded[i]));
    }
  }
  return match;
}

std::vector<std::pair<boost::beast::http::verb, std::string>> Router::Routes() const {
  std::vector<std::pair<boost::beast::http::verb, std::string>> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.emplace_back(route.method, route.pattern);
  return out;
}

}  // namespace redress::http
