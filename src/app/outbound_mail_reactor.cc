#include "app/outbound_mail_reactor.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "app/log.h"
#include "channels/email/outbound_message.h"
#include "channels/email/subject.h"
#include "core/sha256.h"
#include "core/time_format.h"
#include "domain/customer.h"
#include "domain/event_data.h"
#include "policy/customer_view.h"

namespace redress::app {
namespace {

using domain::Event;
using domain::EventType;

// "2026-12-03 09:30 UTC": what a person reads in a mail, not the API's RFC 3339 form.
std::string ReadableTime(Timestamp t) {
  std::string s = FormatTimestamp(t).substr(0, 16);
  std::replace(s.begin(), s.end(), 'T', ' ');
  return s + " UTC";
}

std::string TextOr(const boost::json::object& data, std::string_view key, std::string fallback) {
  auto value = domain::DataString(data, key);
  return value && !value->empty() ? std::string(*value) : std::move(fallback);
}

// What the reactor wants to send for one event, before threading and building.
struct Draft {
  std::string purpose;
  std::string to;
  std::string subject;
  std::string body;
  bool automatic = false;
  std::vector<std::string> cc;  // people copied besides the customer
};

std::string Footer(int64_t case_id) {
  return "\n\n-- \nCase #" + std::to_string(case_id) +
         ". Reply to this message to add to your case; please keep the case number in the "
         "subject.\n";
}

}  // namespace

store::JobSpec MailSendJob(int64_t outbox_id, Timestamp due, int attempt) {
  std::string key = "outbox:" + std::to_string(outbox_id);
  if (attempt > 1) key += ":" + std::to_string(attempt);
  return store::JobSpec{kMailSendJobKind, std::move(key), due,
                        "{\"outbox_id\":" + std::to_string(outbox_id) + "}"};
}

bool OutboundMailConfigured(const MailConfig& mail) {
  return mail.enabled() && mail.smtp.has_value();
}

OutboundMailOptions OutboundMailOptionsFrom(const MailConfig& mail) {
  OutboundMailOptions options;
  if (!mail.addresses.empty()) options.from = email::Mailbox{mail.from_name, mail.addresses[0]};
  options.own_addresses = mail.addresses;
  options.acknowledge = mail.acknowledge;
  options.acknowledge_window = std::chrono::seconds(mail.acknowledge_window_seconds);
  return options;
}

OutboundMailReactor::OutboundMailReactor(const email::ThreadTokenSigner& signer,
                                         const PolicyHolder* policies,
                                         OutboundMailOptions options)
    : signer_(signer), policies_(policies), options_(std::move(options)) {}

Result<void> OutboundMailReactor::OnSettled(store::WriteTx& tx, const CaseChange& change,
                                            Timestamp now) {
  const domain::CaseState& state = change.state;
  store::MailTx& mail = tx.mail();
  auto is_own = [&](const std::string& address) {
    return std::find(options_.own_addresses.begin(), options_.own_addresses.end(), address) !=
           options_.own_addresses.end();
  };
  // The customer's address, looked up once and only when an event needs it.
  std::optional<std::optional<std::string>> customer_email;
  auto customer_address = [&]() -> Result<std::optional<std::string>> {
    if (!customer_email) {
      auto found = mail.CustomerEmail(state.customer_id);
      if (!found) return Fail(found.error());
      customer_email = *found;
      if (*customer_email && is_own(**customer_email)) *customer_email = std::nullopt;
    }
    return *customer_email;
  };

  for (const Event& event : change.events) {
    std::optional<Draft> draft;
    if (event.type == EventType::kReplySent && event.visibility == domain::Visibility::kPublic) {
      auto to = customer_address();
      if (!to) return Fail(to.error());
      if (!*to) continue;  // no email identity: the reply is read in the portal
      draft = Draft{
          "reply", **to, "Re: " + state.subject, TextOr(event.data, "body", "") + Footer(state.id),
          false,   {}};
      // Like "reply all": whoever the customer wrote to or copied stays in the conversation.
      auto participants = mail.Participants(state.id);
      if (!participants) return Fail(participants.error());
      for (std::string& address : *participants) {
        if (address != **to && !is_own(address)) draft->cc.push_back(std::move(address));
      }
    } else if (event.type == EventType::kCaseOpened && event.channel == domain::Channel::kEmail) {
      auto respond = domain::DataBool(event.data, "auto_respond");
      if (!options_.acknowledge || !respond || !*respond) continue;
      auto from = domain::NormalizeEmail(TextOr(event.data, "from", ""));
      if (!from || is_own(*from)) continue;
      auto last = mail.LastOutboundTo("acknowledgement", *from);
      if (!last) return Fail(last.error());
      if (*last && now - **last < options_.acknowledge_window) {
        Log(LogLevel::kInfo, "acknowledgement not sent: sender acknowledged recently",
            {{"case_id", state.id}, {"window_seconds",
              static_cast<int64_t>(options_.acknowledge_window.count())}});
        continue;
      }
      draft = Draft{"acknowledgement",
                    *from,
                    "Re: " + state.subject,
                    "We have received your message and opened case #" + std::to_string(state.id) +
                        " for it. A member of our team will answer you; you can follow the case "
                        "and see when its next step is due in your customer portal." +
                        Footer(state.id),
                    true,
                    {}};
    } else if (event.type == EventType::kEscalated) {
      auto to = customer_address();
      if (!to) return Fail(to.error());
      if (!*to) continue;
      std::string body = "Your case #" + std::to_string(state.id) + " has been escalated to " +
                         TextOr(event.data, "to_level_name", "the next level") + ".\n";
      const std::string owner = TextOr(event.data, "owner_name", "");
      body += owner.empty() ? "It is waiting for the next available member of that team.\n"
                            : "It is now handled by " + owner + ".\n";
      if (policies_ != nullptr) {
        auto view = policy::BuildCustomerView(state, *policies_->Get(), now);
        if (view.next_step_due) {
          body += "Our next step is due by " + ReadableTime(*view.next_step_due) + ".\n";
        }
      }
      draft = Draft{"escalation_notice",     **to, "Re: " + state.subject,
                    body + Footer(state.id), true, {}};
    }
    if (!draft) continue;

    // Threading: answer the customer's latest message; reference the case's thread.
    email::OutboundMessage message;
    message.case_id = state.id;
    message.from = options_.from;
    message.to.push_back(email::Mailbox{"", draft->to});
    for (const std::string& address : draft->cc) message.cc.push_back(email::Mailbox{"", address});
    message.subject = draft->subject;
    message.text_body = draft->body;
    message.date = now;
    message.automatic = draft->automatic;
    auto case_mail = mail.ListCaseMail(state.id);
    if (!case_mail) return Fail(case_mail.error());
    for (const store::MailMessageRecord& m : *case_mail) {
      if (m.direction == store::MailDirection::kInbound && !m.message_id.empty()) {
        message.in_reply_to = m.message_id;  // the latest wins
      }
    }
    // A message filed in this very write (the one an acknowledgement answers) has no
    // mail row yet: MailIntake records it after the case's events.
    for (const Event& e : change.events) {
      if ((e.type == EventType::kCaseOpened || e.type == EventType::kMessageReceived) &&
          e.channel == domain::Channel::kEmail && e.seq <= event.seq) {
        if (std::string id = TextOr(e.data, "message_id", ""); !id.empty()) {
          message.in_reply_to = std::move(id);
        }
      }
    }
    auto references = mail.CaseMessageIds(state.id);
    if (!references) return Fail(references.error());
    message.references = std::move(*references);  // the builder adds in_reply_to last
    auto built = email::BuildOutboundMessage(message, signer_);
    if (!built) return Fail(built.error());

    store::OutboxEntry entry;
    entry.case_id = state.id;
    entry.event_seq = event.seq;
    entry.purpose = draft->purpose;
    entry.sender = options_.from.address;
    entry.recipients = {draft->to};
    entry.recipients.insert(entry.recipients.end(), draft->cc.begin(), draft->cc.end());
    entry.message_id = built->message_id;
    entry.bytes = built->bytes;
    entry.created_at = now;
    entry.updated_at = now;
    auto queued = mail.EnqueueOutbound(entry);
    if (!queued) return Fail(queued.error());
    if (!*queued) continue;  // this event's mail is already queued

    const std::string sha = Sha256Hex(built->bytes);
    if (auto put = mail.PutBlob(sha, built->bytes, now); !put) return Fail(put.error());
    store::MailMessageRecord row;
    row.direction = store::MailDirection::kOutbound;
    row.raw_sha256 = sha;
    row.size = static_cast<int64_t>(built->bytes.size());
    row.message_id = built->message_id;
    row.case_id = state.id;
    row.sender = options_.from.address;
    row.subject_key = email::NormalizeSubject(draft->subject);
    row.kind = draft->purpose;
    row.source = "outbox";
    row.status = "queued";
    row.received_at = now;
    if (auto inserted = mail.InsertMailMessage(row); !inserted) return Fail(inserted.error());
    if (auto id = mail.AddThreadId(state.id, built->message_id, true); !id) return id;
    if (auto who = mail.AddParticipant(state.id, draft->to); !who) return who;
    if (auto scheduled = tx.ScheduleJob(MailSendJob(entry.id, now)); !scheduled) {
      return Fail(scheduled.error());
    }
  }
  return {};
}

}  // namespace redress::app
