// The `mail_poll` job: every [[mail.mailboxes]] entry is read over IMAP by this node or
// another, never by two at once. Each mailbox has ONE job in the store's shared queue
// (kind "mail_poll", key = the mailbox's name), scheduled when a node starts and never
// completed: a node claims it (the lease makes it the only poller of that mailbox), polls,
// and gives it back due again after `poll_seconds` (RetryJob; a failed poll keeps its error
// on the job and is retried at the same interval). A node that dies mid-poll loses the
// lease after kMailPollLease and another node takes the mailbox over.
//
// One poll (PollMailboxOnce), the protocol of transport/imap_mailbox.h:
//   cursor = the stored {UIDVALIDITY, last UID} of the mailbox
//   for each chunk of UIDs above it, ascending:  fetch → MailIntake (each message its own
//     durable write, source "imap:<name>", the mailbox's category) → mark \Seen or move
//     (one command for the chunk) → store the cursor
// The mark and the cursor come only after the message is stored, so a crash loses nothing;
// a message fetched again after a crash is a duplicate by its raw SHA-256 (and Message-ID),
// so nothing is filed twice. A new UIDVALIDITY re-lists the folder and relies on the same
// dedup. One mail sent to two of our mailboxes has one Message-ID: one case.
//
// Why not a JobRunner handler: a handler runs inside the write that completes the job, and
// IMAP is network I/O that must never hold the store's writer. The poller has its own
// thread and uses the same queue (claim, lease, give back) directly.
//
// IMAP IDLE (mailboxes with idle = true, the default): every node that runs pollers also
// watches each such mailbox with an IDLE connection of its own (transport/imap_idle.h), on
// one thread per mailbox. A change the server reports only makes that mailbox's job due now
// (ExpediteJob) and nudges the poll thread: the lease still decides which node polls, and
// the poll is the same as above, so IDLE adds speed, never a second way to file mail. A
// change seen while this node is polling that mailbox gives the job back due at once, since
// the running poll may have listed the folder before the new message arrived. A server
// without IDLE, or an IDLE connection that fails, is logged and leaves the mailbox to
// polling; a failed connection is tried again with a growing pause (5 s up to 5 min), and
// every (re)connection asks for one poll, for what arrived while nobody watched.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/mail_config.h"
#include "app/mail_intake.h"
#include "channels/email/transport/imap_mailbox.h"
#include "channels/email/transport/socket_interrupt.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace redress::engine {

inline constexpr const char* kMailPollJobKind = "mail_poll";
/// How long a claimed poll is this node's: longer than any poll should take (a poll takes
/// at most kMaxMessagesPerPoll messages), short enough that a dead node's mailbox is soon
/// read again by another.
inline constexpr std::chrono::minutes kMailPollLease{5};
inline constexpr int kMaxMessagesPerPoll = 200;
/// Messages fetched, filed (one IngestBatch) and marked (one command) together, and the
/// most bytes such a chunk holds; two chunks are in memory at once.
inline constexpr size_t kMailPollChunk = 64;
inline constexpr size_t kMailPollChunkBytes = size_t{32} << 20;

/// The transport's configuration for a configured mailbox: URL (imap:// or imaps://, port
/// 143/993 by default), TLS mode, credentials (the password read from password_file), CA
/// file, mark mode (\Seen, or a move to processed_folder). Errors name the setting.
Result<email::transport::ImapMailboxConfig> ImapConfigFor(const app::MailboxConfig& box);

struct MailPollReport {
  int fetched = 0;   // messages fetched from the server
  int filed = 0;     // new in the store (opened, appended, delivery report, refused...)
  int duplicates = 0;
  bool more = false;  // stopped at max_messages with more waiting
};

/// One poll of one mailbox on the calling thread. Messages are fetched a chunk at a time
/// and filed with MailIntake::IngestBatch (shared commits) on a second thread while the
/// next chunk is fetched; a chunk is marked on the server after its write commits. An error stops
/// the poll where it happened (the cursor stays behind the message that failed); what was done
/// before stays done. `keep_going` is asked between messages (false: stop early, e.g. shutting
/// down). `on_filed`, if set, hears each message's outcome by its UID once it is stored and marked
/// (benchmarks and tests).
using FiledObserver = std::function<void(uint32_t uid, const app::IntakeResult&)>;
Result<MailPollReport> PollMailboxOnce(store::Store& store, const app::MailIntake& intake,
                                       const app::MailboxConfig& box,
                                       email::transport::ImapMailbox& mailbox, Clock& clock,
                                       int max_messages, const std::function<bool()>& keep_going,
                                       const FiledObserver& on_filed = {});

class MailPoller {
 public:
  /// Checks every mailbox's configuration (and reads its password file); nothing runs yet.
  static Result<std::unique_ptr<MailPoller>> Build(store::Store& store, Clock& clock,
                                                   const app::MailIntake& intake,
                                                   std::vector<app::MailboxConfig> boxes,
                                                   std::string owner);
  ~MailPoller();  // Stop()
  MailPoller(const MailPoller&) = delete;
  MailPoller& operator=(const MailPoller&) = delete;

  /// Schedules each mailbox's job (a no-op when it exists) and starts the thread, which
  /// looks for due polls every second (at once when an IDLE watcher saw a change), and one
  /// IDLE watcher thread per mailbox with idle = true.
  Result<void> Start();
  /// Ends the threads: the poller after the message in progress (a poll cut short is given
  /// back due at once), the watchers at once (their sockets are shut down, even while one is
  /// still connecting). Idempotent.
  void Stop();

  /// One pass on the calling thread: claims the due polls and runs them.
  void RunDuePolls();

 private:
  MailPoller(store::Store& store, Clock& clock, const app::MailIntake& intake, std::string owner)
      : store_(store), clock_(clock), intake_(intake), owner_(std::move(owner)) {}
  void Loop();
  bool Stopping();
  /// The IDLE watcher of one mailbox, until Stop().
  void Watch(const std::string& name, const email::transport::ImapMailboxConfig& config);
  /// An IDLE watcher saw a change: the mailbox's job is due now, and the poller looks.
  void PollSoon(const std::string& name);
  bool ChangedSincePollBegan(const std::string& name);
  /// Stop(): shuts down the socket each watcher is using or connecting.
  void InterruptWatchers();
  /// Sleeps `pause` unless Stop() comes first; false if it did.
  bool PauseUnlessStopping(std::chrono::seconds pause);

  struct Box {
    app::MailboxConfig config;
    std::unique_ptr<email::transport::ImapMailbox> mailbox;
  };

  store::Store& store_;
  Clock& clock_;
  const app::MailIntake& intake_;
  const std::string owner_;
  std::map<std::string, Box> boxes_;  // by name

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool nudged_ = false;            // a watcher asked for a look before the next tick
  std::set<std::string> changed_;  // mailboxes a watcher saw change since their poll began
  std::set<email::transport::SocketInterrupt*> interrupts_;  // of the running watchers
  std::thread thread_;
  std::vector<std::thread> watchers_;
};

}  // namespace redress::engine
