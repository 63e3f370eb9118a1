// One-time sign-in links for customers: "mail me a link" instead of a password. A link
// carries a 256-bit secret ("rdl_..."), stored only as its SHA-256, that works once and
// for kSignInLinkLifetime. Both steps run inside one store write each:
//
//  * RequestSignInLink: if a customer holds the email address, a link row is stored and
//    its mail is queued in the outbox (account mail: no case, purpose "sign_in_link") in
//    the same write. Whether anyone holds the address is never told to the caller: the
//    HTTP route answers 202 the same way either way, and the same again when the
//    customer's requests are over kSignInLinksPerWindow (nothing is sent then).
//  * RedeemSignInLink: marks the link used and returns the customer it signs in; an
//    unknown, used or expired link is kUnauthenticated with a sentence saying which.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/mail_config.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace redress::app {

inline constexpr std::chrono::minutes kSignInLinkLifetime{15};
inline constexpr std::string_view kSignInLinkPrefix = "rdl_";
inline constexpr const char* kSignInLinkPurpose = "sign_in_link";
/// At most this many links per customer per kSignInLinkLifetime when the customer asks
/// (staff sending one are not limited): enough for a lost mail or two, too few to flood
/// someone's inbox by typing their address into the sign-in page.
inline constexpr int kSignInLinksPerWindow = 3;

struct SignInLinkRequest {
  std::string email;  // normalised (domain::NormalizeEmail)
  /// Set when staff send the link from a customer's page: the link goes to this
  /// customer's first email address, and `email` is ignored.
  std::optional<int64_t> customer_id;
  std::string requested_by = "customer";  // or "user:<id>"
  /// Where the web app is reached, without a trailing slash ("https://help.acme.example").
  std::string public_url;
};

/// What RequestSignInLink did. `sent_to` is empty when nobody holds the address, and
/// when the customer already asked kSignInLinksPerWindow times (then `limited` is set).
struct SignInLinkQueued {
  std::string sent_to;
  int64_t outbox_id = 0;
  bool limited = false;
};

/// The link in the mail: `public_url` + "/login/link#" + secret. The secret is in the
/// fragment, which browsers never send to a server or in a Referer.
std::string SignInLinkUrl(std::string_view public_url, std::string_view secret);

/// Needs mail.enabled() (a sender address); kUnavailable otherwise. For a staff request,
/// kNotFound for an unknown customer and kConflict for one without an email address.
Result<SignInLinkQueued> RequestSignInLink(store::WriteTx& tx, const MailConfig& mail,
                                           const SignInLinkRequest& request, Timestamp now);

/// The customer a link signs in, after marking it used.
Result<int64_t> RedeemSignInLink(store::WriteTx& tx, std::string_view secret, Timestamp now);

}  // namespace redress::app
