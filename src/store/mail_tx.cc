#include "store/mail_tx.h"

namespace redress::store {

const char* OutboxStatusName(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::kQueued: return "queued";
    case OutboxStatus::kSent: return "sent";
    case OutboxStatus::kFailed: return "failed";
  }
  return "queued";
}

}  // namespace redress::store
