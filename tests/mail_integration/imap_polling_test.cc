// `redress serve` polling IMAP mailboxes on a real Dovecot (tests/peers): messages APPENDed
// to the folders become cases; a restart neither loses nor duplicates a message; one mail
// that reached two of our mailboxes makes one case; \Seen and move modes mark only what is
// stored; with IMAP IDLE, new mail is filed within seconds although the next poll is an hour
// away, also after the IMAP server restarted; a server without IDLE leaves the mailbox to
// polling; shutting down does not wait for a watcher stuck on a silent server. Waiting for
// the poller is a bounded loop on observable state, not a sleep.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "mail_integration/configured_server.h"
#include "peers/peer_fixtures.h"
#include "support/http_client.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

using test_peers::DovecotPeerTest;

void WriteFile(const std::filesystem::path& path, const std::string& content) {
  WriteTestFile(path, content);
}

std::string Mail(int n, const std::string& extra_headers = "", const std::string& reply_to_id = "") {
  std::string id = "poll-" + std::to_string(n) + "@shop.test";
  std::string m = extra_headers + "From: Customer " + std::to_string(n) + " <c" + std::to_string(n) +
                  "@example.test>\r\nTo: support@acme.test\r\nSubject: Order " +
                  std::to_string(1000 + n) + " never arrived\r\nMessage-ID: <" + id + ">\r\n";
  if (!reply_to_id.empty()) {
    m = "From: Customer 1 <c1@example.test>\r\nTo: support@acme.test\r\nSubject: Re: Order 1001 "
        "never arrived\r\nMessage-ID: <" + id + ">\r\nIn-Reply-To: <" + reply_to_id + ">\r\n";
  }
  return m + "Date: Wed, 02 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\n" +
         "Message number " + std::to_string(n) + ".\r\n";
}

class ImapPollingTest : public DovecotPeerTest {
 protected:
  /// The polling keys of both mailboxes.
  virtual std::string PollSettings() const { return "poll_seconds = 1\n"; }

  void SetUp() override {
    DovecotPeerTest::SetUp();
    // Folders of their own per test: tests run in one process share the Dovecot.
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    support_ = test + "-Support";
    sales_ = test + "-Sales";
    for (const std::string& folder : {support_, sales_}) {
      auto created = peer().Command("", "CREATE " + folder);
      ASSERT_TRUE(created) << created.error().message;
    }
    const auto dir = server_.dir();
    WriteFile(dir / "thread.key", std::string(64, 'b'));
    WriteFile(dir / "imap.password", peer().password() + "\n");
    WriteConfig(peer().imap_port());
    UseConfigFile(dir, dir / "redress.toml");
    ASSERT_TRUE(server_.Start());
  }

  /// redress.toml with both mailboxes on the Dovecot, the support mailbox on `support_port`
  /// of 127.0.0.1 (the Dovecot's, or another server's).
  void WriteConfig(uint16_t support_port) {
    const auto dir = server_.dir();
    auto box = [&](const std::string& name, uint16_t port, const std::string& folder,
                   const std::string& moved) {
      return "[[mail.mailboxes]]\nname = \"" + name +
             "\"\nurl = \"imap://127.0.0.1:" + std::to_string(port) +
             "\"\ntls = \"none\"\nusername = \"" + peer().user() + "\"\npassword_file = \"" +
             (dir / "imap.password").string() + "\"\nfolder = \"" + folder +
             "\"\nprocessed_folder = \"" + moved + "\"\ncategory = \"" + name + "\"\n" +
             PollSettings() + "\n";
    };
    WriteFile(dir / "redress.toml",
              "[mail]\naddresses = [\"support@acme.test\", \"sales@acme.test\"]\n"
              "thread_key_file = \"" +
                  (dir / "thread.key").string() + "\"\n\n" +
                  box("support", support_port, support_, "") +
                  box("sales", peer().imap_port(), sales_, sales_ + "-done"));
  }

  /// How many log lines of the server say `message` about mailbox `mailbox`.
  int LogLines(const std::string& message, const std::string& mailbox) {
    std::istringstream log(server_.FullLog());
    int count = 0;
    for (std::string line; std::getline(log, line);) {
      if (line.find(message) != std::string::npos &&
          line.find("\"mailbox\":\"" + mailbox + "\"") != std::string::npos) {
        ++count;
      }
    }
    return count;
  }

  // One number from the server's database (the sqlite3 shell; WAL lets it read while the
  // server writes).
  int64_t Query(const std::string& sql) {
    ProcessResult r = RunProcess({"sqlite3", server_.db_path(), sql});
    EXPECT_TRUE(r.Ok()) << r.Describe();
    try {
      return std::stoll(r.out);
    } catch (...) {
      return -1;
    }
  }
  int64_t EmailEvents() {
    return Query(
        "SELECT count(*) FROM events WHERE type IN ('case_opened','message_received') AND "
        "channel = 'email'");
  }
  int64_t Cases() { return Query("SELECT count(*) FROM cases"); }
  int64_t LastUid(const std::string& mailbox) {
    return Query("SELECT coalesce((SELECT last_uid FROM mail_mailboxes WHERE name = '" + mailbox +
                 "'), 0)");
  }

  // Waits (bounded) until `done` holds; false if it never did.
  template <class F>
  bool Eventually(F done, std::chrono::seconds limit = std::chrono::seconds(30)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
  }

  void Append(const std::string& folder, const std::string& raw) {
    auto appended = peer().Append(folder, raw);
    ASSERT_TRUE(appended) << appended.error().message;
  }

  TestServer server_;
  std::string support_;
  std::string sales_;
};

TEST_F(ImapPollingTest, FiveThenRestartThenTwoMoreAreSevenMessagesNoneTwice) {
  Append(support_, Mail(1));
  Append(support_, Mail(2, "", "poll-1@shop.test"));  // a reply: threads into case 1
  for (int n = 3; n <= 5; ++n) Append(support_, Mail(n));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 5; })) << server_.LogTail();
  EXPECT_EQ(EmailEvents(), 5);
  EXPECT_EQ(Cases(), 4) << "the reply must join its case";
  EXPECT_EQ(Query("SELECT count(*) FROM mail_messages WHERE source = 'imap:support'"), 5);
  // Flag mode: every stored message is \Seen and still in the folder.
  auto flags = peer().Command(support_, "UID FETCH 1:* (FLAGS)");
  ASSERT_TRUE(flags) << flags.error().message;
  size_t seen = 0;
  for (size_t at = 0; (at = flags->find("\\Seen", at)) != std::string::npos; ++at) ++seen;
  EXPECT_EQ(seen, 5u) << *flags;

  ASSERT_TRUE(server_.Restart()) << server_.LogTail();
  Append(support_, Mail(6));
  Append(support_, Mail(7));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 7; })) << server_.LogTail();
  EXPECT_EQ(EmailEvents(), 7) << "a message was lost or filed twice";
  EXPECT_EQ(Cases(), 6);
  EXPECT_EQ(Query("SELECT count(DISTINCT raw_sha256) FROM mail_messages"), 7);
  // Cases of the mailbox carry its queue.
  EXPECT_EQ(Query("SELECT count(*) FROM cases WHERE category = 'support'"), 6);
}

TEST_F(ImapPollingTest, OneMailToTwoMailboxesIsOneCaseAndMoveModeEmptiesTheFolder) {
  // The same mail as each mailbox received it: the MTA added its own Delivered-To.
  Append(support_, Mail(20, "Delivered-To: support@acme.test\r\n"));
  Append(sales_, Mail(20, "Delivered-To: sales@acme.test\r\n"));
  Append(sales_, Mail(21));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 1 && LastUid("sales") == 2; }))
      << server_.LogTail();
  EXPECT_EQ(Cases(), 2) << "one mail to two mailboxes must make one case";
  EXPECT_EQ(EmailEvents(), 2);
  EXPECT_EQ(Query("SELECT count(*) FROM mail_messages WHERE status = 'duplicate'"), 1);
  // Move mode: the Sales folder is empty, its two messages wait in <Sales>-done.
  auto left = peer().Command(sales_, "UID SEARCH ALL");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(left->find_first_of("0123456789"), std::string::npos) << *left;
  auto moved = peer().Command(sales_ + "-done", "UID SEARCH ALL");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_NE(moved->find('1'), std::string::npos) << *moved;
  EXPECT_NE(moved->find('2'), std::string::npos) << *moved;
}

TEST_F(ImapPollingTest, EachMailboxIsOneLeasedJobInTheSharedQueue) {
  // The poll is one job per mailbox in the shared queue, leased to one node while it runs.
  Append(support_, Mail(30));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 1; })) << server_.LogTail();
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'mail_poll'"), 2);
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'mail_poll' AND key = 'support'"), 1);
  // Polled again and again by claiming the same job, never completed, never duplicated.
  ASSERT_TRUE(Eventually([&] {
    return Query("SELECT attempts FROM jobs WHERE kind = 'mail_poll' AND key = 'support'") >= 3;
  })) << server_.LogTail();
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'mail_poll' AND state = 'pending'"), 2);
  // After a restart the node takes the same jobs up again instead of adding new ones.
  ASSERT_TRUE(server_.Restart()) << server_.LogTail();
  Append(support_, Mail(31));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 2; })) << server_.LogTail();
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'mail_poll'"), 2);
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'mail_poll' AND last_error != ''"), 0)
      << server_.LogTail();
}

// Polls an hour apart: only IMAP IDLE can explain mail filed within seconds.
class ImapIdleTest : public ImapPollingTest {
 protected:
  std::string PollSettings() const override { return "poll_seconds = 3600\n"; }

  // The support mailbox's polls so far are over (the one at start, and the one an IDLE
  // connection asks for when it is made) and the next is far away: a message filed from now
  // on was filed because something woke the poller.
  bool NextPollFarAway() {
    return Query(
               "SELECT count(*) FROM jobs WHERE kind = 'mail_poll' AND key = 'support' AND "
               "attempts >= 1 AND lease_until IS NULL AND "
               "due_at > (unixepoch() + 600) * 1000000") == 1;
  }
};

class ImapWithoutIdleTest : public ImapIdleTest {
 protected:
  std::string PollSettings() const override { return "poll_seconds = 3600\nidle = false\n"; }
};

TEST_F(ImapIdleTest, NewMailIsFiledWithinSecondsThoughTheNextPollIsAnHourAway) {
  ASSERT_TRUE(Eventually([&] {
    return server_.FullLog().find("watching mailbox with IMAP IDLE") != std::string::npos &&
           NextPollFarAway();
  })) << server_.LogTail();
  Append(support_, Mail(40));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 1; }, std::chrono::seconds(10)))
      << server_.LogTail();
  EXPECT_EQ(EmailEvents(), 1);
  // Mail that comes while the watcher is IDLE again is filed as quickly.
  Append(support_, Mail(41));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 2; }, std::chrono::seconds(10)))
      << server_.LogTail();
  EXPECT_EQ(EmailEvents(), 2);
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'mail_poll'"), 2)
      << "a wake-up must reuse the mailbox's job, not add one";
}

TEST_F(ImapIdleTest, AfterTheImapServerRestartsIdleFilesNewMailAgain) {
  ASSERT_TRUE(Eventually([&] {
    return LogLines("watching mailbox with IMAP IDLE", "support") == 1 && NextPollFarAway();
  })) << server_.LogTail();
  // Dovecot stops (closing every connection) and comes back on the same port and store.
  auto restarted = peer().Restart();
  ASSERT_TRUE(restarted) << restarted.error().message;
  const auto back_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually([&] {
    return LogLines("IMAP IDLE connection lost; polling until it is back", "support") == 1;
  })) << server_.LogTail();
  // Reconnected after the first pause (5 s), with the one poll a new connection asks for.
  ASSERT_TRUE(Eventually([&] {
    return LogLines("watching mailbox with IMAP IDLE", "support") == 2 && NextPollFarAway();
  })) << server_.LogTail();
  EXPECT_LT(std::chrono::steady_clock::now() - back_at, std::chrono::seconds(20));
  EXPECT_EQ(LastUid("support"), 0);

  Append(support_, Mail(60));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 1; }, std::chrono::seconds(10)))
      << "IDLE did not work after the reconnection\n"
      << server_.LogTail();
  EXPECT_EQ(EmailEvents(), 1);
}

TEST_F(ImapIdleTest, ShutdownIsPromptWhileAWatcherWaitsForASilentServer) {
  // The mailboxes' jobs are made and polled once; their next polls are an hour away.
  ASSERT_TRUE(Eventually([&] {
    return LogLines("watching mailbox with IMAP IDLE", "support") == 1 && NextPollFarAway();
  })) << server_.LogTail();
  ASSERT_TRUE(server_.Stop());
  // The support mailbox now points at a port that completes TCP connections and then says
  // nothing: its watcher waits for a greeting (up to the 15 s connect timeout). No poll is
  // due, so only the watcher talks to it.
  const int silent = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(listen(silent, 8), 0);
  ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&address), &length), 0);
  WriteConfig(ntohs(address.sin_port));
  ASSERT_TRUE(server_.Serve());
  pollfd connected{silent, POLLIN, 0};  // a connection waits in the backlog
  ASSERT_EQ(poll(&connected, 1, 10000), 1) << "the watcher never connected\n" << server_.LogTail();

  const auto stopping = std::chrono::steady_clock::now();
  EXPECT_TRUE(server_.Stop(std::chrono::seconds(30)));
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(3))
      << "shutdown waited for the watcher's connect";
  close(silent);
  EXPECT_EQ(LogLines("IMAP IDLE connection failed", "support"), 0)
      << "an interrupted connect is no failure to report\n"
      << server_.LogTail();
}

TEST_F(ImapWithoutIdleTest, WithIdleOffNewMailWaitsForTheNextPoll) {
  ASSERT_TRUE(Eventually([&] { return NextPollFarAway(); })) << server_.LogTail();
  Append(support_, Mail(50));
  EXPECT_FALSE(Eventually([&] { return LastUid("support") == 1; }, std::chrono::seconds(4)))
      << "filed without a poll being due";
  EXPECT_EQ(server_.FullLog().find("IMAP IDLE"), std::string::npos) << server_.LogTail();
}

// A server that does not announce IDLE (tests/peers/dovecot_peer.h), mailboxes with idle on
// (the default) polled every second.
class ImapServerWithoutIdleTest : public ImapPollingTest {
 protected:
  static void SetUpTestSuite() { StartPeer({.idle = false}); }
};

TEST_F(ImapServerWithoutIdleTest, TheWatcherSaysSoAndPollingStillFilesMail) {
  ASSERT_TRUE(Eventually([&] {
    return LogLines("IMAP server has no IDLE; the mailbox is only polled", "support") == 1;
  })) << server_.LogTail();
  Append(support_, Mail(70));
  Append(sales_, Mail(71));
  ASSERT_TRUE(Eventually([&] { return LastUid("support") == 1 && LastUid("sales") == 1; }))
      << server_.LogTail();
  EXPECT_EQ(EmailEvents(), 2);
  EXPECT_EQ(server_.FullLog().find("watching mailbox with IMAP IDLE"), std::string::npos)
      << server_.LogTail();
  EXPECT_EQ(LogLines("IMAP IDLE connection", "support"), 0) << server_.LogTail();
}

}  // namespace
}  // namespace redress::testing
