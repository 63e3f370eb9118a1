// Mail the product sends because something happened on a case, queued in the same write
// as the event that called for it (so a reply is mailed if and only if it was recorded):
//
//  * reply             an agent's public reply (`reply_sent`), to the customer's email
//                      identity. Internal notes never produce mail.
//  * acknowledgement   a case opened by an inbound email from a person (the classifier's
//                      MayAutoRespond: never auto-replies, bounces, lists or bulk), at most
//                      one per sender per [mail] acknowledge_window_seconds, so that an
//                      auto-responder that escapes the classifier cannot loop with us.
//  * escalation_notice an `escalated` event: the new level, the new owner's display name and
//                      when the next step is due, i.e. only what the customer's view shows.
//
// Each message is built with email::BuildOutboundMessage (thread tokens in Message-ID,
// Reply-To and subject; In-Reply-To/References to the customer's latest message and the
// case's thread), recorded as an outbound mail_messages row and thread id of the case (so a
// reply quoting only our Message-ID finds the case by References), queued in the outbox
// (deduplicated per case, event and purpose) with a `mail_send` job due at once.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/mail_config.h"
#include "app/policy_holder.h"
#include "channels/email/mime_message.h"
#include "channels/email/thread_token.h"

namespace redress::app {

/// The job kind that sends one outbox entry (engine/mail_send_job.h).
inline constexpr const char* kMailSendJobKind = "mail_send";

/// The job that sends outbox entry `outbox_id` at `due`. Attempt n > 1 is a retry with a key
/// of its own ("outbox:ID:n"), since scheduling a key that already exists does nothing.
store::JobSpec MailSendJob(int64_t outbox_id, Timestamp due, int attempt = 1);

struct OutboundMailOptions {
  email::Mailbox from;                     // [mail] from_name and the first address
  std::vector<std::string> own_addresses;  // normalised: never mailed, never acknowledged
  bool acknowledge = true;
  std::chrono::seconds acknowledge_window{std::chrono::hours(24)};
};

/// Outbound mail needs [mail] addresses (the sender) and [mail.smtp] (the relay).
bool OutboundMailConfigured(const MailConfig& mail);
/// The reactor's options from [mail]: from_name and the first address as the sender.
OutboundMailOptions OutboundMailOptionsFrom(const MailConfig& mail);

class OutboundMailReactor final : public CaseReactor {
 public:
  /// `policies` gives the next due time for escalation notices (may be null: then the
  /// notice says no time).
  OutboundMailReactor(const email::ThreadTokenSigner& signer, const PolicyHolder* policies,
                      OutboundMailOptions options);

  /// Runs on the settled case, so an escalation appended by another reactor in the same
  /// write is seen with its final state (owner, next due time).
  Result<void> OnSettled(store::WriteTx& tx, const CaseChange& change, Timestamp now) override;

 private:
  const email::ThreadTokenSigner& signer_;
  const PolicyHolder* policies_;
  OutboundMailOptions options_;
};

}  // namespace redress::app
