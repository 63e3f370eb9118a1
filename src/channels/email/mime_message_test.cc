#include "channels/email/mime_message.h"

#include <gtest/gtest.h>

#include <string>

#include "core/utf8.h"

namespace redress::email {
namespace {

ParsedMessage Parse(const std::string& raw) {
  Result<ParsedMessage> parsed = ParseMessage(raw);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : ParsedMessage{};
}

bool HasWarningContaining(const ParsedMessage& m, std::string_view text) {
  for (const std::string& w : m.warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ParseMessage, ReadsAddressesAndThreadHeaders) {
  ParsedMessage m = Parse(
      "Delivered-To: support@acme.example\r\n"
      "X-Original-To: help@acme.example\r\n"
      "From: Asha Rao <Asha@Example.com>\r\n"
      "To: support@acme.example, \"Team, Billing\" <billing@acme.example>\r\n"
      "Cc: undisclosed: a@x.example, b@x.example;\r\n"
      "Reply-To: asha.private@example.com\r\n"
      "Subject: Refund\r\n"
      "Date: Tue, 01 Dec 2026 10:00:00 +0100\r\n"
      "Message-ID: <abc@mail.example.com>\r\n"
      "In-Reply-To: <first@acme.example>\r\n"
      "References: <root@acme.example>\r\n <first@acme.example>\r\n"
      "\r\n"
      "Hello\r\n");
  ASSERT_EQ(m.from.size(), 1u);
  EXPECT_EQ(m.from[0], (Mailbox{"Asha Rao", "Asha@Example.com"}));
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_EQ(m.to[1], (Mailbox{"Team, Billing", "billing@acme.example"}));
  ASSERT_EQ(m.cc.size(), 2u);  // group members, flattened
  EXPECT_EQ(m.cc[1].address, "b@x.example");
  ASSERT_EQ(m.reply_to.size(), 1u);
  ASSERT_EQ(m.delivered_to.size(), 2u);
  EXPECT_EQ(m.delivered_to[0].address, "support@acme.example");
  EXPECT_EQ(m.delivered_to[1].address, "help@acme.example");
  EXPECT_EQ(m.message_id, "abc@mail.example.com");
  EXPECT_EQ(m.in_reply_to, std::vector<std::string>{"first@acme.example"});
  EXPECT_EQ(m.references, (std::vector<std::string>{"root@acme.example", "first@acme.example"}));
  ASSERT_TRUE(m.date.has_value());
  // 2026-12-01T09:00:00Z
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(m.date->time_since_epoch()).count(),
            1796115600);
  EXPECT_EQ(m.text_body, "Hello\n");
  EXPECT_EQ(m.content_type, "text/plain");
  ASSERT_NE(m.FindHeader("x-original-to"), nullptr);
  EXPECT_TRUE(m.warnings.empty());
}

TEST(ParseMessage, DecodesQuotedPrintableLatin1Body) {
  ParsedMessage m = Parse(
      "From: a@example.com\n"
      "Content-Type: text/plain; charset=ISO-8859-1\n"
      "Content-Transfer-Encoding: quoted-printable\n\n"
      "Gr=FC=DFe aus K=F6ln, =\nsoft break\n");
  EXPECT_EQ(m.text_body,
            "Gr\xC3\xBC\xC3\x9F"
            "e aus K\xC3\xB6ln, soft break\n");
}

TEST(ParseMessage, DecodesRfc2047InFromAndSubject) {
  ParsedMessage m = Parse(
      "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.be>\n"
      "Subject: =?UTF-8?B?4oK5IHJlZnVuZA==?= =?utf-8?q?_for_J=C3=BCrgen?=\n"
      "To: =?iso-2022-jp?B?GyRCRnxLXDhsGyhC?= <jp@example.jp>\n\n"
      "x\n");
  ASSERT_EQ(m.from.size(), 1u);
  EXPECT_EQ(m.from[0].name, "Andr\xC3\xA9 Pirard");
  // Adjacent encoded words join without the whitespace between them (RFC 2047 6.2).
  EXPECT_EQ(m.subject, "\xE2\x82\xB9 refund for J\xC3\xBCrgen");
  ASSERT_EQ(m.to.size(), 1u);
  EXPECT_EQ(m.to[0].name, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");  // 日本語
}

TEST(ParseMessage, DecodesRfc2231Filenames) {
  ParsedMessage m = Parse(
      "From: a@example.com\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
      "--b\n"
      "Content-Type: text/plain\n\nsee attached\n"
      "--b\n"
      "Content-Type: application/pdf\n"
      "Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf\n"
      "Content-Transfer-Encoding: base64\n\n"
      "aGVsbG8=\n"
      "--b\n"
      "Content-Type: text/plain; name*0*=iso-8859-1''R%E9sum; name*1*=%E9.txt\n"
      "Content-Disposition: attachment\n\n"
      "cv\n"
      "--b--\n");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].filename, "\xE2\x82\xAC rates.pdf");
  EXPECT_EQ(m.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(m.attachments[0].bytes, "hello");
  EXPECT_EQ(m.attachments[0].sha256_hex,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_FALSE(m.attachments[0].inline_part);
  EXPECT_EQ(m.attachments[1].filename, "R\xC3\xA9sum\xC3\xA9.txt");
  EXPECT_EQ(m.text_body, "see attached");  // the attached text is not part of the body
}

TEST(ParseMessage, MultipartAlternativeGivesBothBodies) {
  ParsedMessage m = Parse(
      "From: a@example.com\n"
      "Content-Type: multipart/alternative; boundary=alt\n\n"
      "--alt\nContent-Type: text/plain; charset=utf-8\n\nPlain version\n"
      "--alt\nContent-Type: text/html; charset=utf-8\n\n<p>HTML <b>version</b></p>\n"
      "--alt--\n");
  EXPECT_EQ(m.content_type, "multipart/alternative");
  EXPECT_EQ(m.text_body, "Plain version");
  EXPECT_FALSE(m.text_from_html);
  EXPECT_EQ(m.html_body, "<p>HTML <b>version</b></p>");
}

TEST(ParseMessage, DerivesTextFromHtmlOnlyMessages) {
  ParsedMessage m = Parse(
      "From: a@example.com\nContent-Type: text/html; charset=windows-1252\n\n"
      "<html><head><style>p{}</style><script>x()</script></head><body>"
      "<p>Caf\xE9 &amp; more</p><ul><li>one</li><li>two</li></ul>line<br>break</body></html>");
  EXPECT_TRUE(m.text_from_html);
  EXPECT_EQ(m.text_body, "Caf\xC3\xA9 & more\n\n- one\n- two\nline\nbreak");
}

TEST(ParseMessage, ParsesNestedRfc822Messages) {
  ParsedMessage m = Parse(
      "From: fwd@example.com\nSubject: Fwd: original\n"
      "Content-Type: multipart/mixed; boundary=outer\n\n"
      "--outer\nContent-Type: text/plain\n\nSee below.\n"
      "--outer\nContent-Type: message/rfc822\n\n"
      "From: =?utf-8?q?Ren=C3=A9e?= <renee@example.com>\n"
      "Subject: original\nMessage-ID: <orig@example.com>\n"
      "Content-Type: multipart/mixed; boundary=inner\n\n"
      "--inner\nContent-Type: text/plain\n\nInner text\n"
      "--inner\nContent-Type: image/png\nContent-Disposition: attachment; filename=a.png\n"
      "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
      "--inner--\n"
      "--outer--\n");
  EXPECT_EQ(m.text_body, "See below.");
  EXPECT_TRUE(m.attachments.empty());
  ASSERT_EQ(m.nested.size(), 1u);
  const ParsedMessage& inner = m.nested[0];
  EXPECT_EQ(inner.from[0].name,
            "Ren\xC3\xA9"
            "e");
  EXPECT_EQ(inner.message_id, "orig@example.com");
  EXPECT_EQ(inner.text_body, "Inner text");
  ASSERT_EQ(inner.attachments.size(), 1u);
  EXPECT_EQ(inner.attachments[0].bytes, std::string("\x89PNG\r\n\x1A\n", 8));
}

TEST(ParseMessage, KeepsInlineImagesWithContentId) {
  ParsedMessage m = Parse(
      "From: a@example.com\n"
      "Content-Type: multipart/related; boundary=rel\n\n"
      "--rel\nContent-Type: text/html\n\n<p><img src=\"cid:logo@x\"></p>\n"
      "--rel\nContent-Type: image/gif\nContent-ID: <logo@x>\n"
      "Content-Transfer-Encoding: base64\n\nR0lGODlh\n"
      "--rel--\n");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].content_id, "logo@x");
  EXPECT_TRUE(m.attachments[0].inline_part);
  EXPECT_EQ(m.attachments[0].content_type, "image/gif");
  EXPECT_EQ(m.attachments[0].bytes, "GIF89a");
}

TEST(ParseMessage, SurvivesBrokenBoundaries) {
  // No closing boundary: the last part runs to the end.
  ParsedMessage unclosed = Parse(
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nfirst\n"
      "--b\nContent-Type: text/plain\n\nsecond, never closed\n");
  EXPECT_NE(unclosed.text_body.find("first"), std::string::npos);
  EXPECT_NE(unclosed.text_body.find("second, never closed"), std::string::npos);

  // The declared boundary never appears: the content is still shown, with a warning.
  ParsedMessage missing = Parse(
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=nothere\n\n"
      "All the text of the message.\n");
  EXPECT_NE(missing.text_body.find("All the text of the message."), std::string::npos);
  EXPECT_FALSE(missing.warnings.empty());
}

TEST(ParseMessage, GuessesMissingCharsets) {
  ParsedMessage latin1 = Parse("From: a@example.com\n\nna\xEFve caf\xE9\n");
  EXPECT_EQ(latin1.text_body, "na\xC3\xAFve caf\xC3\xA9\n");
  ParsedMessage utf8 = Parse("From: a@example.com\n\nna\xC3\xAFve caf\xC3\xA9\n");
  EXPECT_EQ(utf8.text_body, "na\xC3\xAFve caf\xC3\xA9\n");
}

TEST(ParseMessage, ReplacesInvalidBytesAndReportsUnknownCharsets) {
  ParsedMessage bad =
      Parse("From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\nok \xFF\xFE end\n");
  EXPECT_EQ(bad.text_body, "ok \xEF\xBF\xBD\xEF\xBF\xBD end\n");
  EXPECT_TRUE(HasWarningContaining(bad, "replaced"));

  ParsedMessage unknown = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=x-no-such-charset\n\n"
      "caf\xE9\n");
  EXPECT_EQ(unknown.text_body, "caf\xC3\xA9\n");
  EXPECT_TRUE(HasWarningContaining(unknown, "unknown charset"));
}

TEST(ParseMessage, DecodesRaw8BitHeaders) {
  ParsedMessage utf8 = Parse(
      "From: J\xC3\xBCrgen <j@example.de>\nSubject: Gr\xC3\xBC\xC3\x9F"
      "e\n\nx\n");
  EXPECT_EQ(utf8.from[0].name, "J\xC3\xBCrgen");
  EXPECT_EQ(utf8.subject,
            "Gr\xC3\xBC\xC3\x9F"
            "e");
  ParsedMessage latin1 = Parse(
      "From: J\xFCrgen <j@example.de>\nSubject: Gr\xFC\xDF"
      "e\n\nx\n");
  EXPECT_EQ(latin1.subject,
            "Gr\xC3\xBC\xC3\x9F"
            "e");
  EXPECT_TRUE(ValidUtf8(latin1.from[0].name));
}

TEST(ParseMessage, SkipsEnvelopeLinesButRejectsNonMessages) {
  ParsedMessage mbox = Parse(
      "\xEF\xBB\xBF"
      "From someone Tue Dec  1 10:00:00 2026\nFrom: a@b.example\n\nx\n");
  EXPECT_EQ(mbox.from[0].address, "a@b.example");

  EXPECT_FALSE(ParseMessage("").has_value());
  EXPECT_FALSE(ParseMessage("  \r\n ").has_value());
  EXPECT_FALSE(ParseMessage(std::string("\x00\x01\x02\xFF\xFE binary", 12)).has_value());
  EXPECT_FALSE(ParseMessage("Just a sentence, not a message.\nAnother line.\n").has_value());
  Result<ParsedMessage> error = ParseMessage("\x89PNG\r\n\x1A\n");
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseMessage, ReadsBareCrLineEnds) {
  ParsedMessage m = Parse("From: a@example.com\rSubject: old mac\r\rbody line\r");
  EXPECT_EQ(m.subject, "old mac");
  EXPECT_EQ(m.text_body, "body line\n");
}

TEST(ParseMessage, KeepsDeliveryStatusReports) {
  ParsedMessage m = Parse(
      "From: MAILER-DAEMON@mx.example\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n"
      "--r\nContent-Type: text/plain\n\nDelivery failed.\n"
      "--r\nContent-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; gone@example.org\n"
      "Action: failed\nStatus: 5.1.1\n"
      "--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: <out@acme.example>\n"
      "--r--\n");
  EXPECT_EQ(m.content_type, "multipart/report");
  EXPECT_EQ(m.report_type, "delivery-status");
  ASSERT_EQ(m.report_parts.size(), 2u);
  EXPECT_EQ(m.report_parts[0].content_type, "message/delivery-status");
  EXPECT_NE(m.report_parts[0].text.find("Status: 5.1.1"), std::string::npos);
  EXPECT_EQ(m.report_parts[1].content_type, "text/rfc822-headers");
}

}  // namespace
}  // namespace redress::email
