// Every message of the real-world corpus (../shared/corpus/email) through ParseMessage,
// with properties that must hold for all of them, and the thread headers checked against
// the independent index in threads.tsv.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <string>

#include "channels/email/mime_message.h"
#include "channels/email/testing/mail_corpus.h"
#include "core/utf8.h"

namespace redress::email {
namespace {

using testing::CorpusMessage;

std::string Hex(const unsigned char* data, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 15]);
  }
  return out;
}

std::string Sha256(const std::string& bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return Hex(digest, sizeof(digest));
}

// Every string of a parsed message, for the UTF-8 check.
void CollectText(const ParsedMessage& m, std::vector<const std::string*>& out) {
  for (const auto* list : {&m.from, &m.to, &m.cc, &m.reply_to, &m.delivered_to}) {
    for (const Mailbox& mb : *list) {
      out.push_back(&mb.name);
      out.push_back(&mb.address);
    }
  }
  for (const std::string* s :
       {&m.subject, &m.message_id, &m.content_type, &m.report_type, &m.text_body, &m.html_body}) {
    out.push_back(s);
  }
  for (const auto& id : m.in_reply_to) out.push_back(&id);
  for (const auto& id : m.references) out.push_back(&id);
  for (const Header& h : m.headers) {
    out.push_back(&h.name);
    out.push_back(&h.value);
  }
  for (const Attachment& a : m.attachments) {
    out.push_back(&a.filename);
    out.push_back(&a.content_type);
    out.push_back(&a.content_id);
  }
  for (const ReportPart& r : m.report_parts) out.push_back(&r.text);
  for (const std::string& w : m.warnings) out.push_back(&w);
  for (const ParsedMessage& n : m.nested) CollectText(n, out);
}

void CheckAttachmentHashes(const ParsedMessage& m, const std::string& where) {
  for (const Attachment& a : m.attachments) {
    EXPECT_EQ(a.sha256_hex, Sha256(a.bytes)) << where << " " << a.filename;
  }
  for (const ParsedMessage& n : m.nested) CheckAttachmentHashes(n, where + " (nested)");
}

class MailCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(sodium_init() >= 0, true);
    messages_ = new std::vector<CorpusMessage>(testing::LoadCorpus());
  }
  static void TearDownTestSuite() { delete messages_; }
  static std::vector<CorpusMessage>* messages_;
};
std::vector<CorpusMessage>* MailCorpus::messages_ = nullptr;

std::string Name(const CorpusMessage& m) { return m.file + "#" + std::to_string(m.index); }

TEST_F(MailCorpus, EveryMessageParsesIntoValidUtf8WithHonestHashes) {
  // About 735 messages according to the corpus README.
  ASSERT_GT(messages_->size(), 700u);
  // Text without a single header field (prose, a digest preamble saved on its own): not a
  // message, so the mailgate rejects it (EX_DATAERR) rather than invent a sender.
  const std::set<std::string> not_messages = {"enmime/mail/erroneous.raw#1", "cpython/msg_19.txt#1",
                                              "horde-mime/flowed_msg.txt#1",
                                              "mime4j/testmsgs/malformedHeader-noheader.msg#1"};
  size_t parsed_count = 0;
  std::pair<double, std::string> slowest{0.0, ""};
  for (const CorpusMessage& message : *messages_) {
    // CPU time, not wall time: the limit is about the parser, not about a busy machine.
    std::clock_t start = std::clock();
    Result<ParsedMessage> parsed = ParseMessage(message.bytes);
    double cpu_seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    EXPECT_LT(cpu_seconds, 2.0) << Name(message);
    slowest = std::max(slowest, std::make_pair(cpu_seconds, Name(message)));
    if (not_messages.contains(Name(message))) {
      EXPECT_FALSE(parsed.has_value()) << Name(message) << " is not a message";
      continue;
    }
    if (!parsed.has_value()) {
      ADD_FAILURE() << Name(message) << ": " << parsed.error().message;
      continue;
    }
    ++parsed_count;
    EXPECT_TRUE(!parsed->from.empty() || !parsed->warnings.empty()) << Name(message);
    EXPECT_TRUE(!parsed->headers.empty() || !parsed->warnings.empty()) << Name(message);
    std::vector<const std::string*> texts;
    CollectText(*parsed, texts);
    for (const std::string* text : texts) {
      EXPECT_TRUE(ValidUtf8(*text)) << Name(message) << ": " << *text;
    }
    CheckAttachmentHashes(*parsed, Name(message));
  }
  EXPECT_EQ(parsed_count, messages_->size() - not_messages.size());
  std::printf("slowest parse: %s, %.3f s of CPU\n", slowest.second.c_str(), slowest.first);
}

// threads.tsv was derived with another parser (Python's email package): our Message-ID,
// In-Reply-To and References must agree with it for every row.
TEST_F(MailCorpus, ThreadHeadersAgreeWithTheIndependentIndex) {
  std::map<std::string, const CorpusMessage*> by_name;
  for (const CorpusMessage& m : *messages_) by_name[Name(m)] = &m;
  auto rows = testing::LoadThreadsTsv();
  ASSERT_GT(rows.size(), 300u);
  auto strip = [](std::string id) {
    if (!id.empty() && id.front() == '<') id.erase(0, 1);
    if (!id.empty() && id.back() == '>') id.pop_back();
    return id;
  };
  for (auto& row : rows) {
    std::string name = row["file"] + "#" + row["msg_index"];
    ASSERT_TRUE(by_name.contains(name)) << name;
    Result<ParsedMessage> parsed = ParseMessage(by_name[name]->bytes);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(parsed->message_id, strip(row["message_id"])) << name;
    if (!row["in_reply_to"].empty()) {
      ASSERT_FALSE(parsed->in_reply_to.empty()) << name;
      EXPECT_EQ(parsed->in_reply_to.front(), strip(row["in_reply_to"])) << name;
    }
    if (!row["references"].empty()) {
      ASSERT_FALSE(parsed->references.empty()) << name;
      EXPECT_EQ(parsed->references.back(),
                strip(row["references"].substr(row["references"].rfind('<'))))
          << name;
    }
  }
}

}  // namespace
}  // namespace redress::email
