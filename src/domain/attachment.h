// Files customers and agents upload (a photo of the damaged item, a receipt): which ones
// Redress accepts, and who may read one back. The bytes live in the store; events name
// an attachment by id, so the event log stays small and the hash chain covers the
// reference, the name, the type and the SHA-256 of the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/case_state.h"
#include "domain/principal.h"

namespace redress::domain {

/// At most this many attachments on one message or case opening.
inline constexpr size_t kMaxAttachmentsPerMessage = 10;

/// Who uploaded it, as stored: "customer:<id>" or "user:<id>".
std::string UploaderName(const Principal& p);

/// The upload's file name made safe to store and to offer back for download: the last
/// path segment, control characters and quotes removed, at most 200 bytes of valid UTF-8.
/// kInvalidArgument (field "filename") if nothing is left.
Result<std::string> CleanFilename(std::string_view filename);

/// The media type an upload is accepted as: pictures (JPEG, PNG, GIF, WebP), PDF and plain
/// text, compared without parameters and ignoring case; kUnsupportedMediaType-style
/// kInvalidArgument (field "content_type") naming the accepted types otherwise. Active
/// content (HTML, SVG, scripts) is never accepted: a download must not run in the browser.
Result<std::string> AcceptedUploadType(std::string_view content_type);

/// An evidence entry that names an upload, "attachment:<id>": its id; nullopt for any other
/// evidence (a data URL, a file name); kInvalidArgument for "attachment:" followed by
/// something that is not a positive id.
Result<std::optional<int64_t>> UploadReference(std::string_view evidence);

/// Staff read every attachment. A customer reads only their own uploads, and only while
/// they are unused or on one of their own cases. The system reads everything.
bool CanReadAttachment(const Principal& p, std::string_view uploaded_by,
                       const CaseState* owning_case);

}  // namespace redress::domain
