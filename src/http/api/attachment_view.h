// How an attachment is described in API replies and in the events that use it: never
// its bytes, which are fetched from "url".
#pragma once

#include <boost/json/object.hpp>

#include "store/store.h"

namespace redress::http::api {

/// {id, filename, content_type, size, sha256, url}
boost::json::object AttachmentView(const store::Attachment& attachment);

}  // namespace redress::http::api
