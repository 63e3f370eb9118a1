// PgWriteTx: one-time sign-in links (store.h, schema_v9.h).
#include "core/time_format.h"
#include "store/postgres/write_tx.h"

namespace redress::store::postgres {

Result<void> PgWriteTx::InsertSignInLink(SignInLink& link) {
  auto rows = conn_.Query(
      "INSERT INTO sign_in_links (token_hash, customer_id, email, requested_by, created_at,"
      " expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      Params()
          .Text(link.token_hash)
          .Int64(link.customer_id)
          .Text(link.email)
          .Text(link.requested_by)
          .Int64(MicrosFromTimestamp(link.created_at))
          .Int64(MicrosFromTimestamp(link.expires_at)));
  if (!rows) return Fail(rows.error());
  link.id = rows->Int64(0, 0);
  return {};
}

Result<std::optional<SignInLink>> PgWriteTx::FindSignInLink(const std::string& token_hash) {
  auto rows = conn_.Query(
      "SELECT id, token_hash, customer_id, email, requested_by, created_at, expires_at, used_at"
      " FROM sign_in_links WHERE token_hash = $1 FOR UPDATE",
      Params().Text(token_hash));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<SignInLink>();
  SignInLink link;
  link.id = rows->Int64(0, 0);
  link.token_hash = rows->Text(0, 1);
  link.customer_id = rows->Int64(0, 2);
  link.email = rows->Text(0, 3);
  link.requested_by = rows->Text(0, 4);
  link.created_at = TimestampFromMicros(rows->Int64(0, 5));
  link.expires_at = TimestampFromMicros(rows->Int64(0, 6));
  if (auto used = rows->OptionalInt64(0, 7)) link.used_at = TimestampFromMicros(*used);
  return std::optional<SignInLink>(std::move(link));
}

Result<bool> PgWriteTx::UseSignInLink(int64_t id, Timestamp now) {
  auto rows = conn_.Query(
      "UPDATE sign_in_links SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id",
      Params().Int64(id).Int64(MicrosFromTimestamp(now)));
  if (!rows) return Fail(rows.error());
  return !rows->empty();
}

Result<int64_t> PgWriteTx::CountSignInLinks(int64_t customer_id, Timestamp since) {
  auto rows = conn_.Query(
      "SELECT count(*) FROM sign_in_links WHERE customer_id = $1 AND created_at >= $2",
      Params().Int64(customer_id).Int64(MicrosFromTimestamp(since)));
  if (!rows) return Fail(rows.error());
  return rows->Int64(0, 0);
}

}  // namespace redress::store::postgres
