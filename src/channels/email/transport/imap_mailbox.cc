#include "channels/email/transport/imap_mailbox.h"

#include <algorithm>

#include "channels/email/transport/curl_session.h"
#include "channels/email/transport/imap_response.h"
#include "core/ascii.h"

namespace redress::email::transport {
namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return AsciiLower(haystack).find(AsciiLower(needle)) != std::string::npos;
}

bool IsConnectionTrouble(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      return true;
    default:
      return false;
  }
}

// What the server said about the failed command: its tagged NO or BAD (or a BYE), not
// the "OK Logout completed" curl collects after it when it closes the connection.
std::string ServerComplaint(const std::vector<WireLine>& wire) {
  for (auto it = wire.rbegin(); it != wire.rend(); ++it) {
    if (!it->from_server) continue;
    std::string lowered = AsciiLower(it->text);
    size_t space = lowered.find(' ');
    if (space == std::string::npos) continue;
    std::string_view status = std::string_view(lowered).substr(space + 1, 4);
    if (status.starts_with("no ") || status.starts_with("bad ") ||
        (lowered.starts_with("* bye") && lowered.find("logging out") == std::string::npos)) {
      return it->text;
    }
  }
  return {};
}

}  // namespace

Result<ImapMailbox> ImapMailbox::Open(ImapMailboxConfig config) {
  if (config.endpoint.host.empty() || config.endpoint.port == 0) {
    return Fail(ErrorCode::kInvalidArgument, "the IMAP server needs a host and a port", "endpoint");
  }
  auto quoted = QuoteFolderName(config.folder);
  if (!quoted) return Fail(ErrorCode::kInvalidArgument, quoted.error().message, "folder");
  std::string quoted_processed;
  if (config.mark == MarkMode::kMoveToFolder) {
    auto processed = QuoteFolderName(config.processed_folder);
    if (!processed) {
      return Fail(ErrorCode::kInvalidArgument,
                  "moving processed mail needs a folder: " + processed.error().message,
                  "processed_folder");
    }
    if (config.processed_folder == config.folder) {
      return Fail(ErrorCode::kInvalidArgument,
                  "processed mail cannot be moved to the folder it is read from",
                  "processed_folder");
    }
    quoted_processed = *processed;
  }
  ImapMailbox mailbox(std::move(config));
  mailbox.quoted_folder_ = *quoted;
  mailbox.quoted_processed_folder_ = std::move(quoted_processed);
  return mailbox;
}

ImapMailbox::ImapMailbox(ImapMailboxConfig config)
    : config_(std::move(config)),
      session_(std::make_unique<CurlSession>(config_.endpoint, "imap", "imaps")) {}
ImapMailbox::ImapMailbox(ImapMailbox&&) noexcept = default;
ImapMailbox& ImapMailbox::operator=(ImapMailbox&&) noexcept = default;
ImapMailbox::~ImapMailbox() = default;

std::string ImapMailbox::FolderUrl(const std::string& folder, uint32_t uidvalidity) const {
  char* escaped =
      curl_easy_escape(session_->handle(), folder.c_str(), static_cast<int>(folder.size()));
  std::string url = session_->base_url() + "/" + escaped;
  curl_free(escaped);
  // curl re-checks UIDVALIDITY when it selects the folder and fails if it changed, so a
  // UID can never be applied to the wrong message.
  if (uidvalidity != 0) url += ";UIDVALIDITY=" + std::to_string(uidvalidity);
  return url;
}

Error ImapMailbox::Explain(int curl_code, const std::string& what) const {
  auto code = static_cast<CURLcode>(curl_code);
  std::string where =
      "IMAP server " + config_.endpoint.host + ":" + std::to_string(config_.endpoint.port);
  std::string said = ServerComplaint(session_->wire());
  std::string curl_says = session_->CurlMessage(code);
  if (code == CURLE_LOGIN_DENIED) {
    return {ErrorCode::kUnauthenticated,
            where + " refused the login of user '" + config_.endpoint.username +
                "' (wrong user name or password?): " + said,
            "endpoint.password"};
  }
  if (IsConnectionTrouble(code)) {
    return {ErrorCode::kUnavailable, what + ": " + where + ": " + curl_says, {}};
  }
  if (code == CURLE_REMOTE_FILE_NOT_FOUND && Contains(curl_says, "UIDVALIDITY")) {
    return {ErrorCode::kConflict,
            what + ": the UIDVALIDITY of folder '" + config_.folder +
                "' changed; list the folder again",
            {}};
  }
  // Servers name a missing folder with a response code (RFC 5530) or only in words.
  if (code == CURLE_REMOTE_FILE_NOT_FOUND || Contains(said, "[NONEXISTENT]") ||
      Contains(said, "[TRYCREATE]") || Contains(said, "doesn't exist") ||
      Contains(said, "does not exist") || Contains(said, "no such mailbox")) {
    return {ErrorCode::kNotFound, what + ": " + where + " says: " + said, {}};
  }
  if (Contains(said, "[UNAVAILABLE]") || Contains(said, "[INUSE]") || Contains(said, "[LIMIT]") ||
      Contains(said, "[SERVERBUG]")) {
    return {ErrorCode::kUnavailable, what + ": " + where + " says: " + said, {}};
  }
  return {ErrorCode::kInternal,
          what + ": " + where + " failed (" + curl_says + ")" + (said.empty() ? "" : ": " + said),
          {}};
}

Result<std::string> ImapMailbox::Run(const std::string& folder, uint32_t uidvalidity,
                                     const std::string& command, const std::string& what) {
  session_->ResetForNextOperation();
  std::string url = folder.empty() ? session_->base_url() + "/" : FolderUrl(folder, uidvalidity);
  std::string output;
  curl_easy_setopt(session_->handle(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(session_->handle(), CURLOPT_CUSTOMREQUEST, command.c_str());
  session_->CaptureBodyInto(&output);
  CURLcode code = session_->Perform();
  if (code != CURLE_OK) return Fail(Explain(code, what));
  return output;
}

void ImapMailbox::Reconnect() {
  session_ = std::make_unique<CurlSession>(config_.endpoint, "imap", "imaps");
}

Result<PendingMessages> ImapMailbox::ListUnprocessed(const ImapCursor& cursor) {
  // A fresh connection per poll: a session that keeps a folder selected may not see mail
  // that arrived since (servers announce it only when they choose), nor a recreated folder.
  Reconnect();
  auto status = Run("", 0, "STATUS " + quoted_folder_ + " (UIDVALIDITY)",
                    "reading the UIDVALIDITY of folder '" + config_.folder + "'");
  if (!status) return Fail(status.error());
  std::optional<uint32_t> uidvalidity = ParseUidValidity(*status);
  if (!uidvalidity) {
    return Fail(ErrorCode::kInternal, "the IMAP server sent no UIDVALIDITY for folder '" +
                                          config_.folder + "': " + *status);
  }
  PendingMessages pending;
  pending.uidvalidity = *uidvalidity;
  pending.uidvalidity_changed = cursor.uidvalidity != 0 && cursor.uidvalidity != *uidvalidity;
  uint32_t after = pending.uidvalidity_changed ? 0 : cursor.last_uid;
  // "n:*" always includes the highest UID, even when it is below n (RFC 3501 6.4.8), so the
  // answer is filtered below.
  auto search = Run(config_.folder, pending.uidvalidity,
                    "UID SEARCH UID " + std::to_string(static_cast<uint64_t>(after) + 1) + ":*",
                    "searching folder '" + config_.folder + "'");
  if (!search) return Fail(search.error());
  auto uids = ParseSearchUids(*search);
  if (!uids) return Fail(ErrorCode::kInternal, uids.error().message);
  for (uint32_t uid : *uids) {
    if (uid > after) pending.uids.push_back(uid);
  }
  return pending;
}

Result<std::string> ImapMailbox::Fetch(uint32_t uidvalidity, uint32_t uid) {
  std::string what = "fetching UID " + std::to_string(uid) + " of folder '" + config_.folder + "'";
  std::string raw;
  CURLcode code = CURLE_OK;
  for (int attempt = 0; attempt < 2; ++attempt) {
    session_->ResetForNextOperation();
    std::string url = FolderUrl(config_.folder, uidvalidity) + ";UID=" + std::to_string(uid);
    raw.clear();
    curl_easy_setopt(session_->handle(), CURLOPT_URL, url.c_str());
    session_->CaptureBodyInto(&raw);
    code = session_->Perform();
    // curl takes the first untagged FETCH after its command as the answer; an unsolicited
    // one (another client changed flags) makes it give up with this code. Once more on a
    // fresh connection, where nothing is pending.
    if (code != CURLE_WEIRD_SERVER_REPLY) break;
    Reconnect();
  }
  if (code != CURLE_OK) return Fail(Explain(code, what));
  if (raw.empty()) {
    return Fail(ErrorCode::kNotFound, what + ": no such message (expunged or moved?)");
  }
  return raw;
}

Result<void> ImapMailbox::MarkProcessed(uint32_t uidvalidity, uint32_t uid) {
  return MarkProcessed(uidvalidity, std::span<const uint32_t>(&uid, 1));
}

Result<void> ImapMailbox::MarkProcessed(uint32_t uidvalidity, std::span<const uint32_t> uids) {
  if (uids.empty()) return {};
  std::string uid_text = UidSet(uids);
  std::string what = std::string(uids.size() == 1 ? "marking UID " : "marking UIDs ") + uid_text +
                     " of folder '" + config_.folder + "'";
  if (config_.mark == MarkMode::kFlagSeen) {
    auto stored =
        Run(config_.folder, uidvalidity, "UID STORE " + uid_text + " +FLAGS.SILENT (\\Seen)", what);
    if (!stored) return Fail(stored.error());
    return {};
  }
  std::string move = "UID MOVE " + uid_text + " " + quoted_processed_folder_;
  auto moved = Run(config_.folder, uidvalidity, move, what);
  if (moved) return {};
  if (!Contains(moved.error().message, "[TRYCREATE]")) return Fail(moved.error());
  // [TRYCREATE]: the processed folder does not exist yet. Create it once and move again.
  auto created = Run("", 0, "CREATE " + quoted_processed_folder_,
                     "creating folder '" + config_.processed_folder + "'");
  if (!created) return Fail(created.error());
  auto again = Run(config_.folder, uidvalidity, move, what);
  if (!again) return Fail(again.error());
  return {};
}

}  // namespace redress::email::transport
