// MailIntake against a real SQLite store: a new email opens a case, a reply with our token
// lands in it, an edited token still lands there and is recorded, the same bytes twice are
// one message, machine mail does not count as contact, and refused input is still stored.
#include "app/mail_intake.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace redress::app {
namespace {

using store::testutil::T;

class MailIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("mail.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    cases_.emplace(*store_);
    auto signer = email::ThreadTokenSigner::Create(std::string(32, 'k'));
    ASSERT_TRUE(signer);
    signer_.emplace(*signer);
    MailIntakeOptions options;
    options.own_addresses = {"support@acme.example"};
    options.max_message_bytes = 64 * 1024;
    options.max_attachment_bytes = 1024;
    intake_.emplace(*cases_, *signer_, options);
  }

  IntakeResult Ingest(const std::string& raw, int at = 1) {
    auto result = intake_->IngestNow(*store_, raw, MailSource{}, T(at));
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : IntakeResult{};
  }

  std::vector<domain::Event> Events(int64_t case_id) {
    auto events = store_->LoadEvents(case_id);
    EXPECT_TRUE(events);
    return events ? *events : std::vector<domain::Event>{};
  }

  store::testutil::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::optional<CaseService> cases_;
  std::optional<email::ThreadTokenSigner> signer_;
  std::optional<MailIntake> intake_;
};

std::string Mail(const std::string& headers, const std::string& body = "Hello, my refund is late.") {
  return "From: Asha Rao <asha@example.com>\r\nTo: support@acme.example\r\n" + headers +
         "\r\n" + body + "\r\n";
}

TEST_F(MailIntakeTest, NewMailOpensACaseAndCreatesTheCustomer) {
  IntakeResult r = Ingest(Mail("Subject: Refund late\r\nMessage-ID: <m1@example.com>\r\n"));
  EXPECT_EQ(r.outcome, IntakeOutcome::kOpened);
  ASSERT_TRUE(r.case_id);
  auto c = store_->GetCase(*r.case_id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->subject, "Refund late");
  EXPECT_EQ(c->channel, domain::Channel::kEmail);
  auto customer = store_->FindCustomerByIdentity(domain::IdentityKind::kEmail, "asha@example.com");
  ASSERT_TRUE(customer && *customer);
  EXPECT_EQ((*customer)->name, "Asha Rao");
  EXPECT_EQ(c->customer_id, (*customer)->id);
}

TEST_F(MailIntakeTest, ReplyWithOurTokenLandsInTheCase) {
  IntakeResult first = Ingest(Mail("Subject: Refund late\r\nMessage-ID: <m1@example.com>\r\n"));
  std::string reply_to = signer_->ReplyAddress("support@acme.example", *first.case_id);
  IntakeResult reply = Ingest("From: asha@example.com\r\nTo: " + reply_to +
                              "\r\nSubject: something else entirely\r\nMessage-ID: <m2@example.com>"
                              "\r\n\r\nStill waiting.\r\n");
  EXPECT_EQ(reply.outcome, IntakeOutcome::kAppended);
  EXPECT_EQ(reply.case_id, first.case_id);
  EXPECT_EQ(reply.match_rule, "token");
  auto events = Events(*first.case_id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].type, domain::EventType::kMessageReceived);
  EXPECT_EQ(events[1].channel, domain::Channel::kEmail);
  EXPECT_EQ(events[1].data.at("body").as_string(), "Still waiting.\n");
}

TEST_F(MailIntakeTest, AlteredTokenStillFindsTheCaseAndIsRecorded) {
  IntakeResult first = Ingest(Mail("Subject: Refund late\r\nMessage-ID: <m1@example.com>\r\n"));
  std::string token = signer_->Token(*first.case_id);
  token.back() = token.back() == 'a' ? 'b' : 'a';  // an agent "fixed" the address
  IntakeResult reply = Ingest("From: asha@example.com\r\nTo: support+" + token +
                              "@acme.example\r\nSubject: Re: Refund late\r\n"
                              "Message-ID: <m2@example.com>\r\n\r\nAny news?\r\n");
  EXPECT_EQ(reply.case_id, first.case_id);
  ASSERT_EQ(reply.mismatches.size(), 1u);
  EXPECT_EQ(reply.mismatches[0], "signature_mismatch");
  auto events = Events(*first.case_id);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].type, domain::EventType::kThreadTokenMismatch);
  EXPECT_EQ(events[2].visibility, domain::Visibility::kInternal);
}

TEST_F(MailIntakeTest, ForgedTokenNeverAttachesToAStrangersCase) {
  IntakeResult first = Ingest(Mail("Subject: Refund late\r\nMessage-ID: <m1@example.com>\r\n"));
  std::string forged = "c" + std::to_string(*first.case_id) + "-aaaaaaaaaaaaaaaa";
  IntakeResult stranger = Ingest("From: mallory@evil.example\r\nTo: support+" + forged +
                                 "@acme.example\r\nSubject: hello\r\nMessage-ID: <x@evil>\r\n\r\nhi\r\n");
  ASSERT_TRUE(stranger.case_id);
  EXPECT_NE(stranger.case_id, first.case_id);
  EXPECT_EQ(stranger.outcome, IntakeOutcome::kOpened);
  EXPECT_EQ(Events(*first.case_id).size(), 1u);
}

TEST_F(MailIntakeTest, SameBytesTwiceAreOneMessage) {
  std::string raw = Mail("Subject: Refund late\r\nMessage-ID: <m1@example.com>\r\n");
  IntakeResult first = Ingest(raw);
  IntakeResult again = Ingest(raw, 2);
  EXPECT_EQ(again.outcome, IntakeOutcome::kDuplicate);
  EXPECT_EQ(again.case_id, first.case_id);
  EXPECT_EQ(Events(*first.case_id).size(), 1u);
  // The same Message-ID through a second mailbox (other bytes) is one case, one event.
  IntakeResult copy = Ingest("Delivered-To: sales@acme.example\r\n" + raw, 3);
  EXPECT_EQ(copy.outcome, IntakeOutcome::kDuplicate);
  EXPECT_EQ(copy.case_id, first.case_id);
  EXPECT_EQ(Events(*first.case_id).size(), 1u);
}

TEST_F(MailIntakeTest, AutoRepliesDoNotCountAsContact) {
  IntakeResult first = Ingest(Mail("Subject: Refund late\r\nMessage-ID: <m1@example.com>\r\n"));
  int64_t before = store_->GetCase(*first.case_id)->commitments.contacts_at_level;
  IntakeResult vacation = Ingest(Mail("Subject: Re: Refund late\r\nAuto-Submitted: auto-replied\r\n"
                                      "In-Reply-To: <m1@example.com>\r\nMessage-ID: <ooo@example.com>\r\n",
                                      "I am away."));
  EXPECT_EQ(vacation.case_id, first.case_id);
  EXPECT_EQ(vacation.mail_kind, "auto_reply");
  auto events = Events(*first.case_id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[1].data.at("counts_as_contact").as_bool());
  EXPECT_EQ(store_->GetCase(*first.case_id)->commitments.contacts_at_level, before);
}

TEST_F(MailIntakeTest, RefusedInputIsStoredAsReceived) {
  IntakeResult junk = Ingest("\x01\x02 not a message at all");
  EXPECT_EQ(junk.outcome, IntakeOutcome::kNotAMessage);
  std::string big = std::string(70 * 1024, '\x01');  // over the limit, and no message either
  IntakeResult large = Ingest(big);
  EXPECT_EQ(large.outcome, IntakeOutcome::kTooLarge);
  EXPECT_NE(large.detail.find("max_message_bytes"), std::string::npos);
  auto read = store_->Write([&](store::WriteTx& tx) -> Result<void> {
    auto blob = tx.mail().GetBlob(large.raw_sha256);
    if (!blob) return Fail(blob.error());
    EXPECT_TRUE(*blob && **blob == big);
    return {};
  });
  EXPECT_TRUE(read);
}

// A video over [mail] max_message_bytes (64 KiB here): the text that comes before it still
// reaches the case, the attachment is listed as not stored, and the original is kept whole.
TEST_F(MailIntakeTest, OverTheMessageLimitTheTextStillReachesTheCase) {
  std::string big = Mail("Subject: Broken TV\r\nMessage-ID: <tv@example.com>\r\n"
                         "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n",
                         "--b\r\nContent-Type: text/plain\r\n\r\nThe screen arrived cracked.\r\n"
                         "--b\r\nContent-Type: video/mp4\r\nContent-Disposition: attachment; "
                         "filename=\"tv.mp4\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                             std::string(100 * 1024, 'A') + "\r\n--b--");
  IntakeResult r = Ingest(big);
  ASSERT_EQ(r.outcome, IntakeOutcome::kOpened) << r.detail;
  EXPECT_NE(r.detail.find("max_message_bytes"), std::string::npos);
  auto events = Events(*r.case_id);
  ASSERT_EQ(events.size(), 1u);
  const auto& data = events[0].data;
  EXPECT_NE(data.at("body").as_string().find("The screen arrived cracked."), std::string::npos);
  EXPECT_EQ(data.at("truncated").at("size").as_int64(), static_cast<int64_t>(big.size()));
  const auto& attachment = data.at("attachments").as_array().at(0);
  EXPECT_EQ(attachment.at("filename").as_string(), "tv.mp4");
  EXPECT_FALSE(attachment.at("stored").as_bool());
  auto read = store_->Write([&](store::WriteTx& tx) -> Result<void> {
    auto blob = tx.mail().GetBlob(r.raw_sha256);
    if (!blob) return Fail(blob.error());
    EXPECT_TRUE(*blob && **blob == big);
    return {};
  });
  EXPECT_TRUE(read);
}

TEST_F(MailIntakeTest, AnAttachmentOverItsLimitIsListedButNotStored) {
  IntakeResult r = Ingest(Mail("Subject: Photo\r\nMIME-Version: 1.0\r\n"
                               "Content-Type: multipart/mixed; boundary=b\r\n",
                               "--b\r\nContent-Type: text/plain\r\n\r\nSee the photo.\r\n"
                               "--b\r\nContent-Type: image/jpeg; name=big.jpg\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n" +
                                   std::string(4096, 'A') + "\r\n--b--"));
  ASSERT_EQ(r.outcome, IntakeOutcome::kOpened);
  auto events = Events(*r.case_id);
  const auto& attachment = events[0].data.at("attachments").as_array().at(0);
  EXPECT_EQ(attachment.at("filename").as_string(), "big.jpg");
  EXPECT_EQ(attachment.at("size").as_int64(), 3072);
  EXPECT_FALSE(attachment.at("stored").as_bool());
  EXPECT_NE(attachment.at("note").as_string().find("max_attachment_bytes"), std::string::npos);
  EXPECT_EQ(events[0].data.at("body").as_string(), "See the photo.");
}

}  // namespace
}  // namespace redress::app
