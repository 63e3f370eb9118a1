#include "channels/email/transport/mailgate_exit.h"

#include <gtest/gtest.h>
#include <sysexits.h>

namespace redress::email::transport {
namespace {

TEST(MailgateExitTest, CodesAreTheSysexitsTheMtasKnow) {
  EXPECT_EQ(MailgateExitCode(MailgateOutcome::kStored), EX_OK);
  EXPECT_EQ(MailgateExitCode(MailgateOutcome::kNotAMessage), EX_DATAERR);
  EXPECT_EQ(MailgateExitCode(MailgateOutcome::kCouldNotStore), EX_TEMPFAIL);
}

TEST(MailgateExitTest, OnlyNotAMessageBouncesEveryOtherErrorIsRetried) {
  EXPECT_EQ(MailgateOutcomeOf(Result<void>{}), MailgateOutcome::kStored);
  EXPECT_EQ(MailgateOutcomeOf(Fail(ErrorCode::kInvalidArgument, "empty input")),
            MailgateOutcome::kNotAMessage);
  for (ErrorCode code :
       {ErrorCode::kNotFound, ErrorCode::kConflict, ErrorCode::kPermissionDenied,
        ErrorCode::kUnauthenticated, ErrorCode::kPayloadTooLarge, ErrorCode::kPreconditionFailed,
        ErrorCode::kCorruption, ErrorCode::kUnavailable, ErrorCode::kInternal}) {
    EXPECT_EQ(MailgateExitCode(MailgateOutcomeOf(Fail(code, "x"))), EX_TEMPFAIL)
        << ErrorCodeName(code);
  }
}

}  // namespace
}  // namespace redress::email::transport
