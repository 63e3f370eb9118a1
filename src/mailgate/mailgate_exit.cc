#include "mailgate/mailgate_exit.h"

namespace redress::mailgate {

int MailgateExitCode(MailgateOutcome outcome) {
  switch (outcome) {
    case MailgateOutcome::kStored:
      return kExitStored;
    case MailgateOutcome::kNotAMessage:
    case MailgateOutcome::kTooLarge:
      return kExitNotAMessage;
    case MailgateOutcome::kCouldNotStore:
      return kExitTryLater;
  }
  return kExitTryLater;  // unreachable; never bounce by accident
}

MailgateOutcome MailgateOutcomeOf(const Result<void>& stored) {
  if (stored) return MailgateOutcome::kStored;
  return stored.error().code == ErrorCode::kInvalidArgument ? MailgateOutcome::kNotAMessage
                                                            : MailgateOutcome::kCouldNotStore;
}

MailgateOutcome MailgateOutcomeOfHttpStatus(int status) {
  if (status == 200 || status == 201) return MailgateOutcome::kStored;
  if (status == 400) return MailgateOutcome::kNotAMessage;
  if (status == 413) return MailgateOutcome::kTooLarge;
  return MailgateOutcome::kCouldNotStore;
}

}  // namespace redress::mailgate
