// Schema version 10 of the SQLite backend: files that customers and staff upload (a photo
// of the damaged item, a receipt). An upload belongs to nobody's case until an event uses
// it (the case opening that lists it); from then on it is the case's, for good.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV10 = R"sql(
CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER REFERENCES cases (id),  -- NULL until an event of a case uses it
  uploaded_by  TEXT    NOT NULL,                -- 'customer:<id>' or 'user:<id>'
  filename     TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT    NOT NULL,                -- hex SHA-256 of bytes
  bytes        BLOB    NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_by_case ON attachments (case_id);
)sql";

}  // namespace redress::store::sqlite
