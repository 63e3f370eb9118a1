#include "lmtp/lmtp_reply.h"

#include <string>

namespace redress::lmtp {
namespace {

std::string CaseText(const app::IntakeResult& result) {
  return result.case_id ? "case " + std::to_string(*result.case_id) : std::string("no case");
}

}  // namespace

email::LmtpReply ReplyFor(const Result<app::IntakeResult>& filed) {
  if (!filed) {
    // The detail of a store failure is logged by the listener, not told to the client.
    return {451, "4.3.0", "not stored: the store could not write it; try again later"};
  }
  const app::IntakeResult& result = *filed;
  switch (result.outcome) {
    case app::IntakeOutcome::kOpened:
      return {250, "2.0.0", "stored: " + CaseText(result) + " opened"};
    case app::IntakeOutcome::kAppended:
      return {250, "2.0.0", "stored in " + CaseText(result)};
    case app::IntakeOutcome::kDuplicate:
      return {250, "2.0.0", "already stored (" + CaseText(result) + ")"};
    case app::IntakeOutcome::kDeliveryReport:
      return {250, "2.0.0", "delivery report recorded on " + CaseText(result)};
    case app::IntakeOutcome::kUnattached:
      return {250, "2.0.0", "stored, attached to no case: " + result.detail};
    case app::IntakeOutcome::kTooLarge:
      return {552, "5.3.4", "too large to read (" + result.detail + "); stored raw as received"};
    case app::IntakeOutcome::kNotAMessage:
      return {550, "5.6.0",
              "not an RFC 5322 message (" + result.detail + "); stored raw as received"};
  }
  return {451, "4.3.0", "not stored: unknown outcome; try again later"};
}

}  // namespace redress::lmtp
