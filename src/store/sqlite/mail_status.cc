// SqliteMailTx::ChannelStatus: the mail channel at a glance, for the admin channels page.
#include "core/time_format.h"
#include "store/mail_codec.h"
#include "store/sqlite/mail_tx.h"

namespace redress::store::sqlite {

Result<MailChannelStatus> SqliteMailTx::ChannelStatus() {
  MailChannelStatus status;
  auto boxes = db_.Prepare(
      "SELECT name, uidvalidity, last_uid, updated_at FROM mail_mailboxes ORDER BY name");
  if (!boxes) return Fail(boxes.error());
  for (;;) {
    auto row = (*boxes)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    status.mailboxes.push_back({(*boxes)->ColumnText(0),
                                MailboxCursor{(*boxes)->ColumnInt64(1), (*boxes)->ColumnInt64(2)},
                                TimestampFromMicros((*boxes)->ColumnInt64(3))});
  }
  auto outbox = db_.Prepare("SELECT status, count(*) FROM mail_outbox GROUP BY status");
  if (!outbox) return Fail(outbox.error());
  for (;;) {
    auto row = (*outbox)->Step();
    if (!row) return Fail(row.error());
    if (!*row) break;
    auto counted = CountOutbox(status, (*outbox)->ColumnText(0), (*outbox)->ColumnInt64(1));
    if (!counted) return Fail(counted.error());
  }
  auto inbound = db_.Prepare(
      "SELECT max(received_at) FROM mail_messages WHERE direction = 'inbound'");
  if (!inbound) return Fail(inbound.error());
  auto row = (*inbound)->Step();
  if (!row) return Fail(row.error());
  if (*row && !(*inbound)->ColumnIsNull(0)) {
    status.last_inbound_at = TimestampFromMicros((*inbound)->ColumnInt64(0));
  }
  if (auto done = (*inbound)->Run(); !done) return Fail(done.error());
  return status;
}

}  // namespace redress::store::sqlite
