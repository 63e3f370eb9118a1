// Schema version 3 of the PostgreSQL backend: full-text search over case subjects and
// public message bodies (store/search_text.h says what is indexed), as a tsvector in the
// 'simple' configuration (case-insensitive, no stemming, like SQLite's FTS5 unicode61)
// with a GIN index. Rows are added in the same transaction as the events they come from.
#pragma once

#include <string_view>

namespace redress::store::postgres {

inline constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE case_text (
  case_id bigint   NOT NULL REFERENCES cases (id),
  text    text     NOT NULL,
  tsv     tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
);
CREATE INDEX case_text_search ON case_text USING GIN (tsv);
CREATE INDEX case_text_by_case ON case_text (case_id);
-- Index what was there before this version, as AppendEvents would have.
INSERT INTO case_text (case_id, text) SELECT id, subject FROM cases ORDER BY id;
INSERT INTO case_text (case_id, text)
  SELECT case_id, data::jsonb ->> 'body' FROM events
  WHERE visibility = 'public' AND jsonb_typeof(data::jsonb -> 'body') = 'string'
    AND data::jsonb ->> 'body' <> ''
  ORDER BY case_id, seq;
)sql";

}  // namespace redress::store::postgres
