// One inbound email as Redress sees it: decoded addresses, thread headers, the text and
// HTML bodies, attachments and nested messages, all as valid UTF-8 (binary content stays
// bytes). Parsing is done by GMime; this is the boundary where its GObject tree becomes
// plain values that the rest of the system can keep, compare and test.
//
// The parse never modifies or keeps the raw bytes: the caller stores them verbatim as
// evidence and keeps this value only as a derived view. Malformed mail is parsed as well as
// it can be and every irregularity is listed in `warnings`; only input that is not a
// message at all (empty, or no header in it) is an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace redress::email {

struct Mailbox {
  std::string name;     // display name, decoded (RFC 2047), may be empty
  std::string address;  // addr-spec as written ("Asha@Example.com"); not normalised

  bool operator==(const Mailbox&) const = default;
};

struct Header {
  std::string name;   // as written ("X-Autoreply")
  std::string value;  // unfolded, RFC 2047 decoded, valid UTF-8
};

struct Attachment {
  std::string filename;      // decoded (RFC 2231 / RFC 2047); empty if the part has none
  std::string content_type;  // lowercase "type/subtype"
  std::string content_id;    // without angle brackets; empty if none
  bool inline_part = false;  // Content-Disposition: inline, or a cid-referenced related part
  std::string bytes;         // transfer encoding removed
  std::string sha256_hex;    // lowercase hex SHA-256 of `bytes` (the storage key)
};

/// A machine-readable part of a report (message/delivery-status,
/// message/disposition-notification, message/feedback-report, text/rfc822-headers),
/// kept as text for the classifier.
struct ReportPart {
  std::string content_type;
  std::string text;  // valid UTF-8
};

struct ParsedMessage {
  std::vector<Mailbox> from;
  std::vector<Mailbox> to;
  std::vector<Mailbox> cc;
  std::vector<Mailbox> reply_to;
  std::vector<Mailbox> delivered_to;  // Delivered-To and X-Original-To, every hop
  std::string subject;
  std::optional<Timestamp> date;  // absent when missing or unparseable
  std::string message_id;         // without angle brackets; empty if missing
  std::vector<std::string> in_reply_to;
  std::vector<std::string> references;  // oldest first, as in the header

  std::string content_type;     // top-level "type/subtype", lowercase
  std::string report_type;      // report-type parameter of a top-level multipart/report
  std::vector<Header> headers;  // every top-level header in order

  std::string text_body;  // the plain text (from text/plain, else derived from the HTML)
  bool text_from_html = false;
  std::string html_body;                // the first text/html body part, unsanitised; empty if none
  std::vector<Attachment> attachments;  // attachments and inline parts
  std::vector<ReportPart> report_parts;
  std::vector<ParsedMessage> nested;  // message/rfc822 parts, parsed the same way

  std::vector<std::string> warnings;  // what was wrong with the input and how it was read

  /// First value of header `name` (case-insensitive), or nullptr.
  const Header* FindHeader(std::string_view name) const;
};

/// Parses one RFC 5322 message. Returns kInvalidArgument only when the input is not a
/// message at all (empty, or no header field can be found); everything else, however
/// broken, gives a ParsedMessage with warnings. A leading UTF-8 BOM or mbox "From " line
/// is skipped. Thread-safe.
Result<ParsedMessage> ParseMessage(std::string_view raw);

}  // namespace redress::email
