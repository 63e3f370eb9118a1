// The `commitments` column of the cases projection (schema 4 in both backends): the
// case's escalation state (domain::CaseCommitments) as JSON text. One codec for both
// backends, so a row copied from SQLite to PostgreSQL reads back the same.
#pragma once

#include <string>

#include "core/result.h"
#include "domain/commitments.h"

namespace redress::store {

/// The JSON text written to the column.
std::string EncodeCommitmentsColumn(const domain::CaseCommitments& commitments);

/// The column's value read back. '' (rows from before schema 4) reads as empty
/// commitments; anything that is not valid commitments JSON is kCorruption naming `row`.
Result<domain::CaseCommitments> DecodeCommitmentsColumn(const std::string& text,
                                                        const std::string& row);

}  // namespace redress::store
