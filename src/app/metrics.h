// Process metrics in the Prometheus text exposition format (version 0.0.4), served at
// /metrics. Counters and histograms are lock-free on the hot path (atomics); labelled
// series are created on first use under a mutex and then cached.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace redress::app {

class Counter {
 public:
  void Inc(int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

/// Fixed buckets in seconds, cumulative on output as Prometheus expects.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  /// Negative or NaN durations count as 0 (a clock step must not corrupt the buckets).
  void Observe(double seconds);
  /// The sample lines only (_bucket, _sum, _count; no # HELP/# TYPE). `labels` is a rendered,
  /// already escaped label list without braces, e.g. `route="/x"`, or empty.
  std::string Render(const std::string& name, const std::string& labels) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<int64_t>[]> counts_;  // bounds_.size() + 1 (+Inf)
  std::atomic<int64_t> sum_micros_{0};
  std::atomic<int64_t> total_{0};
};

class Metrics {
 public:
  /// http_requests_total{method,route,status}
  Counter& HttpRequests(const std::string& method, const std::string& route, int status);
  /// http_request_duration_seconds{route}
  Histogram& HttpDuration(const std::string& route);
  Counter& EventsAppended() { return events_appended_; }
  Counter& CasesOpened() { return cases_opened_; }
  /// What this node's job runners did: jobs and deadline timers run, given back after a
  /// failure (to be retried later), lost to another node's lease, and store refusals.
  Counter& BackgroundDone() { return background_done_; }
  Counter& BackgroundRetried() { return background_retried_; }
  Counter& BackgroundLost() { return background_lost_; }
  Counter& BackgroundErrors() { return background_errors_; }

  /// The whole registry in text format, plus `extra` lines appended verbatim (gauges read
  /// at scrape time, e.g. store statistics).
  std::string Render(const std::string& extra = {}) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Counter>> requests_;      // key: label string
  std::map<std::string, std::unique_ptr<Histogram>> durations_;  // key: label string
  Counter events_appended_;
  Counter cases_opened_;
  Counter background_done_;
  Counter background_retried_;
  Counter background_lost_;
  Counter background_errors_;
};

}  // namespace redress::app
