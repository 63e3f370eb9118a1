// Uploaded attachments on SQLite (store.h, schema_v10.h): SqliteWriteTx's writes and the
// read that serves an attachment's bytes.
#include <span>

#include "core/time_format.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/write_tx.h"

namespace redress::store::sqlite {
namespace {

// Everything but the bytes, in the order ReadDescription reads it.
#define REDRESS_ATTACHMENT_COLUMNS \
  "id, case_id, uploaded_by, filename, content_type, size, sha256, created_at"

Attachment ReadDescription(const Statement& st) {
  Attachment a;
  a.id = st.ColumnInt64(0);
  if (!st.ColumnIsNull(1)) a.case_id = st.ColumnInt64(1);
  a.uploaded_by = st.ColumnText(2);
  a.filename = st.ColumnText(3);
  a.content_type = st.ColumnText(4);
  a.size = st.ColumnInt64(5);
  a.sha256 = st.ColumnText(6);
  a.created_at = TimestampFromMicros(st.ColumnInt64(7));
  return a;
}

}  // namespace

Result<void> SqliteWriteTx::InsertAttachment(Attachment& attachment) {
  auto s = db_.Prepare(
      "INSERT INTO attachments (case_id, uploaded_by, filename, content_type, size, sha256,"
      " bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindOptionalInt64(1, attachment.case_id);
  st.BindText(2, attachment.uploaded_by);
  st.BindText(3, attachment.filename);
  st.BindText(4, attachment.content_type);
  st.BindInt64(5, static_cast<int64_t>(attachment.bytes.size()));
  st.BindText(6, attachment.sha256);
  st.BindBlob(7, std::span(reinterpret_cast<const uint8_t*>(attachment.bytes.data()),
                           attachment.bytes.size()));
  st.BindInt64(8, MicrosFromTimestamp(attachment.created_at));
  auto row = st.Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "storing an attachment returned no id");
  attachment.id = st.ColumnInt64(0);
  attachment.size = static_cast<int64_t>(attachment.bytes.size());
  return st.Run();
}

Result<std::vector<Attachment>> SqliteWriteTx::DescribeUploads(
    const std::vector<int64_t>& ids, const std::string& uploaded_by) {
  std::vector<Attachment> described;
  for (int64_t id : ids) {
    auto s =
        db_.Prepare("SELECT " REDRESS_ATTACHMENT_COLUMNS
                    " FROM attachments WHERE id = ?1 AND uploaded_by = ?2 AND case_id IS NULL");
    if (!s) return Fail(s.error());
    Statement& st = **s;
    st.BindInt64(1, id);
    st.BindText(2, uploaded_by);
    auto row = st.Step();
    if (!row) return Fail(row.error());
    if (!*row) return Fail(NotAnOpenUpload(id));
    Attachment a = ReadDescription(st);
    if (auto done = st.Run(); !done) return Fail(done.error());
    described.push_back(std::move(a));
  }
  return described;
}

Result<void> SqliteWriteTx::AttachToCase(const std::vector<int64_t>& ids, int64_t case_id) {
  for (int64_t id : ids) {
    auto s = db_.Prepare("UPDATE attachments SET case_id = ?2 WHERE id = ?1 AND case_id IS NULL");
    if (!s) return Fail(s.error());
    (*s)->BindInt64(1, id);
    (*s)->BindInt64(2, case_id);
    if (auto ran = (*s)->Run(); !ran) return Fail(ran.error());
    if (db_.Changes() != 1) return Fail(AlreadyUsed(id));
  }
  return {};
}

Result<std::optional<Attachment>> GetAttachment(Database& db, int64_t id) {
  auto s =
      db.Prepare("SELECT " REDRESS_ATTACHMENT_COLUMNS ", bytes FROM attachments WHERE id = ?1");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindInt64(1, id);
  auto row = st.Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<Attachment>();
  Attachment a = ReadDescription(st);
  a.bytes = st.ColumnBlob(8);
  if (auto done = st.Run(); !done) return Fail(done.error());
  return std::optional<Attachment>(std::move(a));
}

}  // namespace redress::store::sqlite
