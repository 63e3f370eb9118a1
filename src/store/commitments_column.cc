#include "store/commitments_column.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace redress::store {

std::string EncodeCommitmentsColumn(const domain::CaseCommitments& commitments) {
  return boost::json::serialize(domain::ToJson(commitments));
}

Result<domain::CaseCommitments> DecodeCommitmentsColumn(const std::string& text,
                                                        const std::string& row) {
  if (text.empty()) return domain::CaseCommitments{};
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_object()) {
    return Fail(ErrorCode::kCorruption, row + ": commitments column is not a JSON object");
  }
  auto commitments = domain::CommitmentsFromJson(parsed.as_object());
  if (!commitments) {
    return Fail(ErrorCode::kCorruption, row + ": " + commitments.error().message);
  }
  return commitments;
}

}  // namespace redress::store
