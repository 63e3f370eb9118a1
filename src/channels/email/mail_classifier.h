// What kind of sender wrote a message: a person, or a machine answering one. Machines must
// never be answered by another machine (acknowledgement loops) and never count as a
// customer contacting us again. The rules, strongest first:
//
//   bounce       multipart/report; report-type=delivery-status, or a message/delivery-status
//                part (RFC 3464); or, for MTAs that send no DSN (qmail, old Exim), a
//                MAILER-DAEMON/postmaster sender with a delivery-failure subject
//   complaint    report-type=feedback-report (ARF abuse reports)
//   read receipt report-type=disposition-notification (RFC 8098)
//   auto-reply   Auto-Submitted other than "no" (RFC 3834), X-Autoreply, X-Autorespond,
//                X-Autoresponder, Precedence: auto_reply, an empty Return-Path (<>)
//   list         List-Id, List-Unsubscribe, List-Post, Mailing-List, X-Mailman-Version, or
//                Precedence: list
//   bulk         Precedence: bulk or junk
//   person       none of the above; a vacation-like subject ("Out of Office", "Automatic
//                reply", ...) alone is only a weak signal and yields kAutoReply with
//                `weak` set, so the caller can still show it as a contact if it wishes.
//
// A bounce that also carries Auto-Submitted (Exim adds it) is a bounce.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "channels/email/mime_message.h"

namespace redress::email {

// Declared strongest first: when several rules match, the earliest kind wins.
enum class MailKind { kPerson, kBounce, kComplaint, kReadReceipt, kAutoReply, kList, kBulk };

const char* MailKindName(MailKind kind);  // "person", "bounce", ...

struct RecipientStatus {
  std::string recipient;   // Final-Recipient address (or Original-Recipient), lowercased
  std::string action;      // failed | delayed | delivered | relayed | expanded (lowercase)
  std::string status;      // "5.1.1"
  std::string diagnostic;  // Diagnostic-Code text, may be empty
};

struct DeliveryReport {
  std::string reporting_mta;
  std::vector<RecipientStatus> recipients;
  std::string original_message_id;  // of the message that bounced (without <>), if found

  /// True if any recipient failed permanently or with action "failed".
  bool HasFailure() const;
};

struct Classification {
  MailKind kind = MailKind::kPerson;
  bool weak = false;                 // only a vacation-like subject pointed to a machine
  std::vector<std::string> reasons;  // e.g. "Auto-Submitted: auto-replied"
  std::optional<DeliveryReport> delivery_report;  // for bounces

  /// Whether Redress may answer automatically (acknowledgements, auto-replies): only to
  /// people; never to anything automatic, as RFC 3834 asks.
  bool MayAutoRespond() const { return kind == MailKind::kPerson; }
  /// Whether the message counts as the customer contacting us (repeat-contact metrics).
  bool CountsAsContact() const { return kind == MailKind::kPerson || weak; }
};

Classification ClassifyMail(const ParsedMessage& message);

/// Parses the text of a message/delivery-status part (RFC 3464 fields). Unknown fields
/// are ignored; blocks without a recipient address are not recipients, but an Action or
/// Status in them (some MTAs put it in the per-message block) applies to the recipients
/// that follow and lack their own.
DeliveryReport ParseDeliveryStatus(std::string_view text);

}  // namespace redress::email
