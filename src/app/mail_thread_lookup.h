// email::ThreadLookup answered from the mail tables inside the current write, so the
// threading decision sees every message committed before it and those earlier in the
// same batch. ThreadLookup's questions cannot fail, so the first store error is kept
// here and the caller must check error() before trusting the decision.
#pragma once

#include <optional>

#include "channels/email/threading.h"
#include "store/mail_tx.h"

namespace redress::app {

class StoreThreadLookup final : public email::ThreadLookup {
 public:
  explicit StoreThreadLookup(store::MailTx& mail) : mail_(mail) {}

  std::optional<int64_t> CaseByMessageId(std::string_view message_id) const override;
  std::optional<int64_t> CaseByInboundMessageId(std::string_view message_id) const override;
  bool IsParticipant(int64_t case_id, std::string_view email) const override;
  std::vector<int64_t> OpenCasesBySenderSubject(std::string_view email,
                                                std::string_view normalized_subject) const override;

  /// The first store failure of any lookup, if one happened.
  const std::optional<Error>& error() const { return error_; }

 private:
  template <class T>
  T Keep(Result<T> result, T fallback) const {
    if (result) return std::move(*result);
    if (!error_) error_ = result.error();
    return fallback;
  }

  store::MailTx& mail_;
  mutable std::optional<Error> error_;
};

}  // namespace redress::app
