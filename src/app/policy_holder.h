// The escalation policy this node runs, shared by the reactor, the deadline jobs and the
// API. Where it comes from, first match wins: the database (an admin's PUT, setting
// "escalation_policy", so every node runs the same one), the file named by
// `[escalation] policy_file` / `serve --escalation-policy`, the built-in matrix.
//
// A policy is an immutable value behind a shared_ptr: Get() hands out the running one and a
// replacement swaps the pointer, so an evaluation in flight finishes with the policy it
// started with. An invalid policy never replaces the running one. Nodes notice another
// node's replacement by polling the setting's version (Refresh, every second while
// StartPolling runs).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/result.h"
#include "policy/escalation_policy.h"
#include "store/store.h"

namespace redress::app {

/// The setting key under which an admin's policy is stored.
inline constexpr char kPolicySettingKey[] = "escalation_policy";

/// The job kind that recomputes every case's due times after a replacement
/// (engine/policy_refresh_job.h); payload {"version": N, "after_case_id": N}.
inline constexpr char kPolicyRefreshJobKind[] = "policy_refresh";

/// Schedules the refresh of the cases after `after_case_id` for policy `version`, due now.
Result<void> SchedulePolicyRefresh(store::WriteTx& tx, int64_t version, int64_t after_case_id,
                                   Timestamp now);

enum class PolicyOrigin { kBuiltIn, kFile, kDatabase };
const char* PolicyOriginName(PolicyOrigin origin);  // "built-in", "file", "database"

struct RunningPolicy {
  std::shared_ptr<const policy::EscalationPolicy> policy;
  std::string source;  // the TOML text it was loaded from
  PolicyOrigin origin = PolicyOrigin::kBuiltIn;
  Timestamp loaded_at{};
  int64_t version = 0;  // the database setting's version; 0 when not from the database
};

/// The built-in matrix's TOML: one 24x7 ladder of three levels without members.
const std::string& BuiltInPolicySource();

class PolicyHolder {
 public:
  /// Loads the running policy (database > `file` > built-in). An invalid file or stored
  /// policy is an error naming the line: a server must not start on a policy it cannot read.
  static Result<std::unique_ptr<PolicyHolder>> Load(store::Store& store, const Clock& clock,
                                                    const std::string& file);
  ~PolicyHolder();  // stops polling
  PolicyHolder(const PolicyHolder&) = delete;
  PolicyHolder& operator=(const PolicyHolder&) = delete;

  std::shared_ptr<const policy::EscalationPolicy> Get() const;
  RunningPolicy Current() const;

  /// Validates `source`; if it loads, stores it for every node and runs it here at once,
  /// and schedules the refresh of every case's due times (kPolicyRefreshJobKind).
  /// Invalid: kInvalidArgument with the loader's message ("escalation.toml:12: ..."),
  /// and nothing changes.
  Result<RunningPolicy> Replace(const std::string& source);

  /// Reloads if the stored policy's version differs from the running one. Returns whether
  /// it changed. A stored policy that no longer loads (a newer binary wrote it) is logged
  /// and the running one kept.
  Result<bool> Refresh();

  /// Calls Refresh every `interval` on a thread of its own until destruction.
  void StartPolling(std::chrono::milliseconds interval = std::chrono::seconds(1));

 private:
  PolicyHolder(store::Store& store, const Clock& clock, RunningPolicy running)
      : store_(store), clock_(clock), running_(std::move(running)) {}
  void Swap(RunningPolicy running);

  store::Store& store_;
  const Clock& clock_;
  mutable std::mutex mu_;
  RunningPolicy running_;

  std::mutex poll_mu_;
  std::condition_variable poll_wake_;
  bool stopping_ = false;
  std::thread poller_;
};

}  // namespace redress::app
