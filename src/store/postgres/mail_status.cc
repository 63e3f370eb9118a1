// PgMailTx::ChannelStatus: the mail channel at a glance, for the admin channels page.
#include "core/time_format.h"
#include "store/mail_codec.h"
#include "store/postgres/mail_tx.h"

namespace redress::store::postgres {

Result<MailChannelStatus> PgMailTx::ChannelStatus() {
  MailChannelStatus status;
  auto boxes = conn_.Query(
      "SELECT name, uidvalidity, last_uid, updated_at FROM mail_mailboxes ORDER BY name", Params());
  if (!boxes) return Fail(boxes.error());
  for (int i = 0; i < boxes->size(); ++i) {
    status.mailboxes.push_back({boxes->Text(i, 0),
                                MailboxCursor{boxes->Int64(i, 1), boxes->Int64(i, 2)},
                                TimestampFromMicros(boxes->Int64(i, 3))});
  }
  auto outbox = conn_.Query("SELECT status, count(*) FROM mail_outbox GROUP BY status", Params());
  if (!outbox) return Fail(outbox.error());
  for (int i = 0; i < outbox->size(); ++i) {
    if (auto counted = CountOutbox(status, outbox->Text(i, 0), outbox->Int64(i, 1)); !counted) {
      return Fail(counted.error());
    }
  }
  auto inbound = conn_.Query(
      "SELECT max(received_at) FROM mail_messages WHERE direction = 'inbound'", Params());
  if (!inbound) return Fail(inbound.error());
  if (auto at = inbound->OptionalInt64(0, 0)) status.last_inbound_at = TimestampFromMicros(*at);
  return status;
}

}  // namespace redress::store::postgres
