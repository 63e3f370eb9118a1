#include "channels/email/mime_message.h"


#include <algorithm>

#include "channels/email/gmime_support.h"
#include "channels/email/html_text.h"
#include "channels/email/text_encoding.h"
#include "core/ascii.h"
#include "core/sha256.h"

namespace redress::email {
namespace {

// Deeper nesting than this is an attack or a broken generator; GMime has its own limit
// for the parse, this one bounds our recursion over the tree it built.
constexpr int kMaxDepth = 64;
constexpr size_t kMaxWarnings = 100;
constexpr size_t kMaxWarningItem = 200;

const char* ParserWarningText(GMimeParserWarning code) {
  switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER:
      return "duplicated header";
    case GMIME_WARN_DUPLICATED_PARAMETER:
      return "duplicated parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
      return "unencoded 8-bit header";
    case GMIME_WARN_INVALID_CONTENT_TYPE:
      return "invalid content type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
      return "invalid RFC 2047 header value";
    case GMIME_WARN_MALFORMED_MULTIPART:
      return "malformed multipart (no child parts)";
    case GMIME_WARN_TRUNCATED_MESSAGE:
      return "truncated message";
    case GMIME_WARN_MALFORMED_MESSAGE:
      return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME:
      return "invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER:
      return "conflicting header";
    case GMIME_CRIT_CONFLICTING_PARAMETER:
      return "conflicting parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      return "multipart without boundary";
    case GMIME_WARN_INVALID_PARAMETER:
      return "invalid parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST:
      return "invalid address list";
    case GMIME_CRIT_NESTING_OVERFLOW:
      return "MIME nesting too deep";
    case GMIME_WARN_PART_WITHOUT_CONTENT:
      return "part without content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      return "part without headers or content";
  }
  return "parser warning";
}

void AddWarning(std::vector<std::string>& warnings, std::string warning) {
  if (warnings.size() < kMaxWarnings) warnings.push_back(std::move(warning));
}

void OnParserWarning(gint64 offset, GMimeParserWarning code, const gchar* item,
                     gpointer user_data) {
  auto* warnings = static_cast<std::vector<std::string>*>(user_data);
  std::string text = "offset " + std::to_string(offset) + ": " + ParserWarningText(code);
  if (item != nullptr) {
    std::string_view detail(item);
    text += ": " + ScrubUtf8(detail.substr(0, kMaxWarningItem));
  }
  AddWarning(*warnings, std::move(text));
}

std::string Utf8OrEmpty(const char* s) { return s == nullptr ? std::string() : ScrubUtf8(s); }

// Mail text is shown and searched with LF line ends whatever the wire format was.
std::string NormalizeNewlines(std::string s) {
  if (s.find('\r') == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}


void AppendAddresses(InternetAddressList* list, std::vector<Mailbox>& out, int depth = 0) {
  if (list == nullptr || depth > 2) return;
  int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      Mailbox mailbox{Utf8OrEmpty(internet_address_get_name(address)), Utf8OrEmpty(addr)};
      if (!mailbox.address.empty() || !mailbox.name.empty()) out.push_back(std::move(mailbox));
    } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
      AppendAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                      depth + 1);
    }
  }
}

std::string StripAngles(std::string_view id) {
  id = TrimAsciiSpace(id);
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  return std::string(TrimAsciiSpace(id));
}

// Message ids from In-Reply-To/References. GMime's parser handles the RFC forms; when it
// finds nothing in a non-empty header (ids without angle brackets, as some clients write),
// every whitespace-separated word with an '@' is taken instead.
std::vector<std::string> ParseIdList(GMimeParserOptions* options, const char* value) {
  std::vector<std::string> ids;
  if (value == nullptr) return ids;
  GMimeReferences* refs = g_mime_references_parse(options, value);
  if (refs != nullptr) {
    int count = g_mime_references_length(refs);
    for (int i = 0; i < count; ++i) {
      std::string id = Utf8OrEmpty(g_mime_references_get_message_id(refs, i));
      if (!id.empty()) ids.push_back(std::move(id));
    }
    g_mime_references_free(refs);
  }
  if (!ids.empty()) return ids;
  std::string_view rest(value);
  while (!rest.empty()) {
    size_t start = 0;
    while (start < rest.size() && IsAsciiSpace(rest[start])) ++start;
    size_t end = start;
    while (end < rest.size() && !IsAsciiSpace(rest[end])) ++end;
    std::string word = StripAngles(rest.substr(start, end - start));
    if (word.find('@') != std::string::npos) ids.push_back(ScrubUtf8(word));
    rest.remove_prefix(end);
  }
  return ids;
}

std::string LowerMimeType(GMimeContentType* type) {
  if (type == nullptr) return "application/octet-stream";
  return AsciiLower(TakeGString(g_mime_content_type_get_mime_type(type)));
}

std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
  if (bytes == nullptr || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

bool IsReportType(std::string_view type) {
  return type == "message/delivery-status" || type == "message/global-delivery-status" ||
         type == "message/disposition-notification" || type == "message/feedback-report" ||
         type == "text/rfc822-headers" || type == "message/global-headers";
}

void AppendText(std::string& to, std::string text) {
  if (text.empty()) return;
  if (!to.empty() && to.back() != '\n') to.push_back('\n');
  to += text;
}

class TreeReader {
 public:
  TreeReader(GMimeParserOptions* options, ParsedMessage& out) : options_(options), out_(out) {}

  void ReadHeaders(GMimeMessage* message);
  /// Appends the root part's own fields (Content-Type, ...) to `headers`.
  void ReadPartHeaders(GMimeObject* root);
  void ReadBody(GMimeObject* object, int depth);

 private:
  void ReadLeaf(GMimePart* part, GMimeObject* object);
  std::string DecodeText(GMimeObject* object, const std::string& bytes, const std::string& what);

  GMimeParserOptions* options_;
  ParsedMessage& out_;
};

void TreeReader::ReadHeaders(GMimeMessage* message) {
  AppendAddresses(g_mime_message_get_from(message), out_.from);
  AppendAddresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), out_.to);
  AppendAddresses(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC), out_.cc);
  AppendAddresses(g_mime_message_get_reply_to(message), out_.reply_to);
  out_.subject = Utf8OrEmpty(g_mime_message_get_subject(message));
  if (GDateTime* date = g_mime_message_get_date(message); date != nullptr) {
    out_.date = Timestamp(std::chrono::seconds(g_date_time_to_unix(date)));
  }
  out_.message_id = Utf8OrEmpty(g_mime_message_get_message_id(message));

  GMimeObject* object = GMIME_OBJECT(message);
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  int count = headers == nullptr ? 0 : g_mime_header_list_get_count(headers);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    std::string name = Utf8OrEmpty(g_mime_header_get_name(header));
    const char* value = g_mime_header_get_value(header);
    std::string lower = AsciiLower(name);
    if (lower == "delivered-to" || lower == "x-original-to") {
      if (value != nullptr) {
        GObjectPtr<InternetAddressList> list(internet_address_list_parse(options_, value));
        AppendAddresses(list.get(), out_.delivered_to);
      }
    } else if (lower == "in-reply-to" && out_.in_reply_to.empty()) {
      out_.in_reply_to = ParseIdList(options_, value);
    } else if (lower == "references" && out_.references.empty()) {
      out_.references = ParseIdList(options_, value);
    } else if (lower == "message-id" && out_.message_id.empty() && value != nullptr) {
      out_.message_id = ScrubUtf8(StripAngles(value));
    }
    out_.headers.push_back(Header{std::move(name), NormalizeNewlines(Utf8OrEmpty(value))});
  }
  if (out_.from.empty()) AddWarning(out_.warnings, "no usable From address");
}

void TreeReader::ReadPartHeaders(GMimeObject* root) {
  GMimeHeaderList* headers = root == nullptr ? nullptr : g_mime_object_get_header_list(root);
  int count = headers == nullptr ? 0 : g_mime_header_list_get_count(headers);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    out_.headers.push_back(Header{Utf8OrEmpty(g_mime_header_get_name(header)),
                                  NormalizeNewlines(Utf8OrEmpty(g_mime_header_get_value(header)))});
  }
}

void TreeReader::ReadBody(GMimeObject* object, int depth) {
  if (object == nullptr) return;
  if (depth > kMaxDepth) {
    AddWarning(out_.warnings, "MIME structure deeper than " + std::to_string(kMaxDepth) +
                                  " levels; the parts below were not read");
    return;
  }
  if (GMIME_IS_MULTIPART(object)) {
    GMimeMultipart* multipart = GMIME_MULTIPART(object);
    int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) ReadBody(g_mime_multipart_get_part(multipart, i), depth + 1);
    if (count == 0) {
      // The boundary never appeared: GMime keeps everything as the prologue. Show it as
      // text rather than lose it.
      const char* prologue = g_mime_multipart_get_prologue(multipart);
      if (prologue != nullptr && *prologue != '\0') {
        AddWarning(out_.warnings, "multipart without any part; its content is read as text");
        AppendText(out_.text_body, NormalizeNewlines(DecodeToUtf8(prologue, "").text));
      }
    }
    return;
  }
  if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (inner == nullptr) return;
    ParsedMessage nested;
    TreeReader reader(options_, nested);
    reader.ReadHeaders(inner);
    reader.ReadPartHeaders(g_mime_message_get_mime_part(inner));
    reader.ReadBody(g_mime_message_get_mime_part(inner), depth + 1);
    if (nested.text_body.empty() && !nested.html_body.empty()) {
      nested.text_body = HtmlToText(nested.html_body);
      nested.text_from_html = true;
    }
    out_.nested.push_back(std::move(nested));
    return;
  }
  if (GMIME_IS_PART(object)) ReadLeaf(GMIME_PART(object), object);
}

std::string TreeReader::DecodeText(GMimeObject* object, const std::string& bytes,
                                   const std::string& what) {
  const char* charset = g_mime_object_get_content_type_parameter(object, "charset");
  DecodedText decoded = DecodeToUtf8(bytes, charset == nullptr ? "" : charset);
  if (decoded.unknown_charset) {
    AddWarning(out_.warnings, what + ": unknown charset '" + Utf8OrEmpty(charset) +
                                  "', read as UTF-8 or Windows-1252");
  }
  if (decoded.replaced_invalid) {
    AddWarning(out_.warnings, what + ": bytes invalid in the declared charset were replaced");
  }
  return NormalizeNewlines(std::move(decoded.text));
}

void TreeReader::ReadLeaf(GMimePart* part, GMimeObject* object) {
  std::string type = LowerMimeType(g_mime_object_get_content_type(object));
  GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
  bool is_attachment =
      disposition != nullptr && g_mime_content_disposition_is_attachment(disposition);
  std::string bytes = DecodedContent(part);

  if (!is_attachment && (type == "text/plain" || type == "text/html")) {
    std::string text = DecodeText(object, bytes, type + " part");
    if (type == "text/plain") {
      AppendText(out_.text_body, std::move(text));
    } else {
      AppendText(out_.html_body, std::move(text));
    }
    return;
  }
  if (IsReportType(type)) {
    out_.report_parts.push_back(ReportPart{type, DecodeText(object, bytes, type + " part")});
    return;
  }
  Attachment attachment;
  attachment.filename = Utf8OrEmpty(g_mime_part_get_filename(part));
  attachment.content_type = type;
  attachment.content_id = Utf8OrEmpty(g_mime_object_get_content_id(object));
  attachment.inline_part =
      !is_attachment && (disposition != nullptr || !attachment.content_id.empty());
  attachment.sha256_hex = Sha256Hex(bytes);
  attachment.bytes = std::move(bytes);
  out_.attachments.push_back(std::move(attachment));
}

bool StartsWithCaseless(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && AsciiLower(s.substr(0, prefix.size())) == prefix;
}

// Where the message starts: after a UTF-8 byte order mark, a batch-SMTP envelope
// (HELO/MAIL FROM/RCPT TO/DATA, as some spam archives keep) and an mbox "From " line,
// which delivery agents leave in front of the headers.
size_t MessageStart(std::string_view raw) {
  size_t start = 0;
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  std::string_view rest = raw.substr(start);
  if (StartsWithCaseless(rest, "helo ") || StartsWithCaseless(rest, "ehlo ") ||
      StartsWithCaseless(rest, "mail from:")) {
    size_t pos = start;
    while (pos < raw.size()) {
      size_t eol = raw.find('\n', pos);
      size_t next = eol == std::string_view::npos ? raw.size() : eol + 1;
      if (AsciiLower(TrimAsciiSpace(raw.substr(pos, next - pos))) == "data") {
        start = next;
        break;
      }
      pos = next;
    }
  }
  if (raw.substr(start, 5) == "From ") {
    size_t eol = raw.find('\n', start);
    start = eol == std::string_view::npos ? raw.size() : eol + 1;
  }
  return start;
}

int HeaderCount(GMimeObject* object) {
  if (object == nullptr) return 0;
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  return headers == nullptr ? 0 : g_mime_header_list_get_count(headers);
}

// One GMime parse of `body` into `out`; false if GMime found no header at all.
bool ParseInto(std::string_view body, ParsedMessage& out) {
  ParserOptionsPtr options = NewLenientParserOptions();
  g_mime_parser_options_set_warning_callback(options.get(), OnParserWarning, &out.warnings);
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(body.data(), body.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return false;
  // GMime keeps the Content-* fields on the root part, the rest on the message.
  GMimeObject* root = g_mime_message_get_mime_part(message.get());
  if (HeaderCount(GMIME_OBJECT(message.get())) + HeaderCount(root) == 0) return false;

  TreeReader reader(options.get(), out);
  reader.ReadHeaders(message.get());
  reader.ReadPartHeaders(root);
  if (root != nullptr) {
    GMimeContentType* type = g_mime_object_get_content_type(root);
    out.content_type = LowerMimeType(type);
    if (out.content_type == "multipart/report") {
      out.report_type =
          AsciiLower(Utf8OrEmpty(g_mime_content_type_get_parameter(type, "report-type")));
    }
  } else {
    out.content_type = "text/plain";
  }
  reader.ReadBody(root, 0);
  if (out.text_body.empty() && !out.html_body.empty()) {
    out.text_body = HtmlToText(out.html_body);
    out.text_from_html = true;
  }
  return true;
}

}  // namespace

const Header* ParsedMessage::FindHeader(std::string_view name) const {
  std::string wanted = AsciiLower(name);
  for (const Header& header : headers) {
    if (AsciiLower(header.name) == wanted) return &header;
  }
  return nullptr;
}

Result<ParsedMessage> ParseMessage(std::string_view raw) {
  EnsureGMime();
  std::string_view body = raw.substr(MessageStart(raw));
  if (TrimAsciiSpace(body).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "not an email message: the input is empty");
  }
  ParsedMessage out;
  // Old Mac mail uses bare CR line ends, which GMime does not split on. The parse works on
  // a copy with LF; the raw bytes themselves are never changed.
  std::string lf_copy;
  if (body.find('\n') == std::string_view::npos && body.find('\r') != std::string_view::npos) {
    lf_copy = NormalizeNewlines(std::string(body));
    body = lf_copy;
    AddWarning(out.warnings, "bare CR line ends were read as line breaks");
  }
  if (ParseInto(body, out)) return out;
  // An empty header section (the input starts with the blank line that ends it) is still
  // a message, as mbox archives show: keep its body as text.
  if (body.front() == '\n' || body.substr(0, 2) == "\r\n") {
    AddWarning(out.warnings, "the message has no header fields");
    out.content_type = "text/plain";
    DecodedText text = DecodeToUtf8(TrimAsciiSpace(body), "");
    out.text_body = NormalizeNewlines(std::move(text.text));
    return out;
  }
  // A first header line indented by mistake reads as a continuation of nothing; try again
  // without the leading whitespace before giving up.
  size_t first = 0;
  while (first < body.size() && IsAsciiSpace(body[first])) ++first;
  if (first > 0) {
    ParsedMessage retry;
    retry.warnings = out.warnings;
    AddWarning(retry.warnings, "whitespace before the first header was ignored");
    if (ParseInto(body.substr(first), retry)) return retry;
  }
  return Fail(ErrorCode::kInvalidArgument, "not an email message: no header field found");
}

}  // namespace redress::email
