#include "mailgate/mailgate_exit.h"

#include <gtest/gtest.h>
#include <sysexits.h>

namespace redress::mailgate {
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

TEST(MailgateExitTest, OverHttpOnlyStoredIsZeroAndOnlyRefusedMessagesBounce) {
  EXPECT_EQ(MailgateExitCode(MailgateOutcomeOfHttpStatus(200)), EX_OK);
  EXPECT_EQ(MailgateExitCode(MailgateOutcomeOfHttpStatus(201)), EX_OK);
  EXPECT_EQ(MailgateOutcomeOfHttpStatus(400), MailgateOutcome::kNotAMessage);
  EXPECT_EQ(MailgateOutcomeOfHttpStatus(413), MailgateOutcome::kTooLarge);
  EXPECT_EQ(MailgateExitCode(MailgateOutcome::kTooLarge), EX_DATAERR);
  // A wrong token, a missing permission, an unknown --mailbox, a server in trouble, or no
  // answer at all (status 0): the mail waits in the MTA's queue.
  for (int status : {0, 202, 204, 301, 401, 403, 404, 415, 422, 429, 500, 502, 503, 504}) {
    EXPECT_EQ(MailgateExitCode(MailgateOutcomeOfHttpStatus(status)), EX_TEMPFAIL) << status;
  }
}

}  // namespace
}  // namespace redress::mailgate
