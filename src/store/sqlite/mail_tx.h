// MailTx on the SQLite writer connection (see store/mail_tx.h); owned by SqliteWriteTx.
#pragma once

#include "store/mail_tx.h"
#include "store/sqlite/sqlite_db.h"

namespace redress::store::sqlite {

class SqliteMailTx final : public MailTx {
 public:
  explicit SqliteMailTx(Database& db) : db_(db) {}

  Result<bool> PutBlob(const std::string& sha256, const std::string& bytes, Timestamp now) override;
  Result<std::optional<std::string>> GetBlob(const std::string& sha256) override;
  Result<std::optional<MailMessageRecord>> FindInboundByRaw(const std::string& raw_sha256) override;
  Result<void> InsertMailMessage(MailMessageRecord& message) override;
  Result<std::vector<MailMessageRecord>> ListCaseMail(int64_t case_id) override;
  Result<void> InsertMailAttachment(const MailAttachmentRecord& attachment) override;
  Result<std::vector<MailAttachmentRecord>> ListAttachments(int64_t message_row) override;
  Result<void> AddThreadId(int64_t case_id, const std::string& message_id, bool own) override;
  Result<void> AddParticipant(int64_t case_id, const std::string& address) override;
  Result<std::optional<int64_t>> CaseByMessageId(const std::string& message_id) override;
  Result<std::optional<int64_t>> CaseByInboundMessageId(const std::string& message_id) override;
  Result<bool> IsParticipant(int64_t case_id, const std::string& address) override;
  Result<std::vector<std::string>> Participants(int64_t case_id) override;
  Result<std::vector<int64_t>> OpenCasesBySenderSubject(const std::string& sender,
                                                        const std::string& subject_key) override;
  Result<std::vector<std::string>> CaseMessageIds(int64_t case_id) override;
  Result<std::optional<std::pair<int64_t, std::string>>> CustomerByEmail(
      const std::string& normalized_email) override;
  Result<std::optional<std::string>> CustomerEmail(int64_t customer_id) override;
  Result<bool> EnqueueOutbound(OutboxEntry& entry) override;
  Result<std::optional<OutboxEntry>> GetOutbound(int64_t id) override;
  Result<void> UpdateOutbound(int64_t id, OutboxStatus status, int attempts,
                              const std::string& last_error, Timestamp now) override;
  Result<std::optional<Timestamp>> LastOutboundTo(const std::string& purpose,
                                                  const std::string& recipient) override;
  Result<std::optional<MailboxCursor>> GetMailboxCursor(const std::string& mailbox) override;
  Result<MailChannelStatus> ChannelStatus() override;  // mail_status.cc
  Result<void> SetMailboxCursor(const std::string& mailbox, const MailboxCursor& cursor,
                                Timestamp now) override;

 private:
  Database& db_;
};

}  // namespace redress::store::sqlite
