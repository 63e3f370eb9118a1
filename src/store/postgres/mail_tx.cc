#include "store/postgres/mail_tx.h"

#include "core/hex.h"
#include "core/time_format.h"
#include "store/mail_codec.h"

namespace redress::store::postgres {
namespace {

tl::unexpected<Error> While(std::string_view doing, Error error) {
  error.message = std::string(doing) + ": " + error.message;
  return Fail(std::move(error));
}

constexpr std::string_view kMessageColumns =
    "id, direction, raw_sha256, size, message_id, case_id, sender, subject_key, kind, source,"
    " status, error, received_at";

MailMessageRecord ReadMessage(const Rows& r, int i) {
  MailMessageRecord m;
  m.id = r.Int64(i, 0);
  m.direction = ParseMailDirection(r.Text(i, 1));
  m.raw_sha256 = r.Text(i, 2);
  m.size = r.Int64(i, 3);
  m.message_id = r.Text(i, 4);
  m.case_id = r.OptionalInt64(i, 5);
  m.sender = r.Text(i, 6);
  m.subject_key = r.Text(i, 7);
  m.kind = r.Text(i, 8);
  m.source = r.Text(i, 9);
  m.status = r.Text(i, 10);
  m.error = r.Text(i, 11);
  m.received_at = TimestampFromMicros(r.Int64(i, 12));
  return m;
}

std::optional<int64_t> FirstInt(const Rows& r) {
  if (r.empty()) return std::nullopt;
  return r.Int64(0, 0);
}

}  // namespace

Result<bool> PgMailTx::PutBlob(const std::string& sha256, const std::string& bytes, Timestamp now) {
  auto r = conn_.Query(
      "INSERT INTO mail_blobs (sha256, bytes, size, stored_at) VALUES ($1, decode($2, 'hex'), $3, "
      "$4)"
      " ON CONFLICT (sha256) DO NOTHING",
      Params()
          .Text(sha256)
          .Text(EncodeHex(bytes))
          .Int64(static_cast<int64_t>(bytes.size()))
          .Int64(MicrosFromTimestamp(now)));
  if (!r) return While("storing mail blob " + sha256, r.error());
  return r->Affected() == 1;
}

Result<std::optional<std::string>> PgMailTx::GetBlob(const std::string& sha256) {
  auto r = conn_.Query("SELECT encode(bytes, 'hex') FROM mail_blobs WHERE sha256 = $1",
                       Params().Text(sha256));
  if (!r) return While("reading mail blob " + sha256, r.error());
  if (r->empty()) return std::optional<std::string>();
  auto bytes = DecodeHex(r->Text(0, 0));
  if (!bytes)
    return Fail(ErrorCode::kCorruption,
                "mail blob " + sha256 + ": malformed hex from the database");
  return std::optional<std::string>(std::move(*bytes));
}

Result<std::optional<MailMessageRecord>> PgMailTx::FindInboundByRaw(const std::string& raw_sha256) {
  auto r = conn_.Query("SELECT " + std::string(kMessageColumns) +
                           " FROM mail_messages WHERE raw_sha256 = $1 AND direction = 'inbound'",
                       Params().Text(raw_sha256));
  if (!r) return While("finding an inbound message", r.error());
  if (r->empty()) return std::optional<MailMessageRecord>();
  return std::optional<MailMessageRecord>(ReadMessage(*r, 0));
}

Result<void> PgMailTx::InsertMailMessage(MailMessageRecord& m) {
  auto r = conn_.Query(
      "INSERT INTO mail_messages (direction, raw_sha256, size, message_id, case_id, sender,"
      " subject_key, kind, source, status, error, received_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
      Params()
          .Text(MailDirectionName(m.direction))
          .Text(m.raw_sha256)
          .Int64(m.size)
          .Text(m.message_id)
          .OptionalInt64(m.case_id)
          .Text(m.sender)
          .Text(m.subject_key)
          .Text(m.kind)
          .Text(m.source)
          .Text(m.status)
          .Text(m.error)
          .Int64(MicrosFromTimestamp(m.received_at)));
  if (!r) return While("recording a mail message", r.error());
  m.id = FirstInt(*r).value_or(0);
  return {};
}

Result<std::vector<MailMessageRecord>> PgMailTx::ListCaseMail(int64_t case_id) {
  auto r = conn_.Query("SELECT " + std::string(kMessageColumns) +
                           " FROM mail_messages WHERE case_id = $1 ORDER BY id",
                       Params().Int64(case_id));
  if (!r) return While("listing a case's mail", r.error());
  std::vector<MailMessageRecord> out;
  for (int i = 0; i < r->size(); ++i) out.push_back(ReadMessage(*r, i));
  return out;
}

Result<void> PgMailTx::InsertMailAttachment(const MailAttachmentRecord& a) {
  auto r = conn_.Query(
      "INSERT INTO mail_attachments (message_row, position, sha256, filename, content_type,"
      " content_id, inline_part, size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      Params()
          .Int64(a.message_row)
          .Int64(a.position)
          .Text(a.sha256)
          .Text(a.filename)
          .Text(a.content_type)
          .Text(a.content_id)
          .Int64(a.inline_part ? 1 : 0)
          .Int64(a.size));
  if (!r) return While("recording an attachment", r.error());
  return {};
}

Result<std::vector<MailAttachmentRecord>> PgMailTx::ListAttachments(int64_t message_row) {
  auto r = conn_.Query(
      "SELECT message_row, position, sha256, filename, content_type, content_id, inline_part,"
      " size FROM mail_attachments WHERE message_row = $1 ORDER BY position",
      Params().Int64(message_row));
  if (!r) return While("listing attachments", r.error());
  std::vector<MailAttachmentRecord> out;
  for (int i = 0; i < r->size(); ++i) {
    out.push_back(MailAttachmentRecord{r->Int64(i, 0), static_cast<int>(r->Int64(i, 1)),
                                       r->Text(i, 2), r->Text(i, 3), r->Text(i, 4), r->Text(i, 5),
                                       r->Int64(i, 6) != 0, r->Int64(i, 7)});
  }
  return out;
}

Result<void> PgMailTx::AddThreadId(int64_t case_id, const std::string& message_id, bool own) {
  auto r = conn_.Query(
      "INSERT INTO mail_thread_ids (message_id, case_id, own, seq) VALUES ($1, $2, $3,"
      " (SELECT coalesce(max(seq), 0) + 1 FROM mail_thread_ids WHERE case_id = $2))"
      " ON CONFLICT (message_id, case_id) DO UPDATE SET"
      " own = GREATEST(mail_thread_ids.own, excluded.own)",
      Params().Text(message_id).Int64(case_id).Int64(own ? 1 : 0));
  if (!r) return While("indexing a message id", r.error());
  return {};
}

Result<void> PgMailTx::AddParticipant(int64_t case_id, const std::string& address) {
  auto r = conn_.Query(
      "INSERT INTO mail_participants (case_id, address) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      Params().Int64(case_id).Text(address));
  if (!r) return While("recording a participant", r.error());
  return {};
}

Result<std::optional<int64_t>> PgMailTx::CaseByMessageId(const std::string& message_id) {
  auto r = conn_.Query(
      "SELECT case_id FROM mail_thread_ids WHERE message_id = $1"
      " ORDER BY own DESC, case_id LIMIT 1",
      Params().Text(message_id));
  if (!r) return While("looking up a message id", r.error());
  return FirstInt(*r);
}

Result<std::optional<int64_t>> PgMailTx::CaseByInboundMessageId(const std::string& message_id) {
  auto r = conn_.Query(
      // "message_id <> ''" lets the planner use the partial index mail_messages_by_message_id
      // (it cannot tell that a bound value is not empty); without it every lookup is a scan.
      "SELECT case_id FROM mail_messages WHERE message_id = $1 AND message_id <> ''"
      " AND direction = 'inbound'"
      " AND case_id IS NOT NULL ORDER BY id LIMIT 1",
      Params().Text(message_id));
  if (!r) return While("looking up an inbound message id", r.error());
  return FirstInt(*r);
}

Result<bool> PgMailTx::IsParticipant(int64_t case_id, const std::string& address) {
  auto r = conn_.Query("SELECT 1 FROM mail_participants WHERE case_id = $1 AND address = $2",
                       Params().Int64(case_id).Text(address));
  if (!r) return While("checking a participant", r.error());
  return !r->empty();
}

Result<std::vector<int64_t>> PgMailTx::OpenCasesBySenderSubject(const std::string& sender,
                                                                const std::string& subject_key) {
  auto r = conn_.Query(
      "SELECT DISTINCT c.id, c.updated_at FROM mail_messages m JOIN cases c ON c.id = m.case_id"
      " WHERE m.sender = $1 AND m.subject_key = $2 AND m.direction = 'inbound'"
      " AND c.status <> 'closed' ORDER BY c.updated_at DESC, c.id DESC LIMIT 20",
      Params().Text(sender).Text(subject_key));
  if (!r) return While("finding open cases by sender", r.error());
  std::vector<int64_t> out;
  for (int i = 0; i < r->size(); ++i) out.push_back(r->Int64(i, 0));
  return out;
}

Result<std::vector<std::string>> PgMailTx::Texts(const std::string& sql, int64_t case_id,
                                                 std::string_view doing) {
  auto r = conn_.Query(sql, Params().Int64(case_id));
  if (!r) return While(doing, r.error());
  std::vector<std::string> out;
  for (int i = 0; i < r->size(); ++i) out.push_back(r->Text(i, 0));
  return out;
}

Result<std::vector<std::string>> PgMailTx::CaseMessageIds(int64_t case_id) {
  return Texts("SELECT message_id FROM mail_thread_ids WHERE case_id = $1 AND own = 1 ORDER BY seq",
               case_id, "listing a case's message ids");
}

Result<std::vector<std::string>> PgMailTx::Participants(int64_t case_id) {
  return Texts("SELECT address FROM mail_participants WHERE case_id = $1 ORDER BY address", case_id,
               "listing a case's participants");
}

Result<bool> PgMailTx::EnqueueOutbound(OutboxEntry& e) {
  auto r = conn_.Query(
      "INSERT INTO mail_outbox (case_id, event_seq, purpose, sender, recipients, message_id,"
      " bytes, status, attempts, last_error, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'hex'), $8, $9, $10, $11, $11)"
      " ON CONFLICT (case_id, event_seq, purpose) DO NOTHING RETURNING id",
      Params()
          .OptionalInt64(e.case_id > 0 ? std::optional<int64_t>(e.case_id) : std::nullopt)
          .Int64(e.event_seq)
          .Text(e.purpose)
          .Text(e.sender)
          .Text(JoinRecipients(e.recipients))
          .Text(e.message_id)
          .Text(EncodeHex(e.bytes))
          .Text(OutboxStatusName(e.status))
          .Int64(e.attempts)
          .Text(e.last_error)
          .Int64(MicrosFromTimestamp(e.created_at)));
  if (!r) return While("queueing outbound mail", r.error());
  if (!r->empty()) {
    e.id = r->Int64(0, 0);
    return true;
  }
  auto existing = conn_.Query(
      "SELECT id FROM mail_outbox WHERE case_id = $1 AND event_seq = $2 AND purpose = $3",
      Params().Int64(e.case_id).Int64(e.event_seq).Text(e.purpose));
  if (!existing) return While("finding queued mail", existing.error());
  e.id = FirstInt(*existing).value_or(0);
  return false;
}

Result<std::optional<OutboxEntry>> PgMailTx::GetOutbound(int64_t id) {
  auto r = conn_.Query(
      "SELECT id, case_id, event_seq, purpose, sender, recipients, message_id,"
      " encode(bytes, 'hex'), status, attempts, last_error, created_at, updated_at"
      " FROM mail_outbox WHERE id = $1",
      Params().Int64(id));
  if (!r) return While("reading outbound mail", r.error());
  if (r->empty()) return std::optional<OutboxEntry>();
  OutboxEntry e;
  e.id = r->Int64(0, 0);
  e.case_id = r->Int64(0, 1);
  e.event_seq = r->Int64(0, 2);
  e.purpose = r->Text(0, 3);
  e.sender = r->Text(0, 4);
  e.recipients = SplitRecipients(r->Text(0, 5));
  e.message_id = r->Text(0, 6);
  auto bytes = DecodeHex(r->Text(0, 7));
  if (!bytes) {
    return Fail(ErrorCode::kCorruption,
                "outbox row " + std::to_string(id) + ": malformed hex from the database");
  }
  e.bytes = std::move(*bytes);
  auto status = ParseOutboxStatus(r->Text(0, 8));
  if (!status) {
    return Fail(ErrorCode::kCorruption,
                "outbox row " + std::to_string(id) + " has status " + r->Text(0, 8));
  }
  e.status = *status;
  e.attempts = static_cast<int>(r->Int64(0, 9));
  e.last_error = r->Text(0, 10);
  e.created_at = TimestampFromMicros(r->Int64(0, 11));
  e.updated_at = TimestampFromMicros(r->Int64(0, 12));
  return std::optional<OutboxEntry>(std::move(e));
}

Result<void> PgMailTx::UpdateOutbound(int64_t id, OutboxStatus status, int attempts,
                                      const std::string& last_error, Timestamp now) {
  auto r = conn_.Query(
      "UPDATE mail_outbox SET status = $2, attempts = $3, last_error = $4, updated_at = $5"
      " WHERE id = $1",
      Params().Int64(id).Text(OutboxStatusName(status)).Int64(attempts).Text(last_error)
          .Int64(MicrosFromTimestamp(now)));
  if (!r) return While("updating outbound mail", r.error());
  if (r->Affected() == 0) return Fail(ErrorCode::kNotFound, "no outbound mail " + std::to_string(id));
  return {};
}

Result<std::optional<Timestamp>> PgMailTx::LastOutboundTo(const std::string& purpose,
                                                          const std::string& recipient) {
  // Two nodes filing mail from one sender at once would both find nothing and both send:
  // the pair is locked until commit, and READ COMMITTED's fresh snapshot per statement lets
  // the second see what the first queued.
  auto locked = conn_.Query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                            Params().Text("last-outbound\n" + purpose + "\n" + recipient));
  if (!locked) return While("locking the last mail to a recipient", locked.error());
  auto r = conn_.Query(
      "SELECT created_at FROM mail_outbox WHERE purpose = $1 AND recipients = $2"
      " ORDER BY created_at DESC LIMIT 1",
      Params().Text(purpose).Text(recipient));
  if (!r) return While("finding the last mail to a recipient", r.error());
  auto at = FirstInt(*r);
  if (!at) return std::optional<Timestamp>();
  return std::optional<Timestamp>(TimestampFromMicros(*at));
}

Result<std::optional<MailboxCursor>> PgMailTx::GetMailboxCursor(const std::string& mailbox) {
  auto r = conn_.Query("SELECT uidvalidity, last_uid FROM mail_mailboxes WHERE name = $1",
                       Params().Text(mailbox));
  if (!r) return While("reading mailbox " + mailbox, r.error());
  if (r->empty()) return std::optional<MailboxCursor>();
  return std::optional<MailboxCursor>(MailboxCursor{r->Int64(0, 0), r->Int64(0, 1)});
}

Result<void> PgMailTx::SetMailboxCursor(const std::string& mailbox, const MailboxCursor& cursor,
                                        Timestamp now) {
  auto r = conn_.Query(
      "INSERT INTO mail_mailboxes (name, uidvalidity, last_uid, updated_at)"
      " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
      " uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,"
      " updated_at = excluded.updated_at",
      Params().Text(mailbox).Int64(cursor.uidvalidity).Int64(cursor.last_uid)
          .Int64(MicrosFromTimestamp(now)));
  if (!r) return While("saving mailbox " + mailbox, r.error());
  return {};
}

}  // namespace redress::store::postgres

namespace redress::store::postgres {

Result<std::optional<std::pair<int64_t, std::string>>> PgMailTx::CustomerByEmail(
    const std::string& normalized_email) {
  auto r = conn_.Query(
      "SELECT c.id, c.name FROM customer_identities i JOIN customers c ON c.id = i.customer_id"
      " WHERE i.kind = 'email' AND i.value = $1",
      Params().Text(normalized_email));
  if (!r) return While("finding a customer by email", r.error());
  if (r->empty()) return std::optional<std::pair<int64_t, std::string>>();
  return std::optional<std::pair<int64_t, std::string>>(std::pair(r->Int64(0, 0), r->Text(0, 1)));
}

Result<std::optional<std::string>> PgMailTx::CustomerEmail(int64_t customer_id) {
  auto r = conn_.Query(
      "SELECT value FROM customer_identities WHERE customer_id = $1 AND kind = 'email'"
      " ORDER BY id LIMIT 1",
      Params().Int64(customer_id));
  if (!r) return While("reading a customer's email", r.error());
  if (r->empty()) return std::optional<std::string>();
  return std::optional<std::string>(r->Text(0, 0));
}

}  // namespace redress::store::postgres
