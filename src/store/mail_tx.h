// The mail channel's tables, reached inside a write transaction (WriteTx::mail()). They
// keep what the email channel needs beyond the case log:
//
//  * blobs: raw messages and attachments, byte for byte, each stored once under the
//    lowercase hex SHA-256 of its bytes (a raw message is evidence; an attachment sent
//    twice is kept once);
//  * messages: one row per inbound or outbound message, naming its raw blob, its
//    Message-ID, the case it joined (none when it was refused) and how it was read;
//    a raw message already stored inbound is found by its hash (IMAP re-fetches, MTA
//    retries), so a message is never recorded twice;
//  * the thread index: every Message-ID a case's messages carry or reference, and every
//    address that took part in a case, for the threading rules (channels/email/threading.h);
//  * the outbox: outbound mail built in the transaction that called for it, sent later by
//    the outbox job with retries;
//  * mailbox cursors: per polled IMAP mailbox, its UIDVALIDITY and the last UID stored.
//
// All lookups run inside the write, so a threading decision and the rows it leads to are
// one atomic step even when two replies of one thread arrive at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace redress::store {

enum class MailDirection { kInbound, kOutbound };

struct MailMessageRecord {
  int64_t id = 0;  // filled in by InsertMailMessage
  MailDirection direction = MailDirection::kInbound;
  std::string raw_sha256;  // the blob holding the exact bytes
  int64_t size = 0;        // bytes of the raw message
  std::string message_id;  // without angle brackets; "" when the message has none
  std::optional<int64_t> case_id;
  std::string sender;       // normalised (lowercase) From address, "" if none
  std::string subject_key;  // email::NormalizeSubject of the subject
  std::string kind;         // email::MailKindName ("person", "bounce", ...)
  std::string source;       // "mailgate", "http", "imap:<mailbox>", "outbox"
  std::string status;       // "stored", "duplicate", "rejected", "unparseable"
  std::string error;        // why it was rejected; "" otherwise
  Timestamp received_at{};
};

struct MailAttachmentRecord {
  int64_t message_row = 0;
  int position = 0;  // order in the message, from 0
  std::string sha256;
  std::string filename;
  std::string content_type;
  std::string content_id;
  bool inline_part = false;
  int64_t size = 0;
};

enum class OutboxStatus { kQueued, kSent, kFailed };
const char* OutboxStatusName(OutboxStatus status);  // "queued", "sent", "failed"

struct OutboxEntry {
  int64_t id = 0;  // filled in by EnqueueOutbound
  /// 0 for account mail that belongs to no case (purpose "sign_in_link"; event_seq is
  /// then the link's id): stored as NULL, never de-duplicated, no case event to record.
  int64_t case_id = 0;
  int64_t event_seq = 0;  // the event that called for the mail
  std::string purpose;    // "reply", "acknowledgement", "escalation_notice", "sign_in_link"
  std::string sender;     // envelope MAIL FROM
  std::vector<std::string> recipients;
  std::string message_id;  // of the built message, without angle brackets
  std::string bytes;       // the built message, ready for SMTP DATA
  OutboxStatus status = OutboxStatus::kQueued;
  int attempts = 0;
  std::string last_error;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct MailboxCursor {
  int64_t uidvalidity = 0;
  int64_t last_uid = 0;
};

/// What the channels page shows: every polled mailbox's cursor and when it last moved,
/// and the outbox by status.
struct MailChannelStatus {
  struct Mailbox {
    std::string name;
    MailboxCursor cursor;
    Timestamp updated_at{};
  };
  std::vector<Mailbox> mailboxes;  // by name
  int64_t outbox_queued = 0;
  int64_t outbox_sent = 0;
  int64_t outbox_failed = 0;
  std::optional<Timestamp> last_inbound_at;  // the newest inbound message stored
};

class MailTx {
 public:
  virtual ~MailTx() = default;

  /// Stores `bytes` under `sha256` unless a blob with that hash exists. True if inserted.
  virtual Result<bool> PutBlob(const std::string& sha256, const std::string& bytes,
                               Timestamp now) = 0;
  virtual Result<std::optional<std::string>> GetBlob(const std::string& sha256) = 0;

  /// The inbound message already stored with these raw bytes, if any.
  virtual Result<std::optional<MailMessageRecord>> FindInboundByRaw(
      const std::string& raw_sha256) = 0;
  /// Inserts a message row (its blob must exist) and fills in its id.
  virtual Result<void> InsertMailMessage(MailMessageRecord& message) = 0;
  virtual Result<std::vector<MailMessageRecord>> ListCaseMail(int64_t case_id) = 0;
  virtual Result<void> InsertMailAttachment(const MailAttachmentRecord& attachment) = 0;
  virtual Result<std::vector<MailAttachmentRecord>> ListAttachments(int64_t message_row) = 0;

  // ---- the thread index (see email::ThreadLookup for what each question means)
  /// Records that case `case_id` carries or references `message_id` (idempotent).
  /// `own` marks the ids of messages of the case itself (as opposed to referenced ones).
  virtual Result<void> AddThreadId(int64_t case_id, const std::string& message_id, bool own) = 0;
  virtual Result<void> AddParticipant(int64_t case_id, const std::string& address) = 0;
  virtual Result<std::optional<int64_t>> CaseByMessageId(const std::string& message_id) = 0;
  virtual Result<std::optional<int64_t>> CaseByInboundMessageId(const std::string& message_id) = 0;
  virtual Result<bool> IsParticipant(int64_t case_id, const std::string& address) = 0;
  /// Every address that wrote, was written to or was copied on the case's mail (our own
  /// addresses never), in address order: who a reply goes to besides the customer.
  virtual Result<std::vector<std::string>> Participants(int64_t case_id) = 0;
  /// Open cases that have an inbound message from `sender` with subject key `subject_key`,
  /// most recently updated first.
  virtual Result<std::vector<int64_t>> OpenCasesBySenderSubject(const std::string& sender,
                                                                const std::string& subject_key) = 0;
  /// Message-IDs of the case's own messages, oldest first (for References).
  virtual Result<std::vector<std::string>> CaseMessageIds(int64_t case_id) = 0;

  // ---- customers as this transaction sees them (a customer created earlier in the same
  //      write or batch included)
  /// The id and name of the customer holding email identity `normalized_email`.
  virtual Result<std::optional<std::pair<int64_t, std::string>>> CustomerByEmail(
      const std::string& normalized_email) = 0;
  /// The customer's first email identity, if any.
  virtual Result<std::optional<std::string>> CustomerEmail(int64_t customer_id) = 0;

  // ---- the outbox
  /// Queues `entry` and fills in its id. An entry for the same (case, event, purpose)
  /// already queued is kept and its id returned with false: a reaction never mails twice.
  virtual Result<bool> EnqueueOutbound(OutboxEntry& entry) = 0;
  virtual Result<std::optional<OutboxEntry>> GetOutbound(int64_t id) = 0;
  virtual Result<void> UpdateOutbound(int64_t id, OutboxStatus status, int attempts,
                                      const std::string& last_error, Timestamp now) = 0;
  /// When mail for `purpose` was last queued to exactly `recipient` (an entry whose only
  /// recipient it is), or nullopt: the acknowledgement loop guard asks it for every new
  /// email case, so it is indexed (schema v7). Until the transaction ends, another
  /// transaction asking about the same pair waits, then sees what this one queued (a
  /// PostgreSQL advisory lock; SQLite's single writer serializes anyway), so two nodes
  /// filing mail from one sender at once send one acknowledgement, not two.
  virtual Result<std::optional<Timestamp>> LastOutboundTo(const std::string& purpose,
                                                          const std::string& recipient) = 0;

  // ---- mailbox poll state
  virtual Result<MailChannelStatus> ChannelStatus() = 0;
  virtual Result<std::optional<MailboxCursor>> GetMailboxCursor(const std::string& mailbox) = 0;
  virtual Result<void> SetMailboxCursor(const std::string& mailbox, const MailboxCursor& cursor,
                                        Timestamp now) = 0;
};

}  // namespace redress::store
