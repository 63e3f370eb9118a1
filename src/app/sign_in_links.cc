#include "app/sign_in_links.h"

#include "app/outbound_mail_reactor.h"  // MailSendJob
#include "auth/secret_token.h"
#include "channels/email/account_message.h"

namespace redress::app {
namespace {

std::string MailText(const std::string& name, const std::string& url) {
  return "Hello " + name +
         ",\n\n"
         "Open this link to sign in and see your cases. It works once, within " +
         std::to_string(kSignInLinkLifetime.count()) +
         " minutes:\n\n" + url +
         "\n\n"
         "If you did not ask for it, you can ignore this message: nobody can sign in without "
         "the link.\n";
}

}  // namespace

std::string SignInLinkUrl(std::string_view public_url, std::string_view secret) {
  std::string url(public_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/login/link#" + std::string(secret);
}

Result<SignInLinkQueued> RequestSignInLink(store::WriteTx& tx, const MailConfig& mail,
                                           const SignInLinkRequest& request, Timestamp now) {
  if (!mail.enabled()) {
    return Fail(ErrorCode::kUnavailable,
                "this server sends no mail ([mail] addresses is empty), so it cannot send "
                "sign-in links");
  }
  int64_t customer_id = 0;
  std::string name;
  std::string address;
  if (request.customer_id) {
    customer_id = *request.customer_id;
    auto email = tx.mail().CustomerEmail(customer_id);
    if (!email) return Fail(email.error());
    if (!*email) {
      return Fail(ErrorCode::kConflict,
                  "this customer has no email address to send a sign-in link to");
    }
    address = **email;
    auto holder = tx.mail().CustomerByEmail(address);
    if (!holder) return Fail(holder.error());
    if (*holder) name = (*holder)->second;
  } else {
    auto holder = tx.mail().CustomerByEmail(request.email);
    if (!holder) return Fail(holder.error());
    if (!*holder) return SignInLinkQueued{};  // nobody: nothing to do, nothing to tell
    customer_id = (*holder)->first;
    name = (*holder)->second;
    address = request.email;
    auto recent = tx.CountSignInLinks(customer_id, now - kSignInLinkLifetime);
    if (!recent) return Fail(recent.error());
    if (*recent >= kSignInLinksPerWindow) return SignInLinkQueued{"", 0, true};
  }

  const std::string secret = auth::NewSecretToken(kSignInLinkPrefix);
  store::SignInLink link;
  link.token_hash = auth::HashSecret(secret);
  link.customer_id = customer_id;
  link.email = address;
  link.requested_by = request.requested_by;
  link.created_at = now;
  link.expires_at = now + kSignInLinkLifetime;
  if (auto stored = tx.InsertSignInLink(link); !stored) return Fail(stored.error());

  email::AccountMessage message;
  message.from = email::Mailbox{mail.from_name, mail.addresses.front()};
  message.to = email::Mailbox{name, address};
  message.subject = "Your sign-in link";
  message.text_body = MailText(name.empty() ? "there" : name, SignInLinkUrl(request.public_url, secret));
  message.date = now;
  auto built = email::BuildAccountMessage(message);
  if (!built) return Fail(built.error());

  store::OutboxEntry entry;
  entry.case_id = 0;
  entry.event_seq = link.id;
  entry.purpose = kSignInLinkPurpose;
  entry.sender = mail.addresses.front();
  entry.recipients = {address};
  entry.message_id = built->message_id;
  entry.bytes = std::move(built->bytes);
  entry.created_at = now;
  entry.updated_at = now;
  if (auto queued = tx.mail().EnqueueOutbound(entry); !queued) return Fail(queued.error());
  // Sent by the outbox's mail_send job like any case mail (engine/mail_send_job.h); with no
  // [mail.smtp] the row stays queued and the channels page shows it.
  if (auto scheduled = tx.ScheduleJob(MailSendJob(entry.id, now)); !scheduled) {
    return Fail(scheduled.error());
  }
  return SignInLinkQueued{address, entry.id};
}

Result<int64_t> RedeemSignInLink(store::WriteTx& tx, std::string_view secret, Timestamp now) {
  constexpr const char* kAskAgain = " Ask for a new one on the sign-in page.";
  if (!secret.starts_with(kSignInLinkPrefix)) {
    return Fail(ErrorCode::kUnauthenticated,
                std::string("This sign-in link is not valid.") + kAskAgain);
  }
  auto link = tx.FindSignInLink(auth::HashSecret(secret));
  if (!link) return Fail(link.error());
  if (!*link) {
    return Fail(ErrorCode::kUnauthenticated,
                std::string("This sign-in link is not valid.") + kAskAgain);
  }
  if ((*link)->used_at) {
    return Fail(ErrorCode::kUnauthenticated,
                std::string("This sign-in link was already used; each link works once.") +
                    kAskAgain);
  }
  if (now >= (*link)->expires_at) {
    return Fail(ErrorCode::kUnauthenticated,
                "This sign-in link has expired (links work for " +
                    std::to_string(kSignInLinkLifetime.count()) + " minutes)." + kAskAgain);
  }
  auto used = tx.UseSignInLink((*link)->id, now);
  if (!used) return Fail(used.error());
  if (!*used) {
    return Fail(ErrorCode::kUnauthenticated,
                std::string("This sign-in link was already used; each link works once.") +
                    kAskAgain);
  }
  return (*link)->customer_id;
}

}  // namespace redress::app
