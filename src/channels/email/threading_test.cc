#include "channels/email/threading.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "channels/email/subject.h"
#include "channels/email/testing/mail_corpus.h"
#include "channels/email/testing/memory_thread_lookup.h"

namespace redress::email {
namespace {

using testing::MemoryThreadLookup;

class Threading : public ::testing::Test {
 protected:
  Threading()
      : signer_(*ThreadTokenSigner::Create(std::string(kThreadKeyBytes, 's'))),
        config_{&signer_, {"support@acme.example", "billing@acme.example"}} {}

  static ParsedMessage Parse(const std::string& raw) {
    Result<ParsedMessage> parsed = ParseMessage(raw);
    EXPECT_TRUE(parsed.has_value());
    return parsed ? *parsed : ParsedMessage{};
  }

  // Asha's first mail opens case 1; our acknowledgement goes out with all three tokens.
  void OpenAshasCase() {
    ThreadDecision first = store_.Ingest(
        Parse("From: Asha Rao <asha@example.com>\nTo: support@acme.example\n"
              "Subject: Refund for order 77\nMessage-ID: <asha-1@example.com>\n\nPlease refund.\n"),
        config_);
    ASSERT_EQ(first.rule, MatchRule::kNewCase);
    case_ = *first.case_id;
    our_id_ = signer_.MessageId(case_, "u1", "acme.example");
    store_.RecordOutbound(
        case_, Parse("From: support@acme.example\nTo: asha@example.com\nMessage-ID: <" + our_id_ +
                     ">\nSubject: Re: Refund for order 77 [Redress #1]\n\nOn it.\n"));
  }

  std::string Reply(const std::string& to, const std::string& thread_headers,
                    const std::string& subject = "Re: Refund for order 77 [Redress #1]",
                    const std::string& from = "Asha Rao <asha@example.com>") {
    static int n = 0;
    return "From: " + from + "\nTo: " + to + "\nSubject: " + subject + "\nMessage-ID: <reply-" +
           std::to_string(++n) + "@example.com>\n" + thread_headers + "\nThanks\n";
  }

  ThreadTokenSigner signer_;
  ThreadingConfig config_;
  MemoryThreadLookup store_;
  int64_t case_ = 0;
  std::string our_id_;
};

TEST_F(Threading, AnIntactReplyAttachesByToken) {
  OpenAshasCase();
  ThreadDecision d =
      store_.Ingest(Parse(Reply(signer_.ReplyAddress("support@acme.example", case_),
                                "In-Reply-To: <" + our_id_ +
                                    ">\nReferences: <asha-1@example.com> <" + our_id_ + ">\n")),
                    config_);
  EXPECT_EQ(d.case_id, case_);
  EXPECT_EQ(d.rule, MatchRule::kToken);
  EXPECT_TRUE(d.mismatches.empty());
}

// Seed story 001: an agent edits the token after the '+'. The reply still lands in its case
// through the Message-ID token, and the edit is reported.
TEST_F(Threading, TamperedPlusTokenStillLandsAndIsReported) {
  OpenAshasCase();
  std::string tampered = "support+c1-" + std::string(16, 'q') + "@acme.example";
  ThreadDecision d =
      store_.Ingest(Parse(Reply(tampered, "In-Reply-To: <" + our_id_ + ">\n")), config_);
  EXPECT_EQ(d.case_id, case_);
  EXPECT_EQ(d.rule, MatchRule::kToken);
  ASSERT_EQ(d.mismatches.size(), 1u);
  EXPECT_EQ(d.mismatches[0].kind, MismatchKind::kSignatureMismatch);
  EXPECT_EQ(d.mismatches[0].location, "to");
  EXPECT_EQ(d.mismatches[0].found, tampered);
  EXPECT_EQ(d.mismatches[0].claimed_case, case_);

  // Replaced by something else entirely (an Amazon-style id), and the client dropped
  // In-Reply-To: the participant's subject tag carries it.
  ThreadDecision replaced =
      store_.Ingest(Parse(Reply("support+A3SC11E84PLJUR@acme.example", "")), config_);
  EXPECT_EQ(replaced.case_id, case_);
  EXPECT_EQ(replaced.rule, MatchRule::kSubjectTag);
  ASSERT_FALSE(replaced.mismatches.empty());
  EXPECT_EQ(replaced.mismatches[0].kind, MismatchKind::kMalformed);

  // The plus part removed altogether: our own Message-ID still says which case, and the
  // removal is reported.
  ThreadDecision removed =
      store_.Ingest(Parse(Reply("support@acme.example", "In-Reply-To: <" + our_id_ + ">\n",
                                "Re: Refund for order 77")),
                    config_);
  EXPECT_EQ(removed.case_id, case_);
  ASSERT_EQ(removed.mismatches.size(), 1u);
  EXPECT_EQ(removed.mismatches[0].kind, MismatchKind::kRemoved);

  // The case id in the token changed to another case: not trusted, reported as a claim.
  std::string other = signer_.Token(case_ + 1);
  std::string moved = "support+c" + std::to_string(case_ + 1) + "-" +
                      signer_.Token(case_).substr(3) + "@acme.example";
  ThreadDecision redirected =
      store_.Ingest(Parse(Reply(moved, "In-Reply-To: <" + our_id_ + ">\n")), config_);
  EXPECT_EQ(redirected.case_id, case_);
  ASSERT_EQ(redirected.mismatches.size(), 1u);
  EXPECT_EQ(redirected.mismatches[0].claimed_case, case_ + 1);
}

TEST_F(Threading, ForgedTokenNeverAttachesAStrangersMail) {
  OpenAshasCase();
  ThreadTokenSigner other_key = *ThreadTokenSigner::Create(std::string(kThreadKeyBytes, 'x'));
  for (std::string token : {"c1-" + std::string(16, 'a'), other_key.Token(case_)}) {
    ThreadDecision d = store_.Ingest(
        Parse(Reply("support+" + token + "@acme.example",
                    "In-Reply-To: <rd." + token + ".zz@acme.example>\n",
                    "Refund for order 77 [Redress #1]", "Mallory <mallory@evil.example>")),
        config_);
    EXPECT_NE(d.case_id, case_) << token;
    // The first forgery opens Mallory's own case; the second joins it by sender+subject.
    EXPECT_NE(d.rule, MatchRule::kToken) << token;
    EXPECT_NE(d.rule, MatchRule::kSubjectTag) << token;
    std::set<MismatchKind> kinds;
    for (const TokenMismatch& m : d.mismatches) kinds.insert(m.kind);
    EXPECT_TRUE(kinds.contains(MismatchKind::kSignatureMismatch)) << token;
    EXPECT_TRUE(kinds.contains(MismatchKind::kUntrustedTag)) << token;
  }
}

TEST_F(Threading, ReplyWithAllThreadHeadersStripped) {
  OpenAshasCase();
  ThreadDecision d = store_.Ingest(
      Parse(Reply("support@acme.example", "", "RE: AW: Refund for order  77")), config_);
  EXPECT_EQ(d.case_id, case_);
  EXPECT_EQ(d.rule, MatchRule::kSenderSubject);
  ASSERT_EQ(d.mismatches.size(), 1u);
  EXPECT_EQ(d.mismatches[0].kind, MismatchKind::kRemoved);
  EXPECT_EQ(d.mismatches[0].location, "headers");

  // Once the case is closed, the same subject opens a new case.
  store_.Close(case_);
  ThreadDecision after_close =
      store_.Ingest(Parse(Reply("support@acme.example", "", "Re: Refund for order 77")), config_);
  EXPECT_EQ(after_close.rule, MatchRule::kNewCase);
}

TEST_F(Threading, SameMessageToTwoMailboxesMakesOneCase) {
  std::string message =
      "From: asha@example.com\nTo: support@acme.example\nCc: billing@acme.example\n"
      "Subject: Double charge\nMessage-ID: <twice@example.com>\n\nCharged twice.\n";
  ThreadDecision first =
      store_.Ingest(Parse("Delivered-To: support@acme.example\n" + message), config_);
  ThreadDecision second =
      store_.Ingest(Parse("Delivered-To: billing@acme.example\n" + message), config_);
  EXPECT_EQ(first.rule, MatchRule::kNewCase);
  EXPECT_EQ(second.rule, MatchRule::kSameMessage);
  EXPECT_EQ(second.case_id, first.case_id);
}

TEST_F(Threading, StrangerQuotingATicketNumberGetsTheirOwnCase) {
  OpenAshasCase();
  ThreadDecision stranger = store_.Ingest(
      Parse(Reply("support@acme.example", "", "Same problem as [Redress #1]", "bob@example.net")),
      config_);
  EXPECT_EQ(stranger.rule, MatchRule::kNewCase);
  EXPECT_NE(stranger.case_id, case_);
  ASSERT_EQ(stranger.mismatches.size(), 1u);
  EXPECT_EQ(stranger.mismatches[0].kind, MismatchKind::kUntrustedTag);
  EXPECT_EQ(stranger.mismatches[0].claimed_case, case_);

  // The participant quoting the same tag in a fresh mail is attached.
  ThreadDecision asha = store_.Ingest(
      Parse(Reply("support@acme.example", "", "Another question [Redress #1]")), config_);
  EXPECT_EQ(asha.case_id, case_);
  EXPECT_EQ(asha.rule, MatchRule::kSubjectTag);
}

TEST_F(Threading, ReferencesToAnyKnownMessage) {
  OpenAshasCase();
  // Asha's colleague replies to Asha's own first mail (no token of ours anywhere).
  ThreadDecision d =
      store_.Ingest(Parse(Reply("support@acme.example", "References: <asha-1@example.com>\n",
                                "Re: Refund for order 77", "carol@example.com")),
                    config_);
  EXPECT_EQ(d.case_id, case_);
  EXPECT_EQ(d.rule, MatchRule::kReferences);
  EXPECT_TRUE(d.mismatches.empty());
}

TEST(NormalizeSubject, StripsPrefixesTagsAndSpace) {
  EXPECT_EQ(NormalizeSubject("Re: AW: [fedora-devel] Build   fails (fwd)"), "build fails");
  EXPECT_EQ(NormalizeSubject("RE[2]: Fwd: Refund [Redress #12]"), "refund");
  EXPECT_EQ(NormalizeSubject("[only-a-tag]"), "[only-a-tag]");
  EXPECT_EQ(NormalizeSubject(""), "");
  EXPECT_EQ(NormalizeSubject("Reply needed"), "reply needed");
  EXPECT_TRUE(HasReplyPrefix("Re: x"));
  EXPECT_TRUE(HasReplyPrefix("SV: x"));
  EXPECT_FALSE(HasReplyPrefix("Refund"));
}

// threads.tsv: every message of a conversation ends up in one case, each duplicate
// delivery joins the case of the first copy, and edge cases (cycles, missing parents)
// neither hang nor drop a message. Messages are ingested per source (as the index was
// computed), in Date order.
TEST(ThreadingCorpus, ConversationsInThreadsTsvLandInOneCase) {
  ThreadTokenSigner signer = *ThreadTokenSigner::Create(std::string(kThreadKeyBytes, 'c'));
  ThreadingConfig config{&signer, {"support@acme.example"}};
  auto source_of = [](const std::string& file) {
    if (file.starts_with("notmuch/") || file.starts_with("imaptest/")) {
      return file.substr(0, file.rfind('/'));
    }
    return file.substr(0, file.find('/'));
  };
  struct Item {
    std::string name;
    ParsedMessage parsed;
  };
  std::map<std::string, std::vector<Item>> by_source;
  for (const auto& message : testing::LoadCorpus()) {
    Result<ParsedMessage> parsed = ParseMessage(message.bytes);
    if (!parsed) continue;
    std::string source =
        message.file.starts_with("imaptest/") ? message.file : source_of(message.file);
    by_source[source].push_back(Item{message.file + "#" + std::to_string(message.index), *parsed});
  }
  std::map<std::string, int64_t> case_of;  // "file#index" -> "source:case"
  std::map<std::string, std::string> source_of_name;
  for (auto& [source, items] : by_source) {
    // Arrival order: by Date (a strict order; messages without a Date keep file order).
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return a.parsed.date.value_or(Timestamp{}) < b.parsed.date.value_or(Timestamp{});
    });
    MemoryThreadLookup store;
    for (const Item& item : items) {
      ThreadDecision decision = store.Ingest(item.parsed, config);
      ASSERT_TRUE(decision.case_id.has_value());
      case_of[item.name] = *decision.case_id;
      source_of_name[item.name] = source;
    }
  }
  std::map<std::string, std::set<std::pair<std::string, int64_t>>> cases_of_thread;
  std::map<std::string, std::string> kind_of_thread;
  size_t rows = 0;
  for (auto& row : testing::LoadThreadsTsv()) {
    std::string name = row["file"] + "#" + row["msg_index"];
    ASSERT_TRUE(case_of.contains(name)) << name << " was dropped";
    kind_of_thread[row["thread"]] = row["kind"];
    cases_of_thread[row["thread"]].insert({source_of_name[name], case_of[name]});
    ++rows;
  }
  EXPECT_GT(rows, 350u);
  int conversations = 0;
  for (const auto& [thread, cases] : cases_of_thread) {
    const std::string& kind = kind_of_thread[thread];
    if (kind == "conversation" || kind == "same-message-id") {
      EXPECT_EQ(cases.size(), 1u) << thread << " (" << kind << ") spans " << cases.size()
                                  << " cases";
      conversations += kind == "conversation";
    }
  }
  EXPECT_GE(conversations, 45);
}

}  // namespace
}  // namespace redress::email
