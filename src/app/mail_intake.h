// The inbound mail path, from raw bytes to a case: store the raw message (always, even
// when it is too large or not a message at all), read it, find its thread, find or create
// the customer by the sender's address, and append `message_received` (channel email) or
// open a case, with a `thread_token_mismatch` event for every token that was altered, all
// in ONE write transaction. Every door for mail (the mailgate over HTTP or straight to the
// database, IMAP polling) comes through here, so they cannot disagree.
//
// Noise rules (channels/email/mail_classifier.h): mail from machines (auto-replies, lists,
// bulk) is recorded on its case with "counts_as_contact": false, which moves no
// repeat-contact count, reopens nothing and triggers nothing, and never gets an
// acknowledgement; a bounce (DSN) becomes a `delivery` event on the case of the message
// that bounced instead of a message.
//
// Parsing is CPU work and must not run on the store's single writer thread: Prepare()
// reads the message on the caller's thread, Ingest() does the rest inside the write.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/mail_config.h"
#include "channels/email/mail_classifier.h"
#include "channels/email/mime_message.h"
#include "channels/email/thread_token.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace redress::app {

struct MailIntakeOptions {
  std::vector<std::string> own_addresses;  // normalised; from [mail] addresses
  int64_t max_message_bytes = int64_t{25} << 20;
  int64_t max_attachment_bytes = int64_t{10} << 20;
};

/// The intake's options from [mail]: its addresses and size limits.
MailIntakeOptions MailIntakeOptionsFrom(const MailConfig& mail);

/// Where a message came from: "mailgate", "http", "imap:<mailbox>"; and the category of
/// the cases it opens (a mailbox's queue), "" for none.
struct MailSource {
  std::string name = "mailgate";
  std::string category;
};

/// A message read off the writer thread.
///
/// A message over max_message_bytes is read only up to that many bytes: its headers and
/// the text that comes first (the usual layout: text, then attachments) still reach the
/// case, its attachments are listed but stay only inside the stored original, and
/// `truncation_note` says so on the event. Only when even that prefix is not a message is
/// it refused (kTooLarge: stored raw, not read).
struct PreparedMail {
  std::string raw;
  std::string sha256;  // lowercase hex of raw
  enum class Refusal { kNone, kTooLarge, kNotAMessage } refusal = Refusal::kNone;
  std::string refusal_detail;
  std::string truncation_note;  // why only a prefix of `raw` was read; empty if all was
  bool truncated() const { return !truncation_note.empty(); }
  std::optional<email::ParsedMessage> parsed;
  email::Classification classification;
};

enum class IntakeOutcome {
  kOpened,          // a new case
  kAppended,        // a message on an existing case
  kDuplicate,       // these bytes, or this Message-ID inbound, were already stored
  kDeliveryReport,  // a bounce recorded as a delivery event on its case
  kUnattached,      // stored but belongs to no case (a bounce for mail we never sent,
                    // a message without any sender address)
  kTooLarge,        // stored raw, not read: over [mail] max_message_bytes and its
                    // first max_message_bytes are not a message either
  kNotAMessage,     // stored raw, but it is not an RFC 5322 message
};

const char* IntakeOutcomeName(IntakeOutcome outcome);  // "opened", "appended", ...

struct IntakeResult {
  IntakeOutcome outcome = IntakeOutcome::kOpened;
  std::optional<int64_t> case_id;
  std::string raw_sha256;
  std::string match_rule;               // email::MatchRuleName, when threaded
  std::string mail_kind;                // email::MailKindName
  std::vector<std::string> mismatches;  // email::MismatchKindName of each recorded mismatch
  std::string detail;                   // why refused or unattached, or what of it was
                                        // not read (over max_message_bytes)
};

class MailIntake {
 public:
  MailIntake(const CaseService& cases, const email::ThreadTokenSigner& signer,
             MailIntakeOptions options);

  /// Hashes and parses `raw` (thread-safe, no I/O).
  PreparedMail Prepare(std::string raw) const;

  /// Stores and files a prepared message inside `tx`. Errors are store failures (the
  /// caller's write rolls back and nothing is acknowledged); every outcome, including a
  /// refusal, has stored the raw bytes.
  Result<IntakeResult> Ingest(store::WriteTx& tx, const PreparedMail& mail,
                              const MailSource& source, Timestamp now) const;

  /// Prepare + one durable write; returns after the commit.
  Result<IntakeResult> IngestNow(store::Store& store, std::string raw, const MailSource& source,
                                 Timestamp now) const;

  /// Files several prepared messages (an IMAP fetch, a batch of HTTP posts). Each message
  /// is its own write, so one that fails rolls back alone, but they are queued together and
  /// so share commits: one fsync for the lot instead of one each (SQLite runs them in the
  /// order given inside one transaction; PostgreSQL on its writer pool, grouping the WAL
  /// flushes). Returns when every message has committed or failed, results in order; a
  /// message counts as received only once its own result is a value, as with IngestNow.
  std::vector<Result<IntakeResult>> IngestBatch(store::Store& store,
                                                const std::vector<PreparedMail>& mails,
                                                const MailSource& source, Timestamp now) const;

  const MailIntakeOptions& options() const { return options_; }

 private:
  const CaseService& cases_;
  const email::ThreadTokenSigner& signer_;
  MailIntakeOptions options_;
};

}  // namespace redress::app
