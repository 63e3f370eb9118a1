#include "store/copy_tables.h"

#include <array>

namespace redress::store {
namespace {

using enum CopyType;

constexpr CopyColumn kCustomers[] = {
    {"id", kInteger},        {"name", kText}, {"password_hash", kText},
    {"created_at", kInteger}, {"tier", kText}};
constexpr CopyColumn kIdentities[] = {{"id", kInteger},
                                      {"kind", kText},
                                      {"value", kText},
                                      {"customer_id", kInteger},
                                      {"verified", kBoolean}};
constexpr CopyColumn kUsers[] = {{"id", kInteger},        {"email", kText},
                                 {"display_name", kText}, {"role", kText},
                                 {"level", kInteger},     {"active", kBoolean},
                                 {"password_hash", kText}, {"created_at", kInteger}};
constexpr CopyColumn kApiTokens[] = {{"token_hash", kText}, {"owner_role", kText},
                                     {"owner_id", kInteger}, {"label", kText},
                                     {"created_at", kInteger}, {"expires_at", kInteger}};
constexpr CopyColumn kSessions[] = {{"session_hash", kText}, {"owner_role", kText},
                                    {"owner_id", kInteger},  {"csrf_token", kText},
                                    {"created_at", kInteger}, {"expires_at", kInteger}};
constexpr CopyColumn kIdempotency[] = {{"scope", kText},   {"key", kText},
                                       {"fingerprint", kText}, {"status", kInteger},
                                       {"body", kText},    {"location", kText},
                                       {"created_at", kInteger}};
constexpr CopyColumn kCases[] = {{"id", kInteger},
                                 {"customer_id", kInteger},
                                 {"subject", kText},
                                 {"status", kText},
                                 {"priority", kText},
                                 {"category", kText},
                                 {"level", kInteger},
                                 {"owner_id", kInteger},
                                 {"owner_name", kText},
                                 {"channel", kText},
                                 {"opened_at", kInteger},
                                 {"updated_at", kInteger},
                                 {"first_response_at", kInteger},
                                 {"last_customer_message_at", kInteger},
                                 {"customer_messages", kInteger},
                                 {"staff_replies", kInteger},
                                 {"internal_notes", kInteger},
                                 {"transfers", kInteger},
                                 {"last_seq", kInteger},
                                 {"head_hash", kText},
                                 {"commitments", kText},
                                 {"next_due_at", kInteger},
                                 {"timer_at", kInteger},
                                 {"timer_failures", kInteger}};
constexpr CopyColumn kEvents[] = {{"case_id", kInteger}, {"seq", kInteger},
                                  {"type", kText},       {"at", kInteger},
                                  {"actor_kind", kText}, {"actor_id", kInteger},
                                  {"actor_name", kText}, {"channel", kText},
                                  {"visibility", kText}, {"data", kText},
                                  {"prev_hash", kText},  {"hash", kText}};
// Pending jobs are copied as they are, done ones too: a done job keeps its key taken, so
// work done before the copy (a mail sent) is never scheduled again after it.
constexpr CopyColumn kJobs[] = {{"id", kInteger},         {"kind", kText},
                                {"key", kText},           {"due_at", kInteger},
                                {"payload", kText},       {"state", kText},
                                {"attempts", kInteger},   {"lease_owner", kText},
                                {"lease_until", kInteger}, {"last_error", kText},
                                {"created_at", kInteger}, {"completed_at", kInteger}};
constexpr CopyColumn kCaseText[] = {{"case_id", kInteger}, {"text", kText}};
constexpr CopyColumn kSettings[] = {
    {"key", kText}, {"value", kText}, {"version", kInteger}, {"updated_at", kInteger}};
constexpr CopyColumn kRoutingCursors[] = {{"level_id", kText}, {"cursor", kInteger}};
constexpr CopyColumn kMailBlobs[] = {
    {"sha256", kText}, {"bytes", kBytes}, {"size", kInteger}, {"stored_at", kInteger}};
constexpr CopyColumn kMailMessages[] = {{"id", kInteger},        {"direction", kText},
                                        {"raw_sha256", kText},   {"size", kInteger},
                                        {"message_id", kText},   {"case_id", kInteger},
                                        {"sender", kText},       {"subject_key", kText},
                                        {"kind", kText},         {"source", kText},
                                        {"status", kText},       {"error", kText},
                                        {"received_at", kInteger}};
constexpr CopyColumn kMailAttachments[] = {{"message_row", kInteger}, {"position", kInteger},
                                           {"sha256", kText},         {"filename", kText},
                                           {"content_type", kText},   {"content_id", kText},
                                           {"inline_part", kInteger}, {"size", kInteger}};
constexpr CopyColumn kMailThreadIds[] = {
    {"message_id", kText}, {"case_id", kInteger}, {"own", kInteger}, {"seq", kInteger}};
constexpr CopyColumn kMailParticipants[] = {{"case_id", kInteger}, {"address", kText}};
constexpr CopyColumn kMailOutbox[] = {{"id", kInteger},         {"case_id", kInteger},
                                      {"event_seq", kInteger},  {"purpose", kText},
                                      {"sender", kText},        {"recipients", kText},
                                      {"message_id", kText},    {"bytes", kBytes},
                                      {"status", kText},        {"attempts", kInteger},
                                      {"last_error", kText},    {"created_at", kInteger},
                                      {"updated_at", kInteger}};
constexpr CopyColumn kMailMailboxes[] = {{"name", kText},
                                         {"uidvalidity", kInteger},
                                         {"last_uid", kInteger},
                                         {"updated_at", kInteger}};
// Unused links are copied too: one mailed just before the move still works after it.
constexpr CopyColumn kSignInLinks[] = {{"id", kInteger},         {"token_hash", kText},
                                       {"customer_id", kInteger}, {"email", kText},
                                       {"requested_by", kText},   {"created_at", kInteger},
                                       {"expires_at", kInteger},  {"used_at", kInteger}};

constexpr CopyColumn kAttachments[] = {{"id", kInteger},          {"case_id", kInteger},
                                       {"uploaded_by", kText},     {"filename", kText},
                                       {"content_type", kText},    {"size", kInteger},
                                       {"sha256", kText},          {"bytes", kBytes},
                                       {"created_at", kInteger}};

constexpr std::array kCopied{
    CopiedTable{"customers", kCustomers, "id", true},
    CopiedTable{"customer_identities", kIdentities, "id", true},
    CopiedTable{"users", kUsers, "id", true},
    CopiedTable{"api_tokens", kApiTokens, "token_hash"},
    CopiedTable{"sessions", kSessions, "session_hash"},
    CopiedTable{"idempotency", kIdempotency, "scope, key"},
    CopiedTable{"cases", kCases, "id"},
    CopiedTable{"events", kEvents, "case_id, seq"},
    CopiedTable{"jobs", kJobs, "id", true},
    CopiedTable{"case_text", kCaseText, "case_id"},
    CopiedTable{"settings", kSettings, "key"},
    CopiedTable{"routing_cursors", kRoutingCursors, "level_id"},
    CopiedTable{"mail_blobs", kMailBlobs, "sha256"},
    CopiedTable{"mail_messages", kMailMessages, "id", true},
    CopiedTable{"mail_attachments", kMailAttachments, "message_row, position"},
    CopiedTable{"mail_thread_ids", kMailThreadIds, "case_id, seq"},
    CopiedTable{"mail_participants", kMailParticipants, "case_id, address"},
    CopiedTable{"mail_outbox", kMailOutbox, "id", true},
    CopiedTable{"mail_mailboxes", kMailMailboxes, "name"},
    CopiedTable{"sign_in_links", kSignInLinks, "id", true},
    CopiedTable{"attachments", kAttachments, "id", true},
};

constexpr std::array kNotCopied{
    NotCopied{"schema_migrations",
              "each database records its own migrations; the target is migrated to the same "
              "version before the copy"},
    NotCopied{"counters",
              "SQLite's case id counter; the copy sets the target's counter or sequence "
              "(case_ids) to the source's last case id"},
    NotCopied{"case_text.tsv", "PostgreSQL computes the search vector from case_text.text"},
    NotCopied{"case_text_data", "SQLite FTS5's own index storage, rebuilt from case_text rows"},
    NotCopied{"case_text_idx", "SQLite FTS5's own index storage, rebuilt from case_text rows"},
    NotCopied{"case_text_content", "SQLite FTS5's own copy of case_text rows"},
    NotCopied{"case_text_docsize", "SQLite FTS5's own index storage, rebuilt from case_text rows"},
    NotCopied{"case_text_config", "SQLite FTS5's own settings, written by the migration"},
};

}  // namespace

std::span<const CopiedTable> CopiedTables() { return kCopied; }
std::span<const NotCopied> NotCopiedTables() { return kNotCopied; }

}  // namespace redress::store
