// The web front end's built files (web/dist), served by the Redress server itself so that
// no other web server is needed. The whole directory is read into memory at startup: a
// Vite build is a few hundred kilobytes, reading it once makes every request a map lookup,
// and a half-written deploy can never be served half-old, half-new (restart to update).
//
// Rules, for GET and HEAD on paths that no API route claims:
//   * "/" and any path naming no file whose last segment has no dot ("/cases/42") answer
//     index.html: the single-page app routes in the browser (history API).
//   * A path whose last segment has a dot ("/assets/x.js") and names no file is 404, so a
//     missing script is a clear error, not an HTML page parsed as JavaScript.
//   * "." and ".." segments, backslashes and NUL are 404: nothing outside the directory.
//   * A file with a precompressed "<file>.gz" beside it is sent gzipped to clients that
//     accept gzip (Content-Encoding: gzip, Vary: Accept-Encoding).
//   * Files under assets/ have content-hashed names (Vite) and are cached for a year,
//     immutable; everything else (index.html) is revalidated every time. Every file has a
//     strong ETag; If-None-Match answers 304.
//   * Every response carries a Content-Security-Policy that allows only the site's own
//     scripts, styles and API (no inline script), plus nosniff and frame-denial headers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/context.h"

namespace redress::http {

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

class StaticSite {
 public:
  /// Reads every regular file under `root` (symlinks are not followed). kInvalidArgument if
  /// `root` is not a directory or has no index.html; kUnavailable if a file cannot be read
  /// or the total exceeds `max_total_bytes`.
  static Result<std::shared_ptr<const StaticSite>> Load(const std::string& root,
                                                         int64_t max_total_bytes = 64 << 20);

  /// The response for `decoded_path` (already percent-decoded, starting with "/"), or
  /// nullopt when the path is not the site's to answer (it is under /api/). `request`
  /// supplies the method (GET or HEAD), Accept-Encoding and If-None-Match.
  std::optional<Response> Serve(const Request& request, std::string_view decoded_path) const;

  size_t file_count() const { return files_.size(); }
  const std::string& root() const { return root_; }

 private:
  struct File {
    std::string bytes;
    std::string gzip;  // precompressed form, empty if none
    std::string content_type;
    std::string etag;  // quoted strong validator
  };

  Response Answer(const Request& request, const std::string& name, const File& file) const;

  std::string root_;
  std::map<std::string, File, std::less<>> files_;  // by path relative to root, "/"-separated
};

/// The Content-Type for a file name by its extension; application/octet-stream if unknown.
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace redress::http
