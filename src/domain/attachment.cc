#include "domain/attachment.h"

#include <array>
#include <charconv>

#include "core/ascii.h"
#include "core/utf8.h"

namespace redress::domain {

std::string UploaderName(const Principal& p) {
  return std::string(p.IsCustomer() ? "customer:" : "user:") + std::to_string(p.id);
}

Result<std::string> CleanFilename(std::string_view filename) {
  if (const size_t slash = filename.find_last_of("/\\"); slash != std::string_view::npos) {
    filename.remove_prefix(slash + 1);
  }
  std::string clean;
  for (char c : filename) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '"') continue;
    clean.push_back(c);
  }
  clean = std::string(TrimAsciiSpace(clean));
  if (clean.size() > 200) {  // cut at a character boundary
    size_t end = 200;
    while (end > 0 && (static_cast<unsigned char>(clean[end]) & 0xC0) == 0x80) --end;
    clean.resize(end);
  }
  if (clean.empty() || clean == "." || clean == ".." || !ValidUtf8(clean)) {
    return Fail(ErrorCode::kInvalidArgument,
                "the file needs a name (query parameter 'filename', like \"receipt.pdf\")",
                "filename");
  }
  return clean;
}

Result<std::string> AcceptedUploadType(std::string_view content_type) {
  static constexpr std::array<std::string_view, 6> kAccepted = {
      "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "text/plain"};
  const size_t semicolon = content_type.find(';');
  const std::string type = AsciiLower(TrimAsciiSpace(content_type.substr(0, semicolon)));
  for (std::string_view accepted : kAccepted) {
    if (type == accepted) return type;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "files of type '" + type +
                  "' are not accepted; upload a picture (JPEG, PNG, GIF, WebP), a PDF or "
                  "plain text",
              "content_type");
}

Result<std::optional<int64_t>> UploadReference(std::string_view evidence) {
  constexpr std::string_view kPrefix = "attachment:";
  if (!evidence.starts_with(kPrefix)) return std::optional<int64_t>();
  evidence.remove_prefix(kPrefix.size());
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(evidence.data(), evidence.data() + evidence.size(), id);
  if (ec != std::errc() || end != evidence.data() + evidence.size() || id <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "evidence \"attachment:" + std::string(evidence) +
                    "\" must name an upload by its id, like \"attachment:17\"");
  }
  return std::optional<int64_t>(id);
}

bool CanReadAttachment(const Principal& p, std::string_view uploaded_by,
                       const CaseState* owning_case) {
  if (p.IsStaff() || p.role == Role::kSystem) return true;
  if (!p.IsCustomer() || p.id <= 0 || uploaded_by != UploaderName(p)) return false;
  return owning_case == nullptr || owning_case->customer_id == p.id;
}

}  // namespace redress::domain
