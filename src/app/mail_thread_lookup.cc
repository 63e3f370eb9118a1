#include "app/mail_thread_lookup.h"

namespace redress::app {

std::optional<int64_t> StoreThreadLookup::CaseByMessageId(std::string_view message_id) const {
  return Keep(mail_.CaseByMessageId(std::string(message_id)), std::optional<int64_t>());
}

std::optional<int64_t> StoreThreadLookup::CaseByInboundMessageId(std::string_view message_id) const {
  return Keep(mail_.CaseByInboundMessageId(std::string(message_id)), std::optional<int64_t>());
}

bool StoreThreadLookup::IsParticipant(int64_t case_id, std::string_view email) const {
  return Keep(mail_.IsParticipant(case_id, std::string(email)), false);
}

std::vector<int64_t> StoreThreadLookup::OpenCasesBySenderSubject(
    std::string_view email, std::string_view normalized_subject) const {
  return Keep(mail_.OpenCasesBySenderSubject(std::string(email), std::string(normalized_subject)),
              std::vector<int64_t>());
}

}  // namespace redress::app
