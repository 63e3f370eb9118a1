#include "channels/email/mail_classifier.h"

#include <initializer_list>

#include "core/ascii.h"

namespace redress::email {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return AsciiLower(haystack).find(needle) != std::string::npos;
}

bool ContainsAny(std::string_view haystack, std::initializer_list<std::string_view> needles) {
  std::string lower = AsciiLower(haystack);
  for (std::string_view n : needles) {
    if (lower.find(n) != std::string::npos) return true;
  }
  return false;
}

std::string FirstWord(std::string_view value) {
  value = TrimAsciiSpace(value);
  size_t end = value.find_first_of(" \t;(");
  return AsciiLower(value.substr(0, end));
}

// "rfc822; user@example.com" -> "user@example.com"
std::string AfterType(std::string_view value) {
  size_t semicolon = value.find(';');
  if (semicolon != std::string_view::npos) value.remove_prefix(semicolon + 1);
  value = TrimAsciiSpace(value);
  if (!value.empty() && value.front() == '<') value.remove_prefix(1);
  if (!value.empty() && value.back() == '>') value.remove_suffix(1);
  return std::string(value);
}

std::string StripAngles(std::string_view id) {
  id = TrimAsciiSpace(id);
  size_t open = id.find('<');
  size_t close = id.find('>', open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos) {
    return std::string(id.substr(open + 1, close - open - 1));
  }
  return std::string(id);
}

// The Message-ID header in a block of header text (text/rfc822-headers, or a returned
// message quoted inline by an MTA that sends no DSN).
std::string FindMessageIdLine(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    std::string_view trimmed = TrimAsciiSpace(line);
    if (trimmed.size() > 11 && AsciiLower(trimmed.substr(0, 11)) == "message-id:") {
      std::string id = StripAngles(trimmed.substr(11));
      if (id.find('@') != std::string::npos) return id;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return {};
}

std::string LocalPart(std::string_view address) {
  return AsciiLower(address.substr(0, address.find('@')));
}

// Recipients named by MTAs that send plain-text bounces: qmail's "<user@host>:" lines and
// Exim's indented addresses after "following address(es) failed".
std::vector<RecipientStatus> PlainBounceRecipients(std::string_view body) {
  std::vector<RecipientStatus> out;
  bool after_exim_intro = false;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t eol = body.find('\n', pos);
    std::string_view line =
        body.substr(pos, (eol == std::string_view::npos ? body.size() : eol) - pos);
    std::string_view trimmed = TrimAsciiSpace(line);
    if (Contains(trimmed, "following address") && Contains(trimmed, "failed")) {
      after_exim_intro = true;
    } else if (trimmed.size() > 3 && trimmed.front() == '<' && trimmed.back() == ':' &&
               trimmed[trimmed.size() - 2] == '>' && trimmed.find('@') != std::string_view::npos) {
      out.push_back({AsciiLower(trimmed.substr(1, trimmed.size() - 3)), "failed", "", ""});
    } else if (after_exim_intro && !trimmed.empty() && line.size() > trimmed.size() &&
               trimmed.find('@') != std::string_view::npos &&
               trimmed.find(' ') == std::string_view::npos) {
      std::string address(trimmed);
      if (address.front() == '<') address = AfterType(address);
      out.push_back({AsciiLower(address), "failed", "", ""});
      after_exim_intro = false;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return out;
}

const Header* Find(const ParsedMessage& m, std::string_view name) { return m.FindHeader(name); }

// X-Failed-Recipients (Exim, Gmail): a comma-separated address list.
std::vector<RecipientStatus> FailedRecipientsHeader(const ParsedMessage& m) {
  std::vector<RecipientStatus> out;
  const Header* header = m.FindHeader("X-Failed-Recipients");
  if (header == nullptr) return out;
  std::string_view rest = header->value;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string address = AfterType(TrimAsciiSpace(rest.substr(0, comma)));
    if (address.find('@') != std::string::npos) {
      out.push_back({AsciiLower(address), "failed", "", ""});
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

const char* MailKindName(MailKind kind) {
  switch (kind) {
    case MailKind::kPerson:
      return "person";
    case MailKind::kBounce:
      return "bounce";
    case MailKind::kComplaint:
      return "complaint";
    case MailKind::kReadReceipt:
      return "read_receipt";
    case MailKind::kAutoReply:
      return "auto_reply";
    case MailKind::kBulk:
      return "bulk";
    case MailKind::kList:
      return "list";
  }
  return "person";
}

bool DeliveryReport::HasFailure() const {
  for (const RecipientStatus& r : recipients) {
    if (r.action == "failed" || r.status.starts_with("5")) return true;
  }
  return false;
}

DeliveryReport ParseDeliveryStatus(std::string_view text) {
  DeliveryReport report;
  RecipientStatus current;
  RecipientStatus defaults;  // Action/Status seen in a block without a recipient
  auto flush = [&] {
    if (current.recipient.empty()) {
      if (!current.action.empty()) defaults.action = current.action;
      if (!current.status.empty()) defaults.status = current.status;
    } else {
      if (current.action.empty()) current.action = defaults.action;
      if (current.status.empty()) current.status = defaults.status;
      report.recipients.push_back(current);
    }
    current = RecipientStatus{};
  };
  std::string name;
  std::string value;
  auto apply = [&] {
    if (name.empty()) return;
    std::string field = AsciiLower(name);
    std::string_view v = TrimAsciiSpace(value);
    if (field == "reporting-mta") {
      report.reporting_mta = AfterType(v);
    } else if (field == "final-recipient") {
      current.recipient = AsciiLower(AfterType(v));
    } else if (field == "original-recipient") {
      if (current.recipient.empty()) current.recipient = AsciiLower(AfterType(v));
    } else if (field == "action") {
      current.action = FirstWord(v);
    } else if (field == "status") {
      current.status = FirstWord(v);
    } else if (field == "diagnostic-code") {
      current.diagnostic = AfterType(v);
    }
    name.clear();
    value.clear();
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (TrimAsciiSpace(line).empty()) {
      apply();
      flush();  // a blank line ends a per-message or per-recipient block
    } else if (line.front() == ' ' || line.front() == '\t') {
      value += " ";
      value += TrimAsciiSpace(line);
    } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
      apply();
      name = std::string(TrimAsciiSpace(line.substr(0, colon)));
      value = std::string(line.substr(colon + 1));
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  apply();
  flush();
  return report;
}

Classification ClassifyMail(const ParsedMessage& m) {
  Classification result;
  auto mark = [&](MailKind kind, std::string reason) {
    // Lower enum values are stronger (bounce beats auto-reply beats list).
    if (result.kind == MailKind::kPerson || kind < result.kind) result.kind = kind;
    result.reasons.push_back(std::move(reason));
  };

  // Reports.
  const ReportPart* dsn = nullptr;
  for (const ReportPart& part : m.report_parts) {
    if (part.content_type == "message/delivery-status" ||
        part.content_type == "message/global-delivery-status") {
      if (dsn == nullptr) dsn = &part;
    }
  }
  if (m.report_type == "delivery-status" || dsn != nullptr) {
    mark(MailKind::kBounce, "delivery status notification (RFC 3464)");
    // Without a delivery-status part (boundaries lost), the fields are in the text.
    DeliveryReport report = ParseDeliveryStatus(dsn != nullptr ? dsn->text : m.text_body);
    for (const ParsedMessage& nested : m.nested) {
      if (!nested.message_id.empty()) {
        report.original_message_id = nested.message_id;
        break;
      }
    }
    for (const ReportPart& part : m.report_parts) {
      if (report.original_message_id.empty() && (part.content_type == "text/rfc822-headers" ||
                                                 part.content_type == "message/global-headers")) {
        report.original_message_id = FindMessageIdLine(part.text);
      }
    }
    result.delivery_report = std::move(report);
  }
  if (m.report_type == "feedback-report") mark(MailKind::kComplaint, "abuse report (ARF)");
  if (m.report_type == "disposition-notification") {
    mark(MailKind::kReadReceipt, "disposition notification (RFC 8098)");
  }
  for (const ReportPart& part : m.report_parts) {
    if (part.content_type == "message/feedback-report") {
      mark(MailKind::kComplaint, "message/feedback-report part");
    } else if (part.content_type == "message/disposition-notification") {
      mark(MailKind::kReadReceipt, "message/disposition-notification part");
    }
  }
  // MTAs without DSNs (qmail, old Exim): recognised by sender and subject.
  if (!result.delivery_report && !m.from.empty()) {
    std::string local = LocalPart(m.from.front().address);
    bool daemon = local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon";
    if (daemon &&
        ContainsAny(m.subject, {"failure notice", "undeliver", "delivery failed",
                                "delivery failure", "returned mail", "delivery status notification",
                                "non remis", "unzustellbar", "could not be delivered"})) {
      mark(MailKind::kBounce, "bounce from " + m.from.front().address + ": " + m.subject);
      DeliveryReport report = ParseDeliveryStatus(m.text_body);
      if (report.recipients.empty()) report.recipients = PlainBounceRecipients(m.text_body);
      if (report.recipients.empty()) report.recipients = FailedRecipientsHeader(m);
      report.original_message_id = FindMessageIdLine(m.text_body);
      for (const ParsedMessage& nested : m.nested) {
        if (report.original_message_id.empty()) report.original_message_id = nested.message_id;
      }
      result.delivery_report = std::move(report);
    }
  }

  // Auto-replies (RFC 3834 and the de-facto headers).
  if (const Header* h = Find(m, "Auto-Submitted"); h != nullptr && FirstWord(h->value) != "no") {
    mark(MailKind::kAutoReply, "Auto-Submitted: " + std::string(TrimAsciiSpace(h->value)));
  }
  for (std::string_view name : {"X-Autoreply", "X-Autorespond", "X-Autoresponder"}) {
    if (Find(m, name) != nullptr) mark(MailKind::kAutoReply, std::string(name) + " present");
  }
  if (const Header* h = Find(m, "Return-Path");
      h != nullptr && StripAngles(h->value).empty() && TrimAsciiSpace(h->value).starts_with("<")) {
    mark(MailKind::kAutoReply, "empty Return-Path (<>)");
  }
  if (const Header* h = Find(m, "Precedence"); h != nullptr) {
    std::string precedence = FirstWord(h->value);
    if (precedence == "bulk" || precedence == "junk") {
      mark(MailKind::kBulk, "Precedence: " + precedence);
    } else if (precedence == "list") {
      mark(MailKind::kList, "Precedence: list");
    } else if (precedence == "auto_reply") {
      mark(MailKind::kAutoReply, "Precedence: auto_reply");
    }
  }
  for (std::string_view name :
       {"List-Id", "List-Unsubscribe", "List-Post", "Mailing-List", "X-Mailman-Version"}) {
    if (Find(m, name) != nullptr) {
      mark(MailKind::kList, std::string(name) + " present");
      break;
    }
  }

  // A vacation-like subject alone is a weak signal.
  if (result.kind == MailKind::kPerson &&
      ContainsAny(m.subject,
                  {"out of office", "out of the office", "automatic reply", "auto reply",
                   "autoreply", "auto-reply", "automatic response", "autoresponse", "auto response",
                   "abwesenheit", "vacation", "réponse automatique", "respuesta automática",
                   "automatyczna odpowied", "away from the office"})) {
    result.kind = MailKind::kAutoReply;
    result.weak = true;
    result.reasons.push_back("vacation-like subject: " + m.subject);
  }
  return result;
}

}  // namespace redress::email
