#include "app/policy_holder.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>
#include <utility>

#include "app/log.h"
#include "policy/policy_loader.h"

namespace redress::app {
namespace {

// Stored policies are named so in messages; the admin sees the line numbers of the text
// they sent.
constexpr char kStoredName[] = "escalation.toml";

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read the escalation policy file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

const char* PolicyOriginName(PolicyOrigin origin) {
  switch (origin) {
    case PolicyOrigin::kBuiltIn:
      return "built-in";
    case PolicyOrigin::kFile:
      return "file";
    case PolicyOrigin::kDatabase:
      return "database";
  }
  return "built-in";
}

Result<void> SchedulePolicyRefresh(store::WriteTx& tx, int64_t version, int64_t after_case_id,
                                   Timestamp now) {
  store::JobSpec job{kPolicyRefreshJobKind,
                     "policy:v" + std::to_string(version) + "@" + std::to_string(after_case_id),
                     now,
                     boost::json::serialize(boost::json::object{{"version", version},
                                                                 {"after_case_id", after_case_id}})};
  auto scheduled = tx.ScheduleJob(job);
  if (!scheduled) return Fail(scheduled.error());
  return {};
}

const std::string& BuiltInPolicySource() {
  static const std::string source = R"toml(# Built-in escalation matrix: used when no policy file is configured and no admin
# has stored one. Three levels around the clock, without members: escalated cases wait in
# the level's queue. Replace it with PUT /api/v1/admin/escalation-policy or a policy file.
version = 1

[calendars.always]
time_zone = "UTC"

[calendars.always.hours]
daily = ["00:00-24:00"]

[levels.l1]
name = "L1 Customer care"
calendar = "always"
credit_limit = { INR = 50000, EUR = 5000, USD = 5000 }

[levels.l1.sla.default]
first_response = "8h"
next_update = "24h"
resolution = "72h"

[levels.l2]
name = "L2 Escalations"
calendar = "always"
credit_limit = { INR = 500000, EUR = 50000, USD = 50000 }

[levels.l2.sla.default]
first_response = "4h"
next_update = "24h"
resolution = "72h"

[levels.l3]
name = "L3 Grievance officer"
calendar = "always"
credit_limit = { INR = 2500000, EUR = 250000, USD = 250000 }

[levels.l3.sla.default]
first_response = "24h"
next_update = "24h"
resolution = "120h"

[[ladders]]
id = "default"
categories = ["*"]
levels = ["l1", "l2", "l3"]
)toml";
  return source;
}

Result<std::unique_ptr<PolicyHolder>> PolicyHolder::Load(store::Store& store, const Clock& clock,
                                                         const std::string& file) {
  RunningPolicy running;
  running.loaded_at = clock.Now();
  auto stored = store.GetSetting(kPolicySettingKey);
  if (!stored) return Fail(stored.error());
  if (*stored) {
    auto loaded = policy::LoadEscalationPolicy((*stored)->value, kStoredName);
    if (!loaded) {
      Error error = loaded.error();
      error.message = "the escalation policy stored in the database does not load: " +
                      error.message;
      return Fail(std::move(error));
    }
    running = {std::move(*loaded), (*stored)->value, PolicyOrigin::kDatabase, running.loaded_at,
               (*stored)->version};
  } else if (!file.empty()) {
    auto text = ReadFile(file);
    if (!text) return Fail(text.error());
    auto loaded = policy::LoadEscalationPolicy(*text, file);
    if (!loaded) return Fail(loaded.error());
    running = {std::move(*loaded), std::move(*text), PolicyOrigin::kFile, running.loaded_at, 0};
  } else {
    auto loaded = policy::LoadEscalationPolicy(BuiltInPolicySource(), "built-in policy");
    if (!loaded) return Fail(loaded.error());
    running = {std::move(*loaded), BuiltInPolicySource(), PolicyOrigin::kBuiltIn,
               running.loaded_at, 0};
  }
  return std::unique_ptr<PolicyHolder>(new PolicyHolder(store, clock, std::move(running)));
}

PolicyHolder::~PolicyHolder() {
  {
    std::lock_guard lock(poll_mu_);
    stopping_ = true;
  }
  poll_wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

std::shared_ptr<const policy::EscalationPolicy> PolicyHolder::Get() const {
  std::lock_guard lock(mu_);
  return running_.policy;
}

RunningPolicy PolicyHolder::Current() const {
  std::lock_guard lock(mu_);
  return running_;
}

void PolicyHolder::Swap(RunningPolicy running) {
  std::lock_guard lock(mu_);
  // Two refreshes racing must not go back to an older stored version.
  if (running.origin == PolicyOrigin::kDatabase && running_.origin == PolicyOrigin::kDatabase &&
      running.version < running_.version) {
    return;
  }
  running_ = std::move(running);
}

Result<RunningPolicy> PolicyHolder::Replace(const std::string& source) {
  auto loaded = policy::LoadEscalationPolicy(source, kStoredName);
  if (!loaded) return Fail(loaded.error());
  const Timestamp now = clock_.Now();
  int64_t version = 0;
  auto written = store_.Write([&](store::WriteTx& tx) -> Result<void> {
    auto put = tx.PutSetting(kPolicySettingKey, source, now);
    if (!put) return Fail(put.error());
    version = *put;
    return SchedulePolicyRefresh(tx, version, 0, now);
  });
  if (!written) return Fail(written.error());
  RunningPolicy running{std::move(*loaded), source, PolicyOrigin::kDatabase, now, version};
  Swap(running);
  Log(LogLevel::kInfo, "escalation policy replaced", {{"version", version}});
  return running;
}

Result<bool> PolicyHolder::Refresh() {
  auto stored = store_.GetSetting(kPolicySettingKey);
  if (!stored) return Fail(stored.error());
  if (!*stored) return false;
  {
    std::lock_guard lock(mu_);
    if (running_.origin == PolicyOrigin::kDatabase && running_.version == (*stored)->version) {
      return false;
    }
  }
  auto loaded = policy::LoadEscalationPolicy((*stored)->value, kStoredName);
  if (!loaded) {
    Log(LogLevel::kError, "the stored escalation policy does not load; keeping the running one",
        {{"version", (*stored)->version}, {"error", loaded.error().message}});
    return false;
  }
  Swap(RunningPolicy{std::move(*loaded), (*stored)->value, PolicyOrigin::kDatabase, clock_.Now(),
                     (*stored)->version});
  Log(LogLevel::kInfo, "escalation policy reloaded from the database",
      {{"version", (*stored)->version}});
  return true;
}

void PolicyHolder::StartPolling(std::chrono::milliseconds interval) {
  poller_ = std::thread([this, interval] {
    for (;;) {
      {
        std::unique_lock lock(poll_mu_);
        poll_wake_.wait_for(lock, interval, [this] { return stopping_; });
        if (stopping_) return;
      }
      if (auto refreshed = Refresh(); !refreshed) {
        Log(LogLevel::kWarn, "checking the stored escalation policy failed",
            {{"error", refreshed.error().message}});
      }
    }
  });
}

}  // namespace redress::app
