#include "channels/email/transport/mail_endpoint.h"

namespace redress::email::transport {

const char* TlsModeName(TlsMode mode) {
  switch (mode) {
    case TlsMode::kNone:
      return "none";
    case TlsMode::kStartTlsOptional:
      return "starttls_optional";
    case TlsMode::kStartTlsRequired:
      return "starttls_required";
    case TlsMode::kImplicit:
      return "implicit";
  }
  return "unknown";
}

}  // namespace redress::email::transport
