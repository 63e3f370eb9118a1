#include "engine/mail_poll_job.h"

#include <future>
#include <optional>
#include <utility>
#include <vector>

#include "app/log.h"
#include "app/mail_server_endpoint.h"

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
  auto endpoint = app::ToMailEndpoint(box.server, app::kImapSchemes, "mail.mailboxes " + box.name);
  if (!endpoint) return Fail(endpoint.error());
  config.endpoint = std::move(*endpoint);
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
                                       int max_messages, const std::function<bool()>& keep_going,
                                       const FiledObserver& on_filed) {
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
  // Messages are fetched a chunk at a time and filed with IngestBatch, so a chunk shares
  // its commits. While the store files one chunk, this thread fetches and parses the next,
  // so the network, the parser and the store's writer work side by side. Once a chunk's
  // write has committed, its stored messages are marked on the server with one command,
  // and only then does the cursor move past them. A crash in between re-fetches messages
  // that are already stored, and the store drops them again by their raw hash.
  struct Chunk {
    std::vector<uint32_t> uids;  // the uids handled, in order
    std::vector<bool> gone;      // per uid: deleted between the listing and the fetch
    std::vector<app::PreparedMail> mails;
  };
  size_t position = 0;
  bool stop = false;
  std::optional<Error> fetch_failure;  // reported once what was fetched before it is filed
  auto fetch_chunk = [&]() {
    Chunk chunk;
    size_t bytes = 0;
    while (!stop && position < pending->uids.size() && chunk.mails.size() < kMailPollChunk &&
           bytes < kMailPollChunkBytes) {
      if (report.fetched >= max_messages) {
        report.more = true;
        stop = true;
        break;
      }
      if (!keep_going()) {
        stop = true;
        break;
      }
      const uint32_t uid = pending->uids[position];
      auto raw = mailbox.Fetch(pending->uidvalidity, uid);
      if (!raw && raw.error().code != ErrorCode::kNotFound) {
        fetch_failure = raw.error();
        stop = true;
        break;
      }
      ++position;
      chunk.uids.push_back(uid);
      chunk.gone.push_back(!raw);
      if (!raw) continue;  // nothing to store
      ++report.fetched;
      bytes += raw->size();
      chunk.mails.push_back(intake.Prepare(std::move(*raw)));
    }
    return chunk;
  };

  for (Chunk chunk = fetch_chunk(); !chunk.uids.empty();) {
    const Timestamp now = clock.Now();
    auto filing = std::async(std::launch::async, [&intake, &store, &chunk, &source, now] {
      return intake.IngestBatch(store, chunk.mails, source, now);
    });
    Chunk following = fetch_chunk();  // while the store files `chunk`
    const std::vector<Result<app::IntakeResult>> filed = filing.get();

    std::optional<Error> failure;
    std::vector<uint32_t> stored;
    std::vector<size_t> stored_results;  // index into `filed` of each stored uid
    int64_t passed = next.last_uid;      // the cursor may move up to here
    for (size_t c = 0, m = 0; c < chunk.uids.size(); ++c) {
      if (!chunk.gone[c]) {
        const Result<app::IntakeResult>& result = filed[m++];
        if (!result) {
          failure = result.error();
          break;
        }
        if (result->outcome == app::IntakeOutcome::kDuplicate) {
          ++report.duplicates;
        } else {
          ++report.filed;
        }
        stored.push_back(chunk.uids[c]);
        stored_results.push_back(m - 1);
      }
      passed = chunk.uids[c];
    }
    if (auto marked = mailbox.MarkProcessed(pending->uidvalidity, stored); !marked) {
      return Fail(marked.error());  // the cursor stays: the chunk is read (and dropped) again
    }
    if (on_filed) {
      for (size_t i = 0; i < stored.size(); ++i) on_filed(stored[i], *filed[stored_results[i]]);
    }
    if (passed != next.last_uid) {
      next.last_uid = passed;
      if (auto saved = SaveCursor(store, box.name, next, clock.Now()); !saved) {
        return Fail(saved.error());
      }
    }
    if (failure) return Fail(*failure);
    chunk = std::move(following);
  }
  if (fetch_failure) return Fail(*fetch_failure);
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
  for (const auto& [name, box] : boxes_) {
    if (!box.config.idle) continue;
    watchers_.emplace_back(
        [this, name = name, config = box.mailbox->config()] { Watch(name, config); });
  }
  return {};
}

void MailPoller::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  InterruptWatchers();
  if (thread_.joinable()) thread_.join();
  for (std::thread& watcher : watchers_) watcher.join();
  watchers_.clear();
}

bool MailPoller::ChangedSincePollBegan(const std::string& name) {
  std::lock_guard lock(mu_);
  return changed_.contains(name);
}

bool MailPoller::Stopping() {
  std::lock_guard lock(mu_);
  return stopping_;
}

void MailPoller::Loop() {
  for (;;) {
    RunDuePolls();
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || nudged_; });
    if (stopping_) return;
    nudged_ = false;
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
      {
        std::lock_guard lock(mu_);
        changed_.erase(job.key);  // this poll sees whatever changed until now
      }
      auto polled = PollMailboxOnce(store_, intake_, box.config, *box.mailbox, clock_,
                                    kMaxMessagesPerPoll, [this] { return !Stopping(); });
      const Timestamp now = clock_.Now();
      again = now + std::chrono::seconds(box.config.poll_seconds);
      if (!polled) {
        error = polled.error().message;
        app::Log(app::LogLevel::kWarn, "mailbox poll failed; will poll again",
                 {{"mailbox", box.config.name}, {"error", error}});
      } else {
        if (polled->more || Stopping() || ChangedSincePollBegan(job.key)) again = now;
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
