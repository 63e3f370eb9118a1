#include "http/static_site.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <boost/beast/http/field.hpp>

#include "core/sha256.h"

namespace redress::http {
namespace {

namespace fs = std::filesystem;
namespace bhttp = boost::beast::http;

std::string_view Extension(std::string_view name) {
  const size_t slash = name.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? name : name.substr(slash + 1);
  const size_t dot = last.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : last.substr(dot + 1);
}

bool ReadWhole(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(buffer).str();
  return true;
}

// "gzip" listed in Accept-Encoding with a non-zero quality.
bool AcceptsGzip(const Request& request) {
  auto it = request.find(bhttp::field::accept_encoding);
  if (it == request.end()) return false;
  std::string_view value = it->value();
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view item = value.substr(start, comma - start);
    start = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const size_t semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = item.substr(semi + 1);
    const size_t q = params.find("q=");
    if (q == std::string_view::npos) return true;
    std::string_view quality = params.substr(q + 2);
    return !(quality.rfind("0", 0) == 0 && quality.find_first_not_of("0. ") == std::string_view::npos);
  }
  return false;
}

bool SafeRelativePath(std::string_view path) {
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    if (segment == "." || segment == "..") return false;
    start = slash + 1;
  }
  return true;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view file_name) {
  static const std::map<std::string_view, std::string_view> kTypes = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},
  };
  std::string ext(Extension(file_name));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? std::string_view("application/octet-stream") : it->second;
}

Result<std::shared_ptr<const StaticSite>> StaticSite::Load(const std::string& root,
                                                           int64_t max_total_bytes) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "web root " + root + " is not a directory");
  }
  if (!fs::is_regular_file(fs::path(root) / "index.html", ec)) {
    return Fail(ErrorCode::kInvalidArgument,
                "web root " + root + " has no index.html (build the front end: make web)");
  }
  auto site = std::make_shared<StaticSite>();
  site->root_ = root;
  std::map<std::string, std::string> gzipped;
  int64_t total = 0;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot list web root " + root + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Fail(ErrorCode::kUnavailable, "cannot list web root " + root + ": " + ec.message());
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string name = fs::relative(it->path(), root, ec).generic_string();
    if (ec || name.empty()) continue;
    std::string bytes;
    if (!ReadWhole(it->path(), bytes)) {
      return Fail(ErrorCode::kUnavailable, "cannot read " + it->path().string());
    }
    total += static_cast<int64_t>(bytes.size());
    if (total > max_total_bytes) {
      return Fail(ErrorCode::kUnavailable, "web root " + root + " is larger than " +
                                               std::to_string(max_total_bytes) + " bytes");
    }
    if (name.size() > 3 && name.ends_with(".gz")) {
      gzipped.emplace(name.substr(0, name.size() - 3), std::move(bytes));
      continue;
    }
    File file;
    file.content_type = std::string(ContentTypeFor(name));
    file.etag = "\"" + Sha256Hex(bytes).substr(0, 32) + "\"";
    file.bytes = std::move(bytes);
    site->files_.emplace(std::move(name), std::move(file));
  }
  for (auto& [name, bytes] : gzipped) {
    auto file = site->files_.find(name);
    if (file != site->files_.end()) file->second.gzip = std::move(bytes);
  }
  return std::shared_ptr<const StaticSite>(std::move(site));
}

std::optional<Response> StaticSite::Serve(const Request& request,
                                          std::string_view decoded_path) const {
  if (decoded_path.rfind("/api/", 0) == 0 || decoded_path == "/api") return std::nullopt;
  std::string_view relative = decoded_path;
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);

  auto not_found = [] {
    Response response{bhttp::status::not_found, 11};
    response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    response.body() = "not found\n";
    return response;
  };
  Response response;
  if (!SafeRelativePath(relative)) {
    response = not_found();
  } else if (auto file = files_.find(relative); !relative.empty() && file != files_.end()) {
    response = Answer(request, file->first, file->second);
  } else if (!Extension(relative).empty()) {
    response = not_found();
  } else {
    auto index = files_.find(std::string_view("index.html"));
    response = Answer(request, index->first, index->second);
  }
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set(bhttp::field::x_frame_options, "DENY");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "same-origin");
  return response;
}

Response StaticSite::Answer(const Request& request, const std::string& name,
                            const File& file) const {
  Response response{bhttp::status::ok, 11};
  const bool immutable = name.rfind("assets/", 0) == 0;
  response.set(bhttp::field::cache_control,
               immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.set(bhttp::field::etag, file.etag);
  response.set(bhttp::field::content_type, file.content_type);
  if (!file.gzip.empty()) response.set(bhttp::field::vary, "Accept-Encoding");
  if (auto match = request.find(bhttp::field::if_none_match); match != request.end()) {
    std::string_view tags = match->value();
    if (tags == "*" || tags.find(file.etag) != std::string_view::npos) {
      response.result(bhttp::status::not_modified);
      return response;
    }
  }
  if (!file.gzip.empty() && AcceptsGzip(request)) {
    response.set(bhttp::field::content_encoding, "gzip");
    response.body() = file.gzip;
  } else {
    response.body() = file.bytes;
  }
  return response;
}

}  // namespace redress::http
