// IMAP mailbox against a real Dovecot on loopback (tests/peers/dovecot_peer.h).
#include "channels/email/transport/imap_mailbox.h"

#include <gtest/gtest.h>

#include "channels/email/transport/dovecot_folder_fixture.h"
#include "peers/child_process.h"

namespace redress::email::transport {
namespace {

// Message n: CRLF, 8-bit UTF-8, and lines that look like IMAP protocol (a tagged reply, an
// untagged EXISTS) or an SMTP end-of-data, so that only exact literal handling passes.
std::string Message(int n) {
  std::string message =
      "From: Customer # <c#@example.test>\r\n"
      "To: support@redress.test\r\n"
      "Subject: =?UTF-8?Q?Bestellung_Nr=2E_#?=\r\n"
      "Message-ID: <m#@example.test>\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n"
      "Grüße, my parcel # is late.\r\n"
      "A005 OK a line that looks like an IMAP reply\r\n"
      "* 3 EXISTS\r\n"
      ".\r\n";
  for (size_t at; (at = message.find('#')) != std::string::npos;) {
    message.replace(at, 1, std::to_string(n));
  }
  return message;
}

class ImapMailboxTest : public DovecotFolderTest {
 protected:
  ImapMailboxConfig Config(MarkMode mark = MarkMode::kFlagSeen) const {
    ImapMailboxConfig config = PlainConfig();
    config.mark = mark;
    config.processed_folder = folder_ + "-done";
    return config;
  }

  ImapMailbox OpenMailbox(const ImapMailboxConfig& config) const {
    auto mailbox = ImapMailbox::Open(config);
    EXPECT_TRUE(mailbox) << mailbox.error().message;
    return std::move(*mailbox);
  }

  void Append(const std::string& message) const {
    auto appended = peer().Append(folder_, message);
    ASSERT_TRUE(appended) << appended.error().message;
  }
};

TEST_F(ImapMailboxTest, ListsFetchesExactBytesMarksAndThenSeesNothingNew) {
  for (int n = 1; n <= 3; ++n) Append(Message(n));
  ImapMailbox mailbox = OpenMailbox(Config());

  auto pending = mailbox.ListUnprocessed({});
  ASSERT_TRUE(pending) << pending.error().message;
  EXPECT_FALSE(pending->uidvalidity_changed);
  EXPECT_NE(pending->uidvalidity, 0u);
  ASSERT_EQ(pending->uids, (std::vector<uint32_t>{1, 2, 3}));

  ImapCursor cursor;
  for (uint32_t uid : pending->uids) {
    auto raw = mailbox.Fetch(pending->uidvalidity, uid);
    ASSERT_TRUE(raw) << raw.error().message;
    EXPECT_EQ(*raw, Message(static_cast<int>(uid)));
    // (the caller stores the message durably here)
    auto marked = mailbox.MarkProcessed(pending->uidvalidity, uid);
    ASSERT_TRUE(marked) << marked.error().message;
    cursor = {pending->uidvalidity, uid};
  }

  auto again = mailbox.ListUnprocessed(cursor);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->uids.empty());
  auto flags = peer().Command(folder_, "UID SEARCH SEEN");
  ASSERT_TRUE(flags) << flags.error().message;
  EXPECT_NE(flags->find("SEARCH 1 2 3"), std::string::npos) << *flags;
}

TEST_F(ImapMailboxTest, CursorSkipsProcessedMessagesAndFindsNewOnes) {
  for (int n = 1; n <= 2; ++n) Append(Message(n));
  ImapMailbox mailbox = OpenMailbox(Config());
  auto first = mailbox.ListUnprocessed({});
  ASSERT_TRUE(first) << first.error().message;
  ImapCursor cursor{first->uidvalidity, 2};
  Append(Message(3));

  auto pending = mailbox.ListUnprocessed(cursor);
  ASSERT_TRUE(pending) << pending.error().message;
  EXPECT_EQ(pending->uids, std::vector<uint32_t>{3});
  auto raw = mailbox.Fetch(pending->uidvalidity, 3);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(*raw, Message(3));
}

TEST_F(ImapMailboxTest, UnmarkedMessageIsListedAgainAfterARestart) {
  Append(Message(1));
  auto pending = OpenMailbox(Config()).ListUnprocessed({});
  ASSERT_TRUE(pending) << pending.error().message;
  ASSERT_TRUE(OpenMailbox(Config()).Fetch(pending->uidvalidity, 1));
  // Crash here: fetched but neither stored nor marked, cursor not advanced.
  auto after_restart = OpenMailbox(Config()).ListUnprocessed({});
  ASSERT_TRUE(after_restart) << after_restart.error().message;
  EXPECT_EQ(after_restart->uids, std::vector<uint32_t>{1});
}

TEST_F(ImapMailboxTest, MoveModeMovesIntoAProcessedFolderItCreates) {
  Append(Message(1));
  Append(Message(2));
  ImapMailbox mailbox = OpenMailbox(Config(MarkMode::kMoveToFolder));
  auto pending = mailbox.ListUnprocessed({});
  ASSERT_TRUE(pending) << pending.error().message;
  ASSERT_TRUE(mailbox.MarkProcessed(pending->uidvalidity, 1));
  // Marking twice (a crash before the cursor was saved) is harmless.
  auto twice = mailbox.MarkProcessed(pending->uidvalidity, 1);
  EXPECT_TRUE(twice) << twice.error().message;

  auto left = mailbox.ListUnprocessed({});
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(left->uids, std::vector<uint32_t>{2});
  auto moved = peer().Command("", "STATUS " + folder_ + "-done (MESSAGES)");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_NE(moved->find("MESSAGES 1"), std::string::npos) << *moved;
}

TEST_F(ImapMailboxTest, MarksAChunkOfMessagesWithOneCommand) {
  for (int n = 1; n <= 5; ++n) Append(Message(n));
  ImapMailbox mailbox = OpenMailbox(Config(MarkMode::kMoveToFolder));
  auto pending = mailbox.ListUnprocessed({});
  ASSERT_TRUE(pending) << pending.error().message;
  const std::vector<uint32_t> stored{1, 2, 4};  // 3 failed to store: it must stay
  auto marked = mailbox.MarkProcessed(pending->uidvalidity, stored);
  ASSERT_TRUE(marked) << marked.error().message;
  // Again, as after a crash before the cursor was saved: already moved is fine.
  auto twice = mailbox.MarkProcessed(pending->uidvalidity, stored);
  EXPECT_TRUE(twice) << twice.error().message;

  auto left = mailbox.ListUnprocessed({});
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(left->uids, (std::vector<uint32_t>{3, 5}));
  auto moved = peer().Command("", "STATUS " + folder_ + "-done (MESSAGES)");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_NE(moved->find("MESSAGES 3"), std::string::npos) << *moved;
}

TEST_F(ImapMailboxTest, UidValidityChangeListsEverythingAndRefusesOldUids) {
  Append(Message(1));
  ImapMailbox mailbox = OpenMailbox(Config());
  auto before = mailbox.ListUnprocessed({});
  ASSERT_TRUE(before) << before.error().message;
  ImapCursor cursor{before->uidvalidity, 1};

  // The folder is recreated (a restore, a migration): old UIDs mean nothing any more.
  ASSERT_TRUE(peer().Command("", "DELETE " + folder_));
  ASSERT_TRUE(peer().Command("", "CREATE " + folder_));
  Append(Message(7));
  Append(Message(8));

  auto after = mailbox.ListUnprocessed(cursor);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_TRUE(after->uidvalidity_changed);
  EXPECT_NE(after->uidvalidity, before->uidvalidity);
  EXPECT_EQ(after->uids, (std::vector<uint32_t>{1, 2}));
  auto stale = mailbox.Fetch(before->uidvalidity, 1);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict) << stale.error().message;
  auto fresh = mailbox.Fetch(after->uidvalidity, 1);
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(*fresh, Message(7));
}

TEST_F(ImapMailboxTest, WrongPasswordIsAClearUnauthenticatedError) {
  ImapMailboxConfig config = Config();
  config.endpoint.password = "not-the-Password";
  auto pending = OpenMailbox(config).ListUnprocessed({});
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().code, ErrorCode::kUnauthenticated) << pending.error().message;
  EXPECT_NE(pending.error().message.find("'" + peer().user() + "'"), std::string::npos);
  EXPECT_EQ(pending.error().message.find("not-the-Password"), std::string::npos);
}

TEST_F(ImapMailboxTest, ServerDownIsATemporaryError) {
  auto port = test_peers::PickFreeLoopbackPort();
  ASSERT_TRUE(port);
  ImapMailboxConfig config = Config();
  config.endpoint.port = *port;
  auto pending = OpenMailbox(config).ListUnprocessed({});
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().code, ErrorCode::kUnavailable) << pending.error().message;
}

TEST_F(ImapMailboxTest, MissingFolderAndMissingUidAreNotFound) {
  ImapMailboxConfig config = Config();
  config.folder = folder_ + "-missing";
  auto pending = OpenMailbox(config).ListUnprocessed({});
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().code, ErrorCode::kNotFound) << pending.error().message;

  Append(Message(1));
  ImapMailbox mailbox = OpenMailbox(Config());
  auto listed = mailbox.ListUnprocessed({});
  ASSERT_TRUE(listed) << listed.error().message;
  auto gone = mailbox.Fetch(listed->uidvalidity, 99);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound) << gone.error().message;
}

TEST_F(ImapMailboxTest, StartTlsAndImplicitTlsVerifyTheServerCertificate) {
  Append(Message(1));
  const ImapMailboxConfig starttls = TlsConfig(TlsMode::kStartTlsRequired);
  const ImapMailboxConfig implicit = TlsConfig(TlsMode::kImplicit);
  for (const ImapMailboxConfig& config : {starttls, implicit}) {
    ImapMailbox mailbox = OpenMailbox(config);
    auto pending = mailbox.ListUnprocessed({});
    ASSERT_TRUE(pending) << TlsModeName(config.endpoint.tls) << ": " << pending.error().message;
    auto raw = mailbox.Fetch(pending->uidvalidity, 1);
    ASSERT_TRUE(raw) << raw.error().message;
    EXPECT_EQ(*raw, Message(1));
  }
  ImapMailboxConfig untrusted = implicit;
  untrusted.endpoint.ca_file = "/etc/ssl/certs/ca-certificates.crt";
  auto refused = OpenMailbox(untrusted).ListUnprocessed({});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().message;
}

TEST_F(ImapMailboxTest, LargeMessageArrivesByteForByte) {
  std::string big = Message(1);
  for (int i = 0; i < 20000; ++i) big += "Zeile " + std::to_string(i) + ": äöü ß € 😀 ........\r\n";
  Append(big);
  ImapMailbox mailbox = OpenMailbox(Config());
  auto pending = mailbox.ListUnprocessed({});
  ASSERT_TRUE(pending) << pending.error().message;
  auto raw = mailbox.Fetch(pending->uidvalidity, 1);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(raw->size(), big.size());
  EXPECT_TRUE(*raw == big);
}

TEST(ImapMailboxConfigTest, BadConfigurationIsRefusedBeforeAnyNetwork) {
  ImapMailboxConfig config;
  config.endpoint.host = "imap.example.test";
  config.endpoint.port = 993;
  config.folder = "Posteingang/Ärger";
  EXPECT_EQ(ImapMailbox::Open(config).error().field, "folder");
  config.folder = "INBOX";
  config.mark = MarkMode::kMoveToFolder;
  EXPECT_EQ(ImapMailbox::Open(config).error().field, "processed_folder");
  config.processed_folder = "INBOX";
  EXPECT_EQ(ImapMailbox::Open(config).error().field, "processed_folder");
  config.processed_folder = "Redress/Done";
  EXPECT_TRUE(ImapMailbox::Open(config));
  config.endpoint.port = 0;
  EXPECT_EQ(ImapMailbox::Open(config).error().field, "endpoint");
}

}  // namespace
}  // namespace redress::email::transport
