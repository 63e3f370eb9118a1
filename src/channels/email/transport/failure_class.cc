#include "channels/email/transport/failure_class.h"

namespace redress::email::transport {

const char* FailureClassName(FailureClass failure) {
  return failure == FailureClass::kPermanent ? "permanent" : "temporary";
}

FailureClass ClassifySmtpReplyCode(int code) {
  return code >= 500 && code <= 599 ? FailureClass::kPermanent : FailureClass::kTemporary;
}

}  // namespace redress::email::transport
