#include "channels/email/mail_classifier.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "channels/email/testing/mail_corpus.h"

namespace redress::email {
namespace {

Classification Classify(const std::string& raw) {
  Result<ParsedMessage> parsed = ParseMessage(raw);
  EXPECT_TRUE(parsed.has_value());
  return parsed ? ClassifyMail(*parsed) : Classification{};
}

TEST(ClassifyMail, PeopleAreContacts) {
  Classification c = Classify("From: asha@example.com\nSubject: Refund please\n\nHi\n");
  EXPECT_EQ(c.kind, MailKind::kPerson);
  EXPECT_TRUE(c.MayAutoRespond());
  EXPECT_TRUE(c.CountsAsContact());
  EXPECT_TRUE(c.reasons.empty());
  // Auto-Submitted: no is explicitly a person.
  EXPECT_EQ(Classify("From: a@x.example\nAuto-Submitted: no\n\nx\n").kind, MailKind::kPerson);
}

TEST(ClassifyMail, AutoReplyHeaders) {
  for (std::string header :
       {"Auto-Submitted: auto-replied", "Auto-Submitted: auto-generated", "X-Autoreply: yes",
        "X-Autorespond: 1", "Precedence: auto_reply", "Return-Path: <>"}) {
    Classification c = Classify("From: a@x.example\n" + header + "\nSubject: Re: hi\n\nx\n");
    EXPECT_EQ(c.kind, MailKind::kAutoReply) << header;
    EXPECT_FALSE(c.weak) << header;
    EXPECT_FALSE(c.MayAutoRespond()) << header;
    EXPECT_FALSE(c.CountsAsContact()) << header;
  }
}

TEST(ClassifyMail, ListAndBulkMail) {
  EXPECT_EQ(Classify("From: a@x.example\nList-Id: <dev.lists.example>\n\nx\n").kind,
            MailKind::kList);
  EXPECT_EQ(Classify("From: a@x.example\nList-Unsubscribe: <mailto:u@x>\n\nx\n").kind,
            MailKind::kList);
  EXPECT_EQ(Classify("From: a@x.example\nPrecedence: list\n\nx\n").kind, MailKind::kList);
  EXPECT_EQ(Classify("From: a@x.example\nPrecedence: bulk\n\nx\n").kind, MailKind::kBulk);
  EXPECT_EQ(Classify("From: a@x.example\nPrecedence: junk\n\nx\n").kind, MailKind::kBulk);
}

TEST(ClassifyMail, VacationSubjectIsAWeakSignal) {
  Classification c = Classify("From: a@x.example\nSubject: Out of Office: back Monday\n\nx\n");
  EXPECT_EQ(c.kind, MailKind::kAutoReply);
  EXPECT_TRUE(c.weak);
  EXPECT_FALSE(c.MayAutoRespond());
  EXPECT_TRUE(c.CountsAsContact());
}

TEST(ClassifyMail, ParsesDeliveryStatusNotifications) {
  Classification c = Classify(
      "From: MAILER-DAEMON@mx.example\nAuto-Submitted: auto-replied\nSubject: Undelivered\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n"
      "--r\nContent-Type: text/plain\n\nDelivery failed.\n"
      "--r\nContent-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns; mx.example\nArrival-Date: Tue, 1 Dec 2026 10:00:00 +0000\n\n"
      "Final-Recipient: rfc822; Gone@Example.org\nAction: failed\nStatus: 5.1.1 (no such user)\n"
      "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>:\n  Recipient address rejected\n\n"
      "Original-Recipient: rfc822; slow@example.net\nFinal-Recipient: rfc822; slow@example.net\n"
      "Action: delayed\nStatus: 4.4.7\n"
      "--r\nContent-Type: message/rfc822\n\n"
      "From: support@acme.example\nMessage-ID: <c42.abc@acme.example>\nSubject: Your case\n\nx\n"
      "--r--\n");
  EXPECT_EQ(c.kind, MailKind::kBounce);  // Auto-Submitted as well, but a bounce is stronger
  ASSERT_TRUE(c.delivery_report.has_value());
  const DeliveryReport& report = *c.delivery_report;
  EXPECT_EQ(report.reporting_mta, "mx.example");
  ASSERT_EQ(report.recipients.size(), 2u);
  EXPECT_EQ(report.recipients[0].recipient, "gone@example.org");
  EXPECT_EQ(report.recipients[0].action, "failed");
  EXPECT_EQ(report.recipients[0].status, "5.1.1");
  EXPECT_EQ(report.recipients[0].diagnostic,
            "550 5.1.1 <gone@example.org>: Recipient address rejected");
  EXPECT_EQ(report.recipients[1].action, "delayed");
  EXPECT_EQ(report.recipients[1].status, "4.4.7");
  EXPECT_EQ(report.original_message_id, "c42.abc@acme.example");
  EXPECT_TRUE(report.HasFailure());
  EXPECT_FALSE(c.MayAutoRespond());
  EXPECT_FALSE(c.CountsAsContact());
}

TEST(ClassifyMail, ReadReceiptsAndComplaints) {
  EXPECT_EQ(Classify("From: a@x.example\nContent-Type: multipart/report; "
                     "report-type=disposition-notification; boundary=b\n\n--b\n"
                     "Content-Type: message/disposition-notification\n\n"
                     "Disposition: manual-action/MDN-sent-manually; displayed\n--b--\n")
                .kind,
            MailKind::kReadReceipt);
  EXPECT_EQ(Classify("From: a@x.example\nContent-Type: multipart/report; "
                     "report-type=feedback-report; boundary=b\n\n--b\n"
                     "Content-Type: message/feedback-report\n\nFeedback-Type: abuse\n--b--\n")
                .kind,
            MailKind::kComplaint);
}

// The corpus's bounces, auto-replies, receipts and complaints (README, "Classification").
TEST(ClassifyMail, CorpusReportsAndAutoReplies) {
  std::map<std::string, std::string> messages;
  for (const auto& m : testing::LoadCorpus()) {
    if (m.index == 1) messages[m.file] = m.bytes;
  }
  auto classify = [&](const std::string& file) {
    EXPECT_TRUE(messages.contains(file)) << file;
    return Classify(messages[file]);
  };
  for (std::string file :
       {"sisimai/bsd/rfc3834-01.eml", "sisimai/bsd/rfc3834-02.eml", "sisimai/bsd/rfc3834-04.eml",
        "sisimai/bsd/rfc3834-05.eml", "sisimai/bsd/rfc3834-06.eml", "bounceparser/autoreply.msg",
        "bounceparser/aol-vacation.msg"}) {
    Classification c = classify(file);
    EXPECT_EQ(c.kind, MailKind::kAutoReply) << file << " " << MailKindName(c.kind);
    EXPECT_FALSE(c.weak) << file;
  }
  // Only the subject says so ("Auto reply: Nyaan").
  EXPECT_TRUE(classify("sisimai/bsd/rfc3834-03.eml").weak);
  EXPECT_EQ(classify("bounceparser/polish-autoreply.msg").kind, MailKind::kBulk);
  for (std::string file : {"bounceparser/non-autoreply.msg", "bounceparser/boxbe-cr.msg",
                           "sisimai/bsd/lhost-qmail-01.eml", "sisimai/bsd/lhost-exim-01.eml",
                           "sisimai/bsd/lhost-postfix-01.eml", "sisimai/bsd/lhost-gmail-01.eml",
                           "sisimai/bsd/lhost-sendmail-01.eml", "sisimai/bsd/rfc3464-04.eml",
                           "sisimai/dos/lhost-postfix-01.eml", "sisimai/mac/lhost-postfix-01.eml",
                           "flanker/bounce/mailbox-full.eml"}) {
    Classification c = classify(file);
    EXPECT_EQ(c.kind, MailKind::kBounce) << file << " " << MailKindName(c.kind);
    ASSERT_TRUE(c.delivery_report.has_value()) << file;
    EXPECT_FALSE(c.delivery_report->recipients.empty()) << file;
    for (const RecipientStatus& r : c.delivery_report->recipients) {
      EXPECT_NE(r.recipient.find('@'), std::string::npos) << file << " " << r.recipient;
    }
    EXPECT_TRUE(c.delivery_report->HasFailure()) << file;
  }
  // Its per-recipient fields are base64 inside the delivery-status part: still a bounce.
  EXPECT_EQ(classify("mimekit/messages/bounce.txt").kind, MailKind::kBounce);
  EXPECT_EQ(classify("sisimai/bsd/arf-01.eml").kind, MailKind::kComplaint);
  EXPECT_EQ(classify("flanker/complaints/aol.eml").kind, MailKind::kComplaint);
  EXPECT_EQ(classify("mimekit/messages/disposition-notification.txt").kind, MailKind::kReadReceipt);
  EXPECT_EQ(classify("flanker/disposition-notification.eml").kind, MailKind::kReadReceipt);
  EXPECT_EQ(classify("sisimai/not/is-not-bounce-01.eml").kind, MailKind::kPerson);
}

TEST(ClassifyMail, MailingListArchiveIsListMail) {
  int list_messages = 0;
  int total = 0;
  for (const auto& m : testing::LoadCorpus()) {
    if (m.file != "fedora-devel-list/2010-January.mbox") continue;
    ++total;
    Result<ParsedMessage> parsed = ParseMessage(m.bytes);
    ASSERT_TRUE(parsed.has_value());
    if (ClassifyMail(*parsed).kind == MailKind::kList) ++list_messages;
  }
  EXPECT_EQ(total, 292);
  EXPECT_EQ(list_messages, total);
}

}  // namespace
}  // namespace redress::email
