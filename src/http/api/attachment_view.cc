#include "http/api/attachment_view.h"

#include <string>

namespace redress::http::api {

boost::json::object AttachmentView(const store::Attachment& attachment) {
  return boost::json::object{{"id", attachment.id},
                             {"filename", attachment.filename},
                             {"content_type", attachment.content_type},
                             {"size", attachment.size},
                             {"sha256", attachment.sha256},
                             {"url", "/api/v1/attachments/" + std::to_string(attachment.id)}};
}

}  // namespace redress::http::api
