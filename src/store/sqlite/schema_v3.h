// Schema version 3 of the SQLite backend: full-text search over case subjects and public
// message bodies (store/search_text.h says what is indexed). FTS5 with the unicode61
// tokenizer: case-insensitive, no stemming, the same matching as PostgreSQL's 'simple'
// configuration. Rows are added in the same transaction as the events they come from.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV3 = R"sql(
CREATE VIRTUAL TABLE case_text USING fts5(text, case_id UNINDEXED, tokenize = 'unicode61');
-- Index what was there before this version, as AppendEvents would have.
INSERT INTO case_text (text, case_id) SELECT subject, id FROM cases ORDER BY id;
INSERT INTO case_text (text, case_id)
  SELECT json_extract(data, '$.body'), case_id FROM events
  WHERE visibility = 'public' AND json_type(data, '$.body') = 'text'
    AND json_extract(data, '$.body') <> ''
  ORDER BY case_id, seq;
)sql";

}  // namespace redress::store::sqlite
