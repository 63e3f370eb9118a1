#include "engine/mail_poll_job.h"

#include <charconv>
#include <utility>

#include "app/log.h"

namespace redress::engine {
namespace {

namespace transport = email::transport;

tl::unexpected<Error> BadSetting(const app::MailboxConfig& box, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument, "[[mail.mailboxes]] " + box.name + ": " + what,
              "mail.mailboxes");
}

// The stored cursor of a mailbox ({0, 0} before its first poll).
Result<store::MailboxCursor> LoadCursor(store::Store& store, const std::string& name) {
  store::MailboxCursor cursor;
  auto read = store.Write([&](store::WriteTx& tx) -> Result<void> {
    auto got = tx.mail().GetMailboxCursor(name);
    if (!got) return Fail(got.error());
    if (*got) cursor = **got;
    return {};
  });
  if (!read) return Fail(read.error());
  return cursor;
}

Result<void> SaveCursor(store::Store& store, const std::string& name,
                        const store::MailboxCursor& cursor, Timestamp now) {
  return store.Write([&](store::WriteTx& tx) { return tx.mail().SetMailboxCursor(name, cursor, now); });
}

}  // namespace

Result<transport::ImapMailboxConfig> ImapConfigFor(const app::MailboxConfig& box) {
  transport::ImapMailboxConfig config;
  const std::string& url = box.server.url;
  std::string_view rest;
  bool implicit = false;
  if (url.rfind("imaps://", 0) == 0) {
    rest = std::string_view(url).substr(8);
    implicit = true;
  } else if (url.rfind("imap://", 0) == 0) {
    rest = std::string_view(url).substr(7);
  } else {
    return BadSetting(box, "url must be imap://host[:port] or imaps://host[:port], got '" + url + "'");
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return BadSetting(box, "url has an unclosed '['");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return BadSetting(box, "url: expected ':' after ']'");
      port = rest.substr(close + 2);
    }
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty() || host.find('/') != std::string_view::npos) {
    return BadSetting(box, "url must be imap://host[:port] or imaps://host[:port], got '" + url + "'");
  }
  config.endpoint.host = std::string(host);
  config.endpoint.port = implicit ? 993 : 143;
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return BadSetting(box, "url has a bad port '" + std::string(port) + "'");
    }
    config.endpoint.port = static_cast<uint16_t>(value);
  }
  const std::string& tls = box.server.tls;
  if (tls.empty()) {
    config.endpoint.tls = implicit ? transport::TlsMode::kImplicit : transport::TlsMode::kStartTlsRequired;
  } else if (tls == "none") {
    config.endpoint.tls = transport::TlsMode::kNone;
  } else if (tls == "starttls_optional") {
    config.endpoint.tls = transport::TlsMode::kStartTlsOptional;
  } else if (tls == "starttls") {
    config.endpoint.tls = transport::TlsMode::kStartTlsRequired;
  } else {
    config.endpoint.tls = transport::TlsMode::kImplicit;
  }
  config.endpoint.username = box.server.username;
  if (!box.server.password_file.empty()) {
    auto password = app::ReadSecretFile(box.server.password_file,
                                        "[[mail.mailboxes]] " + box.name + " password_file");
    if (!password) return Fail(password.error());
    config.endpoint.password = std::move(*password);
  }
  config.endpoint.ca_file = box.server.ca_file;
  config.endpoint.operation_timeout = std::chrono::minutes(2);
  config.folder = box.folder;
  if (box.processed_folder.empty()) {
    config.mark = transport::MarkMode::kFlagSeen;
  } else {
    config.mark = transport::MarkMode::kMoveToFolder;
    config.processed_folder = box.processed_folder;
  }
  config.poll_interval = std::chrono::seconds(box.poll_seconds);
  return config;
}

Result<MailPollReport> PollMailboxOnce(store::Store& store, const app::MailIntake& intake,
                                       const app::MailboxConfig& box,
                                       transport::ImapMailbox& mailbox, Clock& clock,
                                       int max_messages, const std::function<bool()>& keep_going) {
  MailPollReport report;
  auto cursor = LoadCursor(store, box.name);
  if (!cursor) return Fail(cursor.error());
  transport::ImapCursor imap_cursor{static_cast<uint32_t>(cursor->uidvalidity),
                                    static_cast<uint32_t>(cursor->last_uid)};
  auto pending = mailbox.ListUnprocessed(imap_cursor);
  if (!pending) return Fail(pending.error());
  if (pending->uidvalidity_changed) {
    app::Log(app::LogLevel::kWarn, "mailbox UIDVALIDITY changed; reading the folder again",
             {{"mailbox", box.name},
              {"old", cursor->uidvalidity},
              {"new", static_cast<int64_t>(pending->uidvalidity)}});
  }
  const app::MailSource source{"imap:" + box.name, box.category};
  store::MailboxCursor next{static_cast<int64_t>(pending->uidvalidity),
                            pending->uidvalidity_changed ? 0 : cursor->last_uid};
  if (next.uidvalidity != cursor->uidvalidity && pending->uids.empty()) {
    if (auto saved = SaveCursor(store, box.name, next, clock.Now()); !saved) return Fail(saved.error());
  }
  for (uint32_t uid : pending->uids) {
    if (report.fetched >= max_messages) {
      report.more = true;
      break;
    }
    if (!keep_going()) break;
    auto raw = mailbox.Fetch(pending->uidvalidity, uid);
    if (!raw && raw.error().code == ErrorCode::kNotFound) {
      // Gone between the listing and the fetch (deleted by someone else): nothing to store.
      next.last_uid = uid;
      if (auto saved = SaveCursor(store, box.name, next, clock.Now()); !saved) {
        return Fail(saved.error());
      }
      continue;
    }
    if (!raw) return Fail(raw.error());
    ++report.fetched;
    auto filed = intake.IngestNow(store, std::move(*raw), source, clock.Now());
    if (!filed) return Fail(filed.error());
    if (filed->outcome == app::IntakeOutcome::kDuplicate) {
      ++report.duplicates;
    } else {
      ++report.filed;
    }
    // Only now, with the message durably stored: mark it, then move the cursor past it.
    if (auto marked = mailbox.MarkProcessed(pending->uidvalidity, uid); !marked) {
      return Fail(marked.error());
    }
    next.last_uid = uid;
    if (auto saved = SaveCursor(store, box.name, next, clock.Now()); !saved) {
      return Fail(saved.error());
    }
  }
  return report;
}

Result<std::unique_ptr<MailPoller>> MailPoller::Build(store::Store& store, Clock& clock,
                                                      const app::MailIntake& intake,
                                                      std::vector<app::MailboxConfig> boxes,
                                                      std::string owner) {
  std::unique_ptr<MailPoller> poller(new MailPoller(store, clock, intake, std::move(owner)));
  for (app::MailboxConfig& box : boxes) {
    auto config = ImapConfigFor(box);
    if (!config) return Fail(config.error());
    auto mailbox = transport::ImapMailbox::Open(std::move(*config));
    if (!mailbox) {
      return BadSetting(box, mailbox.error().message);
    }
    std::string name = box.name;
    poller->boxes_.emplace(
        name, Box{std::move(box), std::make_unique<transport::ImapMailbox>(std::move(*mailbox))});
  }
  return poller;
}

MailPoller::~MailPoller() { Stop(); }

Result<void> MailPoller::Start() {
  const Timestamp now = clock_.Now();
  auto scheduled = store_.Write([&](store::WriteTx& tx) -> Result<void> {
    for (const auto& [name, box] : boxes_) {
      auto added = tx.ScheduleJob(store::JobSpec{kMailPollJobKind, name, now, "{}"});
      if (!added) return Fail(added.error());
    }
    return {};
  });
  if (!scheduled) return scheduled;
  thread_ = std::thread([this] { Loop(); });
  return {};
}

void MailPoller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool MailPoller::Stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

void MailPoller::Loop() {
  for (;;) {
    RunDuePolls();
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    if (stopping_) return;
  }
}

void MailPoller::RunDuePolls() {
  if (boxes_.empty() || Stopping()) return;
  std::vector<store::ClaimedJob> jobs;
  const Timestamp claimed_at = clock_.Now();
  auto claimed = store_.Write([&](store::WriteTx& tx) -> Result<void> {
    auto got = tx.ClaimJobs(store::JobClaim{kMailPollJobKind, owner_, claimed_at,
                                            kMailPollLease, static_cast<int>(boxes_.size())});
    if (!got) return Fail(got.error());
    jobs = std::move(*got);
    return {};
  });
  if (!claimed) {
    app::Log(app::LogLevel::kError, "claiming mailbox polls failed",
             {{"error", claimed.error().message}});
    return;
  }
  for (const store::ClaimedJob& job : jobs) {
    auto it = boxes_.find(job.key);
    Timestamp again = clock_.Now() + std::chrono::minutes(1);
    std::string error;
    if (it == boxes_.end()) {
      // Another node's mailbox (configurations differ between nodes): leave it to that one.
      error = "mailbox '" + job.key + "' is not configured on node " + owner_;
    } else {
      Box& box = it->second;
      auto polled = PollMailboxOnce(store_, intake_, box.config, *box.mailbox, clock_,
                                    kMaxMessagesPerPoll, [this] { return !Stopping(); });
      const Timestamp now = clock_.Now();
      again = now + std::chrono::seconds(box.config.poll_seconds);
      if (!polled) {
        error = polled.error().message;
        app::Log(app::LogLevel::kWarn, "mailbox poll failed; will poll again",
                 {{"mailbox", box.config.name}, {"error", error}});
      } else {
        if (polled->more || Stopping()) again = now;
        if (polled->fetched > 0) {
          app::Log(app::LogLevel::kInfo, "mailbox polled",
                   {{"mailbox", box.config.name}, {"fetched", polled->fetched},
                    {"filed", polled->filed}, {"duplicates", polled->duplicates}});
        }
      }
    }
    auto given_back = store_.Write(
        [&](store::WriteTx& tx) { return tx.RetryJob(job.id, owner_, again, error); });
    if (!given_back && given_back.error().code != ErrorCode::kConflict) {
      app::Log(app::LogLevel::kError, "giving a mailbox poll back failed",
               {{"mailbox", job.key}, {"error", given_back.error().message}});
    }
  }
}

}  // namespace redress::engine
