// One IMAP folder that Redress reads mail from (a support@ mailbox), over libcurl.
//
// The polling protocol, and why it neither loses nor duplicates a message
// ------------------------------------------------------------------------
// IMAP names a message by (UIDVALIDITY, UID): UIDs only grow within one UIDVALIDITY, and a
// new UIDVALIDITY (folder recreated or rebuilt) means every old UID is void. The caller
// persists an ImapCursor per (mailbox, UIDVALIDITY) and runs, every poll_interval:
//
//   1. pending = ListUnprocessed(cursor)     UID SEARCH for UIDs above cursor.last_uid
//   2. for uid in pending.uids (ascending):
//        raw = Fetch(pending.uidvalidity, uid)          exact bytes (UID FETCH BODY[])
//        store raw durably, deduplicated by the SHA-256 of the raw bytes (and Message-ID)
//        MarkProcessed(pending.uidvalidity, uid)        \Seen, or move to another folder
//        persist cursor = {pending.uidvalidity, uid}
// (or the same a chunk of UIDs at a time: store them all, mark them with one command, then
// persist the cursor at the chunk's last UID)
//
// A crash (or error) before the store commits leaves the message unmarked and the cursor
// behind it: the next poll fetches it again. Nothing is lost. A crash after the store but
// before the cursor is persisted means the message is fetched again, and the store's dedup
// drops the second copy. Nothing is duplicated. The mark is only a courtesy to humans and
// other clients (and, in move mode, keeps the folder small); the cursor is the truth, so a
// human marking messages read in Thunderbird cannot make Redress skip them.
// When pending.uidvalidity_changed, every message in the folder is listed again: dedup
// again drops those already stored (in \Seen mode that re-reads the whole folder once; move
// mode keeps the folder small, which is why it is recommended).
//
// Notes: fetching with BODY[] also sets \Seen on the server (RFC 3501 6.4.5); libcurl
// cannot fetch with BODY.PEEK[] through its message URL and parsing literals ourselves from
// a custom command would be fragile, so \Seen is a mark of "fetched", and the cursor, not
// \Seen, decides what is new. The first poll of a folder (cursor {0, 0}) takes every message
// in it: point Redress at a folder that holds only mail for it.
//
// New mail is found by polling every poll_interval (60 s by default); libcurl cannot hold
// IMAP IDLE, so imap_idle.h watches the folder on a libetpan connection of its own and only
// tells the caller to poll sooner. Each call reuses one connection when the server keeps it
// open.
//
// Errors: kUnavailable (temporary: connection refused, timeout, TLS failure, server busy:
// try again next poll), kUnauthenticated (wrong user or password), kNotFound (no such folder,
// or the UID no longer exists), kConflict (UIDVALIDITY changed between List and Fetch/Mark:
// list again), kInvalidArgument (bad configuration), kInternal (the server said something
// unexpected; the message quotes it). Never contains the password.
//
// Not thread-safe: one ImapMailbox per polling thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "channels/email/transport/mail_endpoint.h"
#include "core/result.h"

namespace redress::email::transport {

class CurlSession;

enum class MarkMode {
  kFlagSeen,      // UID STORE +FLAGS (\Seen); the message stays in the folder
  kMoveToFolder,  // UID MOVE (RFC 6851) to processed_folder, created if missing
};

struct ImapMailboxConfig {
  MailEndpoint endpoint;  // port 143 with STARTTLS, 993 with kImplicit
  std::string folder = "INBOX";
  MarkMode mark = MarkMode::kFlagSeen;
  /// For kMoveToFolder; the server's full name, with the server's own hierarchy separator
  /// ("Redress/Processed" on most servers, "Redress.Processed" on Dovecot with Maildir).
  std::string processed_folder;
  std::chrono::seconds poll_interval{60};  // for the caller's loop; the mailbox never sleeps
};

/// How far the caller has processed a folder. {0, 0} before the first poll.
struct ImapCursor {
  uint32_t uidvalidity = 0;
  uint32_t last_uid = 0;  // every UID up to this one is stored (and marked)
};

struct PendingMessages {
  uint32_t uidvalidity = 0;          // the folder's current UIDVALIDITY
  bool uidvalidity_changed = false;  // the cursor was for another UIDVALIDITY (not {0,0})
  std::vector<uint32_t> uids;        // ascending; above cursor.last_uid unless changed
};

class ImapMailbox {
 public:
  /// Checks the configuration (folder names, mark mode); no network.
  static Result<ImapMailbox> Open(ImapMailboxConfig config);
  ImapMailbox(ImapMailbox&&) noexcept;
  ImapMailbox& operator=(ImapMailbox&&) noexcept;
  ~ImapMailbox();

  const ImapMailboxConfig& config() const { return config_; }

  /// The messages of the folder the cursor has not passed yet.
  Result<PendingMessages> ListUnprocessed(const ImapCursor& cursor);
  /// The message's raw RFC 5322 bytes, exactly as the server stores them.
  Result<std::string> Fetch(uint32_t uidvalidity, uint32_t uid);
  /// Marks (or moves) the message after the caller has stored it durably. Idempotent:
  /// marking an already marked or already moved message succeeds.
  Result<void> MarkProcessed(uint32_t uidvalidity, uint32_t uid);
  /// The same for several messages (ascending UIDs) in one command: one round trip.
  Result<void> MarkProcessed(uint32_t uidvalidity, std::span<const uint32_t> uids);

 private:
  explicit ImapMailbox(ImapMailboxConfig config);
  void Reconnect();
  Result<std::string> Run(const std::string& folder, uint32_t uidvalidity,
                          const std::string& command, const std::string& what);
  Error Explain(int curl_code, const std::string& what) const;
  std::string FolderUrl(const std::string& folder, uint32_t uidvalidity) const;

  ImapMailboxConfig config_;
  std::string quoted_folder_;
  std::string quoted_processed_folder_;
  std::unique_ptr<CurlSession> session_;
};

}  // namespace redress::email::transport
