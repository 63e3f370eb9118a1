// SqliteWriteTx: one-time sign-in links (store.h, schema_v9.h).
#include "core/time_format.h"
#include "store/sqlite/write_tx.h"

namespace redress::store::sqlite {

Result<void> SqliteWriteTx::InsertSignInLink(SignInLink& link) {
  auto s = db_.Prepare(
      "INSERT INTO sign_in_links (token_hash, customer_id, email, requested_by, created_at,"
      " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindText(1, link.token_hash);
  st.BindInt64(2, link.customer_id);
  st.BindText(3, link.email);
  st.BindText(4, link.requested_by);
  st.BindInt64(5, MicrosFromTimestamp(link.created_at));
  st.BindInt64(6, MicrosFromTimestamp(link.expires_at));
  auto row = st.Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kInternal, "storing a sign-in link returned no id");
  link.id = st.ColumnInt64(0);
  return st.Run();
}

Result<std::optional<SignInLink>> SqliteWriteTx::FindSignInLink(const std::string& token_hash) {
  auto s = db_.Prepare(
      "SELECT id, token_hash, customer_id, email, requested_by, created_at, expires_at, used_at"
      " FROM sign_in_links WHERE token_hash = ?1");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindText(1, token_hash);
  auto row = st.Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<SignInLink>();
  SignInLink link;
  link.id = st.ColumnInt64(0);
  link.token_hash = st.ColumnText(1);
  link.customer_id = st.ColumnInt64(2);
  link.email = st.ColumnText(3);
  link.requested_by = st.ColumnText(4);
  link.created_at = TimestampFromMicros(st.ColumnInt64(5));
  link.expires_at = TimestampFromMicros(st.ColumnInt64(6));
  if (!st.ColumnIsNull(7)) link.used_at = TimestampFromMicros(st.ColumnInt64(7));
  if (auto done = st.Run(); !done) return Fail(done.error());
  return std::optional<SignInLink>(std::move(link));
}

Result<bool> SqliteWriteTx::UseSignInLink(int64_t id, Timestamp now) {
  auto s = db_.Prepare(
      "UPDATE sign_in_links SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL RETURNING id");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindInt64(1, id);
  st.BindInt64(2, MicrosFromTimestamp(now));
  auto row = st.Step();
  if (!row) return Fail(row.error());
  const bool used = *row;
  if (auto done = st.Run(); !done) return Fail(done.error());
  return used;
}

Result<int64_t> SqliteWriteTx::CountSignInLinks(int64_t customer_id, Timestamp since) {
  auto s = db_.Prepare(
      "SELECT count(*) FROM sign_in_links WHERE customer_id = ?1 AND created_at >= ?2");
  if (!s) return Fail(s.error());
  Statement& st = **s;
  st.BindInt64(1, customer_id);
  st.BindInt64(2, MicrosFromTimestamp(since));
  auto row = st.Step();
  if (!row) return Fail(row.error());
  const int64_t count = *row ? st.ColumnInt64(0) : 0;
  if (auto done = st.Run(); !done) return Fail(done.error());
  return count;
}

}  // namespace redress::store::sqlite
