#include "app/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace redress::app {
namespace {

// Spans 100 µs (a cached read) to 2.5 s (a slow write under contention); slower requests
// land in +Inf, which is itself the signal.
const std::vector<double> kHttpDurationBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                  0.005,  0.01,    0.025,  0.05,  0.1,
                                                  0.25,   0.5,     1,      2.5};

// Shortest text that reads back as the same double, in plain decimals where that stays
// short ("0.0001", not "1e-04"), as people read bucket bounds on dashboards.
std::string FormatDouble(double value) {
  char buffer[64];
  const double magnitude = std::fabs(value);
  const bool plain = value == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  auto [end, ec] = plain ? std::to_chars(buffer, buffer + sizeof(buffer), value,
                                         std::chars_format::fixed)
                         : std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (ec != std::errc()) return "NaN";
  return std::string(buffer, end);
}

// Text format 0.0.4: label values escape backslash, double quote and line feed.
std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Label(std::string_view name, std::string_view value) {
  std::string out(name);
  out += "=\"";
  out += EscapeLabelValue(value);
  out += '"';
  return out;
}

std::string Braced(const std::string& labels) {
  return labels.empty() ? std::string() : "{" + labels + "}";
}

void AppendHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void AppendSample(std::string& out, std::string_view name, const std::string& labels,
                  int64_t value) {
  out.append(name).append(Braced(labels)).append(" ").append(std::to_string(value)).append("\n");
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  // +Inf is always emitted; a NaN bound would break the ordering lower_bound relies on.
  std::erase_if(bounds_, [](double b) { return !std::isfinite(b); });
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  counts_ = std::make_unique<std::atomic<int64_t>[]>(bounds_.size() + 1);
}

void Histogram::Observe(double seconds) {
  if (!(seconds >= 0)) seconds = 0;  // also catches NaN
  // Bucket `le` counts observations <= le: the first bound not below `seconds`.
  size_t index = static_cast<size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
  counts_[index].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(std::llround(seconds * 1e6), std::memory_order_relaxed);
  total_.fetch_add(1, std::memory_order_relaxed);
}

std::string Histogram::Render(const std::string& name, const std::string& labels) const {
  const std::string prefix = labels.empty() ? std::string() : labels + ",";
  std::string out;
  // Buckets are read one by one while others may still observe, so a scrape can be off by
  // an in-flight observation; +Inf and _count use the same cumulative sum so that they
  // always agree with each other, which is what Prometheus checks.
  int64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    out.append(name).append("_bucket{").append(prefix).append("le=\"");
    out.append(FormatDouble(bounds_[i])).append("\"} ").append(std::to_string(cumulative));
    out.append("\n");
  }
  cumulative += counts_[bounds_.size()].load(std::memory_order_relaxed);
  out.append(name).append("_bucket{").append(prefix).append("le=\"+Inf\"} ");
  out.append(std::to_string(cumulative)).append("\n");
  const double sum = static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
  out.append(name).append("_sum").append(Braced(labels)).append(" ");
  out.append(FormatDouble(sum)).append("\n");
  out.append(name).append("_count").append(Braced(labels)).append(" ");
  out.append(std::to_string(cumulative)).append("\n");
  return out;
}

Counter& Metrics::HttpRequests(const std::string& method, const std::string& route, int status) {
  std::string key = Label("method", method) + "," + Label("route", route) + "," +
                    Label("status", std::to_string(status));
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Counter>& counter = requests_[std::move(key)];
  if (!counter) counter = std::make_unique<Counter>();
  return *counter;
}

Histogram& Metrics::HttpDuration(const std::string& route) {
  std::string key = Label("route", route);
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Histogram>& histogram = durations_[std::move(key)];
  if (!histogram) histogram = std::make_unique<Histogram>(kHttpDurationBuckets);
  return *histogram;
}

std::string Metrics::Render(const std::string& extra) const {
  std::string out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    constexpr std::string_view kRequests = "redress_http_requests_total";
    AppendHeader(out, kRequests, "counter", "HTTP requests handled, by method, route and status.");
    for (const auto& [labels, counter] : requests_) {
      AppendSample(out, kRequests, labels, counter->Value());
    }
    constexpr std::string_view kDuration = "redress_http_request_duration_seconds";
    AppendHeader(out, kDuration, "histogram", "HTTP request duration in seconds, by route.");
    for (const auto& [labels, histogram] : durations_) {
      out += histogram->Render(std::string(kDuration), labels);
    }
  }
  constexpr std::string_view kEvents = "redress_events_appended_total";
  AppendHeader(out, kEvents, "counter", "Events appended to case records.");
  AppendSample(out, kEvents, {}, events_appended_.Value());
  constexpr std::string_view kCases = "redress_cases_opened_total";
  AppendHeader(out, kCases, "counter", "Cases opened.");
  AppendSample(out, kCases, {}, cases_opened_.Value());
  struct Background {
    std::string_view name;
    std::string_view help;
    const Counter& counter;
  };
  for (const Background& b : {
           Background{"redress_background_done_total",
                      "Jobs and deadline timers run to completion by this node.", background_done_},
           Background{"redress_background_retried_total",
                      "Jobs and deadline timers whose handler failed; each is retried later.",
                      background_retried_},
           Background{"redress_background_lost_total",
                      "Jobs whose lease another node took over before this one finished.",
                      background_lost_},
           Background{"redress_background_errors_total",
                      "Claims or writes of background work the store refused.", background_errors_},
       }) {
    AppendHeader(out, b.name, "counter", b.help);
    AppendSample(out, b.name, {}, b.counter.Value());
  }
  out += extra;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace redress::app
