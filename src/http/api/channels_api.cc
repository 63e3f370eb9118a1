// The channels page for admins: the configured mailboxes and SMTP relay (from the config
// file, read-only; a password is never shown, only whether one is configured) and their
// state from the mail tables: each mailbox's poll cursor and when it last moved, the
// outbox by status, and when mail last arrived.
#include <boost/json/array.hpp>
#include <optional>

#include "app/services.h"
#include "core/time_format.h"
#include "http/api/api_util.h"
#include "http/api/routes.h"

namespace redress::http::api {
namespace {

namespace json = boost::json;
using boost::beast::http::status;
using boost::beast::http::verb;

json::value OptionalTime(const std::optional<Timestamp>& at) {
  return at ? json::value(FormatTimestamp(*at)) : json::value(nullptr);
}

json::object ServerView(const app::MailServerConfig& server) {
  return json::object{{"url", server.url},
                      {"tls", server.tls.empty() ? "from the URL scheme" : server.tls},
                      {"username", server.username},
                      {"password_configured", !server.password_file.empty()}};
}

json::object ChannelsView(const app::MailConfig& mail, const store::MailChannelStatus& state) {
  json::array addresses;
  for (const auto& address : mail.addresses) addresses.emplace_back(address);
  json::array mailboxes;
  for (const auto& box : mail.mailboxes) {
    json::object view{{"name", box.name},         {"server", ServerView(box.server)},
                      {"folder", box.folder},     {"processed_folder", box.processed_folder},
                      {"category", box.category}, {"poll_seconds", box.poll_seconds},
                      {"idle", box.idle},         {"uidvalidity", nullptr},
                      {"last_uid", nullptr},      {"last_poll_at", nullptr}};
    for (const auto& polled : state.mailboxes) {
      if (polled.name != box.name) continue;
      view["uidvalidity"] = polled.cursor.uidvalidity;
      view["last_uid"] = polled.cursor.last_uid;
      view["last_poll_at"] = FormatTimestamp(polled.updated_at);
    }
    mailboxes.emplace_back(std::move(view));
  }
  json::object email{{"enabled", mail.enabled()},
                     {"addresses", std::move(addresses)},
                     {"from_name", mail.from_name},
                     {"acknowledge", mail.acknowledge},
                     {"max_message_bytes", mail.max_message_bytes},
                     {"smtp", mail.smtp ? json::value(ServerView(*mail.smtp)) : json::value(nullptr)},
                     {"mailboxes", std::move(mailboxes)},
                     {"outbox", json::object{{"queued", state.outbox_queued},
                                             {"sent", state.outbox_sent},
                                             {"failed", state.outbox_failed}}},
                     {"last_inbound_at", OptionalTime(state.last_inbound_at)}};
  return json::object{{"email", std::move(email)}};
}

boost::asio::awaitable<Response> GetChannels(RequestContext& ctx) {
  // The mail tables are reached through a write transaction (store/mail_tx.h); this
  // admin page is rare enough for the one round through the writer.
  co_return co_await DurableWrite(ctx, [&](store::WriteTx& tx) -> Result<Reply> {
    auto state = tx.mail().ChannelStatus();
    if (!state) return Fail(state.error());
    return Reply{status::ok, ChannelsView(ctx.services.config.mail, *state), {}};
  });
}

}  // namespace

void RegisterChannelRoutes(Router& router) {
  router.Add(verb::get, "/api/v1/admin/channels", Access::kAdmin, GetChannels);
}

}  // namespace redress::http::api
