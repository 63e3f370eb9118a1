// Uploaded attachments on PostgreSQL (store.h, schema_v10.h): PgWriteTx's writes and the
// read that serves an attachment's bytes. bytea travels as hex text.
#include "core/hex.h"
#include "core/time_format.h"
#include "store/postgres/queries.h"
#include "store/postgres/write_tx.h"

namespace redress::store::postgres {
namespace {

// Everything but the bytes, in the order ReadDescription reads it.
#define REDRESS_ATTACHMENT_COLUMNS \
  "id, case_id, uploaded_by, filename, content_type, size, sha256, created_at"

Attachment ReadDescription(const Rows& rows, int r) {
  Attachment a;
  a.id = rows.Int64(r, 0);
  a.case_id = rows.OptionalInt64(r, 1);
  a.uploaded_by = rows.Text(r, 2);
  a.filename = rows.Text(r, 3);
  a.content_type = rows.Text(r, 4);
  a.size = rows.Int64(r, 5);
  a.sha256 = rows.Text(r, 6);
  a.created_at = TimestampFromMicros(rows.Int64(r, 7));
  return a;
}

}  // namespace

Result<void> PgWriteTx::InsertAttachment(Attachment& attachment) {
  auto rows = conn_.Query(
      "INSERT INTO attachments (case_id, uploaded_by, filename, content_type, size, sha256,"
      " bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, decode($7, 'hex'), $8) RETURNING id",
      Params()
          .OptionalInt64(attachment.case_id)
          .Text(attachment.uploaded_by)
          .Text(attachment.filename)
          .Text(attachment.content_type)
          .Int64(static_cast<int64_t>(attachment.bytes.size()))
          .Text(attachment.sha256)
          .Text(EncodeHex(attachment.bytes))
          .Int64(MicrosFromTimestamp(attachment.created_at)));
  if (!rows) return Fail(rows.error());
  if (rows->size() != 1) return Fail(ErrorCode::kInternal, "storing an attachment returned no id");
  attachment.id = rows->Int64(0, 0);
  attachment.size = static_cast<int64_t>(attachment.bytes.size());
  return {};
}

Result<std::vector<Attachment>> PgWriteTx::DescribeUploads(const std::vector<int64_t>& ids,
                                                           const std::string& uploaded_by) {
  std::vector<Attachment> described;
  for (int64_t id : ids) {
    auto rows = conn_.Query("SELECT " REDRESS_ATTACHMENT_COLUMNS
                            " FROM attachments WHERE id = $1 AND uploaded_by = $2"
                            " AND case_id IS NULL",
                            Params().Int64(id).Text(uploaded_by));
    if (!rows) return Fail(rows.error());
    if (rows->size() != 1) return Fail(NotAnOpenUpload(id));
    Attachment a = ReadDescription(*rows, 0);
    described.push_back(std::move(a));
  }
  return described;
}

Result<void> PgWriteTx::AttachToCase(const std::vector<int64_t>& ids, int64_t case_id) {
  for (int64_t id : ids) {
    auto rows = conn_.Query(
        "UPDATE attachments SET case_id = $2 WHERE id = $1 AND case_id IS NULL",
        Params().Int64(id).Int64(case_id));
    if (!rows) return Fail(rows.error());
    if (rows->Affected() != 1) return Fail(AlreadyUsed(id));
  }
  return {};
}

Result<std::optional<Attachment>> GetAttachment(Connection& conn, int64_t id) {
  auto rows = conn.Query("SELECT " REDRESS_ATTACHMENT_COLUMNS
                         ", encode(bytes, 'hex') FROM attachments WHERE id = $1",
                         Params().Int64(id));
  if (!rows) return Fail(rows.error());
  if (rows->size() == 0) return std::optional<Attachment>();
  Attachment a = ReadDescription(*rows, 0);
  auto bytes = DecodeHex(rows->Text(0, 8));
  if (!bytes) {
    return Fail(ErrorCode::kCorruption,
                "attachment " + std::to_string(id) + ": malformed hex from the database");
  }
  a.bytes = std::move(*bytes);
  return std::optional<Attachment>(std::move(a));
}

}  // namespace redress::store::postgres
