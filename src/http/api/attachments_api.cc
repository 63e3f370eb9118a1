// Uploaded files (domain/attachment.h):
//
//   POST /api/v1/attachments?filename=receipt.pdf   the file's bytes as the body, sent as
//        its own media type (image/jpeg, image/png, image/gif, image/webp, application/pdf,
//        text/plain); at most kMaxUploadBytes. 201 with the attachment's description. The
//        upload belongs to no case until the request that uses it (opening a case with
//        "attachment_ids") gives it to that case, in the same write as the event.
//   GET  /api/v1/attachments/{id}                    the bytes, for whoever may read them
//        (domain::CanReadAttachment); 404 for everyone else, as for a missing one.
//
// A download never runs in the browser: active types are refused at upload, and every
// download carries nosniff and a sandboxing Content-Security-Policy.
#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <string>
#include <utility>

#include "app/services.h"
#include "core/sha256.h"
#include "domain/attachment.h"
#include "http/api/api_util.h"
#include "http/api/attachment_view.h"
#include "http/api/routes.h"
#include "http/response.h"

namespace redress::http::api {
namespace {

using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;

constexpr uint64_t kMaxUploadBytes = uint64_t{10} << 20;

boost::asio::awaitable<Response> PostAttachment(RequestContext& ctx) {
  auto name = ctx.query.find("filename");
  auto filename = domain::CleanFilename(name == ctx.query.end() ? "" : name->second);
  if (!filename) co_return MakeProblem(ctx, filename.error());
  auto type = domain::AcceptedUploadType(ctx.request[field::content_type]);
  if (!type) co_return MakeProblem(ctx, type.error());
  if (ctx.request.body().empty()) {
    co_return MakeProblem(ctx, Error{ErrorCode::kInvalidArgument,
                                     "the file is empty: send its bytes as the request body", ""});
  }
  store::Attachment attachment;
  attachment.uploaded_by = domain::UploaderName(ctx.who());
  attachment.filename = std::move(*filename);
  attachment.content_type = std::move(*type);
  // Hashing up to 10 MiB is CPU work: off the I/O thread. The lambda captures by reference
  // only (see inbound_mail_api.cc); the request outlives this coroutine.
  auto sha256 = co_await OnCpuPool<std::string>(
      ctx, [&]() -> Result<std::string> { return Sha256Hex(ctx.request.body()); });
  if (!sha256) co_return MakeProblem(ctx, sha256.error());
  attachment.bytes = ctx.request.body();
  attachment.sha256 = std::move(*sha256);
  attachment.created_at = ctx.services.clock.Now();
  co_return co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    if (auto stored = tx.InsertAttachment(attachment); !stored) return Fail(stored.error());
    return Reply{status::created, AttachmentView(attachment),
                 "/api/v1/attachments/" + std::to_string(attachment.id)};
  });
}

// "receipt.pdf" for the plain parameter (non-ASCII bytes as '_') and the exact UTF-8 name
// percent-encoded for RFC 6266 / 5987 clients.
std::string ContentDisposition(std::string_view disposition, const std::string& filename) {
  std::string ascii;
  for (unsigned char c : filename) {
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
  }
  return std::string(disposition) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" +
         boost::urls::encode(filename, boost::urls::unreserved_chars);
}

boost::asio::awaitable<Response> GetAttachment(RequestContext& ctx) {
  auto id = PathId(ctx, "id");
  if (!id) co_return MakeProblem(ctx, id.error());
  const Error missing{ErrorCode::kNotFound, "attachment " + std::to_string(*id) + " does not exist",
                      ""};
  auto found = ctx.services.store.GetAttachment(*id);
  if (!found) co_return MakeProblem(ctx, found.error());
  if (!*found) co_return MakeProblem(ctx, missing);
  const store::Attachment& attachment = **found;
  std::optional<domain::CaseState> owning_case;
  if (attachment.case_id) {
    auto state = ctx.services.store.GetCase(*attachment.case_id);
    if (!state) co_return MakeProblem(ctx, state.error());
    owning_case = std::move(*state);
  }
  if (!domain::CanReadAttachment(ctx.who(), attachment.uploaded_by,
                                 owning_case ? &*owning_case : nullptr)) {
    co_return MakeProblem(ctx, missing);
  }
  const bool picture = attachment.content_type.starts_with("image/");
  Response response = Text(status::ok, attachment.bytes, attachment.content_type);
  response.set(field::content_disposition,
               ContentDisposition(picture ? "inline" : "attachment", attachment.filename));
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Content-Security-Policy", "sandbox; default-src 'none'");
  response.set(field::cache_control, "private, max-age=3600");
  response.set(field::etag, "\"" + attachment.sha256 + "\"");
  co_return response;
}

}  // namespace

void RegisterAttachmentRoutes(Router& router) {
  RouteOptions upload;
  upload.media_types = {"image/jpeg", "image/png", "image/gif", "image/webp",
                        "application/pdf", "text/plain"};
  upload.body_limit = [](const app::Services&) { return kMaxUploadBytes; };
  router.Add(verb::post, "/api/v1/attachments", Access::kAuthenticated, PostAttachment,
             std::move(upload));
  router.Add(verb::get, "/api/v1/attachments/{id}", Access::kAuthenticated, GetAttachment);
}

}  // namespace redress::http::api
