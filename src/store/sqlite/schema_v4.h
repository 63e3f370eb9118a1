// Schema version 4 of the SQLite backend: the case projection keeps the escalation state
// (domain::CaseCommitments: promises, decisions, credits, the current level's clocks) as one
// JSON text column, written with the rest of the row (docs/escalation.md has the shape).
// Rows written before this version hold '' and read as empty commitments: their cases had
// no escalation events, but their clock fields (contacts and status spans at the level) are
// only rebuilt by a refold, which `redress verify` reports as a row that disagrees with its
// events. Nothing was released before this version; recreate such a database.
#pragma once

#include <string_view>

namespace redress::store::sqlite {

inline constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE cases ADD COLUMN commitments TEXT NOT NULL DEFAULT '';
)sql";

}  // namespace redress::store::sqlite
