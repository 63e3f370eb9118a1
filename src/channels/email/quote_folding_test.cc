#include "channels/email/quote_folding.h"

#include <gtest/gtest.h>

#include <string>

#include "channels/email/mime_message.h"
#include "channels/email/testing/mail_corpus.h"

namespace redress::email {
namespace {

std::string Join(const std::vector<TextSegment>& segments) {
  std::string out;
  for (const TextSegment& s : segments) out += s.text;
  return out;
}

void ExpectLossless(std::string_view text) {
  EXPECT_EQ(Join(FoldQuotes(text)), text);
  ReplySplit split = SplitReply(text);
  EXPECT_EQ(std::string(split.new_part) + std::string(split.quoted), text);
}

TEST(FoldQuotes, GmailStyleAttributionAndQuote) {
  std::string text =
      "Thanks, that fixed it.\n\n"
      "On Tue, 1 Dec 2026 at 10:00, Acme Support <support@acme.example> wrote:\n"
      "\n"
      "> Please restart the router.\n"
      ">\n"
      "> Regards\n";
  ReplySplit split = SplitReply(text);
  EXPECT_EQ(split.new_part, "Thanks, that fixed it.\n\n");
  EXPECT_EQ(split.quoted.substr(0, 8), "On Tue, ");
  ExpectLossless(text);
}

TEST(FoldQuotes, WrappedAttributionLine) {
  std::string text =
      "Yes.\n"
      "On Tue, Dec 1, 2026 at 10:00 AM Acme Support <\n"
      "support@acme.example> wrote:\n"
      "> Is it working?\n";
  EXPECT_EQ(SplitReply(text).new_part, "Yes.\n");
  ExpectLossless(text);
}

TEST(FoldQuotes, InlineAnswersAlternate) {
  std::string text =
      "> Which model?\n"
      "XR-200\n"
      "> Since when?\n"
      "> (roughly)\n"
      "Monday\n";
  std::vector<TextSegment> segments = FoldQuotes(text);
  ASSERT_EQ(segments.size(), 4u);
  EXPECT_TRUE(segments[0].quoted);
  EXPECT_EQ(segments[1].text, "XR-200\n");
  EXPECT_FALSE(segments[1].quoted);
  EXPECT_EQ(segments[2].text, "> Since when?\n> (roughly)\n");
  EXPECT_EQ(segments[3].text, "Monday\n");
  ExpectLossless(text);
}

TEST(FoldQuotes, OutlookOriginalMessageAndHeaderBlock) {
  std::string original =
      "Please see below.\r\n\r\n"
      "-----Original Message-----\r\n"
      "From: Acme Support\r\nSent: Tuesday, December 1, 2026 10:00 AM\r\n"
      "To: Asha\r\nSubject: RE: Refund\r\n\r\nUnquoted history\r\n";
  EXPECT_EQ(SplitReply(original).new_part, "Please see below.\r\n\r\n");
  ExpectLossless(original);

  std::string header_block =
      "Ok\n\n________________________________\n"
      "From: Acme Support <support@acme.example>\n"
      "Sent: Tuesday, 1 December 2026 10:00\n"
      "To: Asha Rao\n"
      "Subject: Refund\n\nold text\n";
  EXPECT_EQ(SplitReply(header_block).new_part, "Ok\n\n________________________________\n");
  ExpectLossless(header_block);

  std::string german =
      "Danke\n\nAm 01.12.2026 um 10:00 schrieb Acme Support <support@acme.example>:\n"
      "> Hallo\n";
  EXPECT_EQ(SplitReply(german).new_part, "Danke\n\n");
  ExpectLossless(german);
}

TEST(FoldQuotes, PlainTextIsAllNew) {
  std::string text = "On the other hand, nobody wrote anything.\nJust text.\n";
  std::vector<TextSegment> segments = FoldQuotes(text);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_FALSE(segments[0].quoted);
  EXPECT_TRUE(FoldQuotes("").empty());
  ReplySplit split = SplitReply(text);
  EXPECT_EQ(split.new_part, text);
  EXPECT_TRUE(split.quoted.empty());
}

TEST(FoldQuotes, NoLineEndingAtTheEnd) {
  ExpectLossless("new\n> quoted without newline");
  EXPECT_EQ(FoldQuotes("new\n> quoted without newline").back().text, "> quoted without newline");
}

// Real replies from Gmail, Outlook, Apple Mail and phones (mailgun/talon fixtures): the
// folding is lossless and finds history in each reply.
TEST(FoldQuotes, RealRepliesFromTheCorpus) {
  int replies_with_history = 0;
  int talon_messages = 0;
  for (const testing::CorpusMessage& message : testing::LoadCorpus()) {
    Result<ParsedMessage> parsed = ParseMessage(message.bytes);
    if (!parsed) continue;
    ExpectLossless(parsed->text_body);
    if (message.file.starts_with("talon/")) {
      ++talon_messages;
      if (SplitReply(parsed->text_body).quoted.size() > 0) ++replies_with_history;
    }
  }
  EXPECT_GE(talon_messages, 8);
  EXPECT_GE(replies_with_history, talon_messages / 2);
}

}  // namespace
}  // namespace redress::email
