#include "store/sqlite/mail_tx.h"

#include <span>

#include "core/time_format.h"
#include "store/mail_codec.h"

namespace redress::store::sqlite {
namespace {

tl::unexpected<Error> While(std::string_view doing, Error error) {
  error.message = std::string(doing) + ": " + error.message;
  return Fail(std::move(error));
}

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

constexpr std::string_view kMessageColumns =
    "id, direction, raw_sha256, size, message_id, case_id, sender, subject_key, kind, source,"
    " status, error, received_at";

MailMessageRecord ReadMessage(const Statement& s) {
  MailMessageRecord m;
  m.id = s.ColumnInt64(0);
  m.direction = ParseMailDirection(s.ColumnText(1));
  m.raw_sha256 = s.ColumnText(2);
  m.size = s.ColumnInt64(3);
  m.message_id = s.ColumnText(4);
  m.case_id = s.ColumnOptionalInt64(5);
  m.sender = s.ColumnText(6);
  m.subject_key = s.ColumnText(7);
  m.kind = s.ColumnText(8);
  m.source = s.ColumnText(9);
  m.status = s.ColumnText(10);
  m.error = s.ColumnText(11);
  m.received_at = TimestampFromMicros(s.ColumnInt64(12));
  return m;
}

// Runs a query whose single optional row holds one integer.
Result<std::optional<int64_t>> OptionalInt(Statement& s, std::string_view doing) {
  auto row = s.Step();
  if (!row) return While(doing, row.error());
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(s.ColumnInt64(0));
}

// Runs a query whose rows each hold one text.
Result<std::vector<std::string>> Texts(Statement& s, std::string_view doing) {
  std::vector<std::string> out;
  for (;;) {
    auto row = s.Step();
    if (!row) return While(doing, row.error());
    if (!*row) return out;
    out.push_back(s.ColumnText(0));
  }
}

}  // namespace

Result<bool> SqliteMailTx::PutBlob(const std::string& sha256, const std::string& bytes,
                                   Timestamp now) {
  auto s = db_.Prepare(
      "INSERT INTO mail_blobs (sha256, bytes, size, stored_at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (sha256) DO NOTHING");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, sha256);
  (*s)->BindBlob(2, Bytes(bytes));
  (*s)->BindInt64(3, static_cast<int64_t>(bytes.size()));
  (*s)->BindInt64(4, MicrosFromTimestamp(now));
  if (auto ran = (*s)->Run(); !ran) return While("storing mail blob " + sha256, ran.error());
  return db_.Changes() == 1;
}

Result<std::optional<std::string>> SqliteMailTx::GetBlob(const std::string& sha256) {
  auto s = db_.Prepare("SELECT bytes FROM mail_blobs WHERE sha256 = ?1");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, sha256);
  auto row = (*s)->Step();
  if (!row) return While("reading mail blob " + sha256, row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>((*s)->ColumnBlob(0));
}

Result<std::optional<MailMessageRecord>> SqliteMailTx::FindInboundByRaw(
    const std::string& raw_sha256) {
  auto s = db_.Prepare("SELECT " + std::string(kMessageColumns) +
                       " FROM mail_messages WHERE raw_sha256 = ?1 AND direction = 'inbound'");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, raw_sha256);
  auto row = (*s)->Step();
  if (!row) return While("finding an inbound message", row.error());
  if (!*row) return std::optional<MailMessageRecord>();
  return std::optional<MailMessageRecord>(ReadMessage(**s));
}

Result<void> SqliteMailTx::InsertMailMessage(MailMessageRecord& m) {
  auto s = db_.Prepare(
      "INSERT INTO mail_messages (direction, raw_sha256, size, message_id, case_id, sender,"
      " subject_key, kind, source, status, error, received_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindText(1, MailDirectionName(m.direction));
  st.BindText(2, m.raw_sha256);
  st.BindInt64(3, m.size);
  st.BindText(4, m.message_id);
  st.BindOptionalInt64(5, m.case_id);
  st.BindText(6, m.sender);
  st.BindText(7, m.subject_key);
  st.BindText(8, m.kind);
  st.BindText(9, m.source);
  st.BindText(10, m.status);
  st.BindText(11, m.error);
  st.BindInt64(12, MicrosFromTimestamp(m.received_at));
  auto id = OptionalInt(st, "recording a mail message");
  if (!id) return Fail(id.error());
  m.id = id->value_or(0);
  return {};
}

Result<std::vector<MailMessageRecord>> SqliteMailTx::ListCaseMail(int64_t case_id) {
  auto s = db_.Prepare("SELECT " + std::string(kMessageColumns) +
                       " FROM mail_messages WHERE case_id = ?1 ORDER BY id");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, case_id);
  std::vector<MailMessageRecord> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row) return While("listing a case's mail", row.error());
    if (!*row) return out;
    out.push_back(ReadMessage(**s));
  }
}

Result<void> SqliteMailTx::InsertMailAttachment(const MailAttachmentRecord& a) {
  auto s = db_.Prepare(
      "INSERT INTO mail_attachments (message_row, position, sha256, filename, content_type,"
      " content_id, inline_part, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindInt64(1, a.message_row);
  st.BindInt64(2, a.position);
  st.BindText(3, a.sha256);
  st.BindText(4, a.filename);
  st.BindText(5, a.content_type);
  st.BindText(6, a.content_id);
  st.BindInt64(7, a.inline_part ? 1 : 0);
  st.BindInt64(8, a.size);
  if (auto ran = st.Run(); !ran) return While("recording an attachment", ran.error());
  return {};
}

Result<std::vector<MailAttachmentRecord>> SqliteMailTx::ListAttachments(int64_t message_row) {
  auto s = db_.Prepare(
      "SELECT message_row, position, sha256, filename, content_type, content_id, inline_part,"
      " size FROM mail_attachments WHERE message_row = ?1 ORDER BY position");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, message_row);
  std::vector<MailAttachmentRecord> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row) return While("listing attachments", row.error());
    if (!*row) return out;
    const Statement& st = **s;
    out.push_back(MailAttachmentRecord{st.ColumnInt64(0), static_cast<int>(st.ColumnInt64(1)),
                                       st.ColumnText(2), st.ColumnText(3), st.ColumnText(4),
                                       st.ColumnText(5), st.ColumnInt64(6) != 0,
                                       st.ColumnInt64(7)});
  }
}

Result<void> SqliteMailTx::AddThreadId(int64_t case_id, const std::string& message_id, bool own) {
  // A referenced id that later turns out to be a message of the case becomes `own`.
  auto s = db_.Prepare(
      "INSERT INTO mail_thread_ids (message_id, case_id, own, seq) VALUES (?1, ?2, ?3,"
      " (SELECT coalesce(max(seq), 0) + 1 FROM mail_thread_ids WHERE case_id = ?2))"
      " ON CONFLICT (message_id, case_id) DO UPDATE SET own = max(own, excluded.own)");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, message_id);
  (*s)->BindInt64(2, case_id);
  (*s)->BindInt64(3, own ? 1 : 0);
  if (auto ran = (*s)->Run(); !ran) return While("indexing a message id", ran.error());
  return {};
}

Result<void> SqliteMailTx::AddParticipant(int64_t case_id, const std::string& address) {
  auto s = db_.Prepare(
      "INSERT INTO mail_participants (case_id, address) VALUES (?1, ?2)"
      " ON CONFLICT DO NOTHING");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, case_id);
  (*s)->BindText(2, address);
  if (auto ran = (*s)->Run(); !ran) return While("recording a participant", ran.error());
  return {};
}

Result<std::optional<int64_t>> SqliteMailTx::CaseByMessageId(const std::string& message_id) {
  // Prefer the case the message belongs to over one that merely referenced it.
  auto s = db_.Prepare(
      "SELECT case_id FROM mail_thread_ids WHERE message_id = ?1"
      " ORDER BY own DESC, case_id LIMIT 1");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, message_id);
  return OptionalInt(**s, "looking up a message id");
}

Result<std::optional<int64_t>> SqliteMailTx::CaseByInboundMessageId(const std::string& message_id) {
  auto s = db_.Prepare(
      // "message_id <> ''" lets the planner use the partial index mail_messages_by_message_id
      // (it cannot tell that a bound value is not empty); without it every lookup is a scan.
      "SELECT case_id FROM mail_messages WHERE message_id = ?1 AND message_id <> ''"
      " AND direction = 'inbound'"
      " AND case_id IS NOT NULL ORDER BY id LIMIT 1");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, message_id);
  return OptionalInt(**s, "looking up an inbound message id");
}

Result<bool> SqliteMailTx::IsParticipant(int64_t case_id, const std::string& address) {
  auto s = db_.Prepare("SELECT 1 FROM mail_participants WHERE case_id = ?1 AND address = ?2");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, case_id);
  (*s)->BindText(2, address);
  auto found = OptionalInt(**s, "checking a participant");
  if (!found) return Fail(found.error());
  return found->has_value();
}

Result<std::vector<int64_t>> SqliteMailTx::OpenCasesBySenderSubject(const std::string& sender,
                                                                    const std::string& subject_key) {
  auto s = db_.Prepare(
      "SELECT DISTINCT c.id, c.updated_at FROM mail_messages m JOIN cases c ON c.id = m.case_id"
      " WHERE m.sender = ?1 AND m.subject_key = ?2 AND m.direction = 'inbound'"
      " AND c.status <> 'closed' ORDER BY c.updated_at DESC, c.id DESC LIMIT 20");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, sender);
  (*s)->BindText(2, subject_key);
  std::vector<int64_t> out;
  for (;;) {
    auto row = (*s)->Step();
    if (!row) return While("finding open cases by sender", row.error());
    if (!*row) return out;
    out.push_back((*s)->ColumnInt64(0));
  }
}

Result<std::vector<std::string>> SqliteMailTx::CaseMessageIds(int64_t case_id) {
  auto s = db_.Prepare(
      "SELECT message_id FROM mail_thread_ids WHERE case_id = ?1 AND own = 1 ORDER BY seq");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, case_id);
  return Texts(**s, "listing a case's message ids");
}

Result<std::vector<std::string>> SqliteMailTx::Participants(int64_t case_id) {
  auto s = db_.Prepare("SELECT address FROM mail_participants WHERE case_id = ?1 ORDER BY address");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, case_id);
  return Texts(**s, "listing a case's participants");
}

Result<bool> SqliteMailTx::EnqueueOutbound(OutboxEntry& e) {
  auto s = db_.Prepare(
      "INSERT INTO mail_outbox (case_id, event_seq, purpose, sender, recipients, message_id,"
      " bytes, status, attempts, last_error, created_at, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
      " ON CONFLICT (case_id, event_seq, purpose) DO NOTHING RETURNING id");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  if (e.case_id > 0) {
    st.BindInt64(1, e.case_id);
  } else {
    st.BindNull(1);  // account mail (a sign-in link): no case
  }
  st.BindInt64(2, e.event_seq);
  st.BindText(3, e.purpose);
  st.BindText(4, e.sender);
  st.BindText(5, JoinRecipients(e.recipients));
  st.BindText(6, e.message_id);
  st.BindBlob(7, Bytes(e.bytes));
  st.BindText(8, OutboxStatusName(e.status));
  st.BindInt64(9, e.attempts);
  st.BindText(10, e.last_error);
  st.BindInt64(11, MicrosFromTimestamp(e.created_at));
  auto id = OptionalInt(st, "queueing outbound mail");
  if (!id) return Fail(id.error());
  if (*id) {
    e.id = **id;
    return true;
  }
  auto existing = db_.Prepare(
      "SELECT id FROM mail_outbox WHERE case_id = ?1 AND event_seq = ?2 AND purpose = ?3");
  if (!existing) return Fail(existing.error());
  (*existing)->BindInt64(1, e.case_id);
  (*existing)->BindInt64(2, e.event_seq);
  (*existing)->BindText(3, e.purpose);
  auto found = OptionalInt(**existing, "finding queued mail");
  if (!found) return Fail(found.error());
  e.id = found->value_or(0);
  return false;
}

Result<std::optional<OutboxEntry>> SqliteMailTx::GetOutbound(int64_t id) {
  auto s = db_.Prepare(
      "SELECT id, case_id, event_seq, purpose, sender, recipients, message_id, bytes, status,"
      " attempts, last_error, created_at, updated_at FROM mail_outbox WHERE id = ?1");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, id);
  auto row = (*s)->Step();
  if (!row) return While("reading outbound mail", row.error());
  if (!*row) return std::optional<OutboxEntry>();
  const Statement& st = **s;
  OutboxEntry e;
  e.id = st.ColumnInt64(0);
  e.case_id = st.ColumnInt64(1);
  e.event_seq = st.ColumnInt64(2);
  e.purpose = st.ColumnText(3);
  e.sender = st.ColumnText(4);
  e.recipients = SplitRecipients(st.ColumnText(5));
  e.message_id = st.ColumnText(6);
  e.bytes = st.ColumnBlob(7);
  auto status = ParseOutboxStatus(st.ColumnText(8));
  if (!status) return Fail(ErrorCode::kCorruption, "outbox row " + std::to_string(id) +
                                                       " has status " + st.ColumnText(8));
  e.status = *status;
  e.attempts = static_cast<int>(st.ColumnInt64(9));
  e.last_error = st.ColumnText(10);
  e.created_at = TimestampFromMicros(st.ColumnInt64(11));
  e.updated_at = TimestampFromMicros(st.ColumnInt64(12));
  return std::optional<OutboxEntry>(std::move(e));
}

Result<void> SqliteMailTx::UpdateOutbound(int64_t id, OutboxStatus status, int attempts,
                                          const std::string& last_error, Timestamp now) {
  auto s = db_.Prepare(
      "UPDATE mail_outbox SET status = ?2, attempts = ?3, last_error = ?4, updated_at = ?5"
      " WHERE id = ?1");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, id);
  (*s)->BindText(2, OutboxStatusName(status));
  (*s)->BindInt64(3, attempts);
  (*s)->BindText(4, last_error);
  (*s)->BindInt64(5, MicrosFromTimestamp(now));
  if (auto ran = (*s)->Run(); !ran) return While("updating outbound mail", ran.error());
  if (db_.Changes() == 0) {
    return Fail(ErrorCode::kNotFound, "no outbound mail " + std::to_string(id));
  }
  return {};
}

Result<std::optional<Timestamp>> SqliteMailTx::LastOutboundTo(const std::string& purpose,
                                                              const std::string& recipient) {
  auto s = db_.Prepare(
      "SELECT created_at FROM mail_outbox WHERE purpose = ?1 AND recipients = ?2"
      " ORDER BY created_at DESC LIMIT 1");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, purpose);
  (*s)->BindText(2, recipient);
  auto at = OptionalInt(**s, "finding the last mail to a recipient");
  if (!at) return Fail(at.error());
  if (!*at) return std::optional<Timestamp>();
  return std::optional<Timestamp>(TimestampFromMicros(**at));
}

Result<std::optional<MailboxCursor>> SqliteMailTx::GetMailboxCursor(const std::string& mailbox) {
  auto s = db_.Prepare("SELECT uidvalidity, last_uid FROM mail_mailboxes WHERE name = ?1");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, mailbox);
  auto row = (*s)->Step();
  if (!row) return While("reading mailbox " + mailbox, row.error());
  if (!*row) return std::optional<MailboxCursor>();
  return std::optional<MailboxCursor>(MailboxCursor{(*s)->ColumnInt64(0), (*s)->ColumnInt64(1)});
}

Result<void> SqliteMailTx::SetMailboxCursor(const std::string& mailbox,
                                            const MailboxCursor& cursor, Timestamp now) {
  auto s = db_.Prepare(
      "INSERT INTO mail_mailboxes (name, uidvalidity, last_uid, updated_at)"
      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET"
      " uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,"
      " updated_at = excluded.updated_at");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, mailbox);
  (*s)->BindInt64(2, cursor.uidvalidity);
  (*s)->BindInt64(3, cursor.last_uid);
  (*s)->BindInt64(4, MicrosFromTimestamp(now));
  if (auto ran = (*s)->Run(); !ran) return While("saving mailbox " + mailbox, ran.error());
  return {};
}

}  // namespace redress::store::sqlite

namespace redress::store::sqlite {

Result<std::optional<std::pair<int64_t, std::string>>> SqliteMailTx::CustomerByEmail(
    const std::string& normalized_email) {
  auto s = db_.Prepare(
      "SELECT c.id, c.name FROM customer_identities i JOIN customers c ON c.id = i.customer_id"
      " WHERE i.kind = 'email' AND i.value = ?1");
  if (!s) return Fail(s.error());
  (*s)->BindText(1, normalized_email);
  auto row = (*s)->Step();
  if (!row) return While("finding a customer by email", row.error());
  if (!*row) return std::optional<std::pair<int64_t, std::string>>();
  return std::optional<std::pair<int64_t, std::string>>(
      std::pair((*s)->ColumnInt64(0), (*s)->ColumnText(1)));
}

Result<std::optional<std::string>> SqliteMailTx::CustomerEmail(int64_t customer_id) {
  auto s = db_.Prepare(
      "SELECT value FROM customer_identities WHERE customer_id = ?1 AND kind = 'email'"
      " ORDER BY id LIMIT 1");
  if (!s) return Fail(s.error());
  (*s)->BindInt64(1, customer_id);
  auto row = (*s)->Step();
  if (!row) return While("reading a customer's email", row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>((*s)->ColumnText(0));
}

}  // namespace redress::store::sqlite
