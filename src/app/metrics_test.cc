#include "app/metrics.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace redress::app {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool Contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(HistogramTest, BucketsAreCumulative) {
  Histogram h({0.1, 0.5, 1});
  h.Observe(0.05);
  h.Observe(0.1);  // le is inclusive
  h.Observe(0.3);
  h.Observe(0.75);
  h.Observe(3);
  EXPECT_EQ(Lines(h.Render("t_seconds", "")),
            (std::vector<std::string>{
                "t_seconds_bucket{le=\"0.1\"} 2",
                "t_seconds_bucket{le=\"0.5\"} 3",
                "t_seconds_bucket{le=\"1\"} 4",
                "t_seconds_bucket{le=\"+Inf\"} 5",
                "t_seconds_sum 4.2",
                "t_seconds_count 5",
            }));
}

TEST(HistogramTest, LabelsPrecedeLe) {
  Histogram h({0.25});
  h.Observe(0.001);
  EXPECT_EQ(Lines(h.Render("d", "route=\"/a\"")),
            (std::vector<std::string>{
                "d_bucket{route=\"/a\",le=\"0.25\"} 1",
                "d_bucket{route=\"/a\",le=\"+Inf\"} 1",
                "d_sum{route=\"/a\"} 0.001",
                "d_count{route=\"/a\"} 1",
            }));
}

TEST(HistogramTest, NegativeAndNanCountAsZero) {
  Histogram h({0.001});
  h.Observe(-5);
  h.Observe(std::nan(""));
  std::vector<std::string> lines = Lines(h.Render("x", ""));
  EXPECT_TRUE(Contains(lines, "x_bucket{le=\"0.001\"} 2"));
  EXPECT_TRUE(Contains(lines, "x_sum 0"));
  EXPECT_TRUE(Contains(lines, "x_count 2"));
}

TEST(MetricsTest, RenderFormat) {
  Metrics m;
  m.HttpRequests("GET", "/api/v1/cases", 200).Inc();
  m.HttpRequests("GET", "/api/v1/cases", 200).Inc(2);
  m.HttpRequests("POST", "/api/v1/cases", 201).Inc();
  m.HttpDuration("/api/v1/cases").Observe(0.003);
  m.EventsAppended().Inc(7);
  m.CasesOpened().Inc();
  m.BackgroundDone().Inc(5);
  m.BackgroundRetried().Inc(2);
  m.BackgroundErrors().Inc();
  std::vector<std::string> lines = Lines(m.Render("redress_store_cases 12\n"));

  std::vector<std::string> expected_prefix = {
      "# HELP redress_http_requests_total HTTP requests handled, by method, route and status.",
      "# TYPE redress_http_requests_total counter",
      "redress_http_requests_total{method=\"GET\",route=\"/api/v1/cases\",status=\"200\"} 3",
      "redress_http_requests_total{method=\"POST\",route=\"/api/v1/cases\",status=\"201\"} 1",
      "# HELP redress_http_request_duration_seconds HTTP request duration in seconds, by route.",
      "# TYPE redress_http_request_duration_seconds histogram",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.0001\"} 0",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.00025\"} 0",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.0005\"} 0",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.001\"} 0",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.0025\"} 0",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.005\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.01\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.025\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.05\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.1\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.25\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"0.5\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"1\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"2.5\"} 1",
      "redress_http_request_duration_seconds_bucket{route=\"/api/v1/cases\",le=\"+Inf\"} 1",
      "redress_http_request_duration_seconds_sum{route=\"/api/v1/cases\"} 0.003",
      "redress_http_request_duration_seconds_count{route=\"/api/v1/cases\"} 1",
      "# HELP redress_events_appended_total Events appended to case records.",
      "# TYPE redress_events_appended_total counter",
      "redress_events_appended_total 7",
      "# HELP redress_cases_opened_total Cases opened.",
      "# TYPE redress_cases_opened_total counter",
      "redress_cases_opened_total 1",
      "# HELP redress_background_done_total Jobs and deadline timers run to completion by this "
      "node.",
      "# TYPE redress_background_done_total counter",
      "redress_background_done_total 5",
      "# HELP redress_background_retried_total Jobs and deadline timers whose handler failed; "
      "each is retried later.",
      "# TYPE redress_background_retried_total counter",
      "redress_background_retried_total 2",
      "# HELP redress_background_lost_total Jobs whose lease another node took over before this "
      "one finished.",
      "# TYPE redress_background_lost_total counter",
      "redress_background_lost_total 0",
      "# HELP redress_background_errors_total Claims or writes of background work the store "
      "refused.",
      "# TYPE redress_background_errors_total counter",
      "redress_background_errors_total 1",
      "redress_store_cases 12",
  };
  EXPECT_EQ(lines, expected_prefix);
}

TEST(MetricsTest, EmptyRegistryStillDescribesFamilies) {
  Metrics m;
  std::string text = m.Render();
  std::vector<std::string> lines = Lines(text);
  EXPECT_TRUE(Contains(lines, "# TYPE redress_http_requests_total counter"));
  EXPECT_TRUE(Contains(lines, "# TYPE redress_http_request_duration_seconds histogram"));
  EXPECT_TRUE(Contains(lines, "redress_events_appended_total 0"));
  EXPECT_TRUE(Contains(lines, "redress_cases_opened_total 0"));
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Metrics m;
  m.HttpRequests("GET", "/a\"b\\c\nd", 404).Inc();
  std::vector<std::string> lines = Lines(m.Render());
  EXPECT_TRUE(Contains(
      lines,
      "redress_http_requests_total{method=\"GET\",route=\"/a\\\"b\\\\c\\nd\",status=\"404\"} 1"))
      << m.Render();
}

TEST(MetricsTest, SameLabelsSameSeries) {
  Metrics m;
  Counter& a = m.HttpRequests("GET", "/x", 200);
  Counter& b = m.HttpRequests("GET", "/x", 200);
  Counter& c = m.HttpRequests("GET", "/x", 500);
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &c);
  EXPECT_EQ(&m.HttpDuration("/x"), &m.HttpDuration("/x"));
  EXPECT_NE(&m.HttpDuration("/x"), &m.HttpDuration("/y"));
}

TEST(MetricsTest, ConcurrentIncrementsAreExact) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      Counter& requests = m.HttpRequests("GET", "/busy", 200);
      Histogram& duration = m.HttpDuration("/busy");
      for (int i = 0; i < 100000; ++i) {
        m.EventsAppended().Inc();
        requests.Inc();
        duration.Observe(0.002);
      }
      // Series lookups race with each other and with the hot path above.
      for (int i = 0; i < 1000; ++i) {
        m.HttpRequests("POST", "/busy/" + std::to_string(i % 10), 201).Inc();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(m.EventsAppended().Value(), 400000);
  EXPECT_EQ(m.HttpRequests("GET", "/busy", 200).Value(), 400000);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(m.HttpRequests("POST", "/busy/" + std::to_string(i), 201).Value(), 400);
  }
  std::vector<std::string> lines = Lines(m.Render());
  EXPECT_TRUE(Contains(lines, "redress_events_appended_total 400000"));
  EXPECT_TRUE(Contains(
      lines, "redress_http_request_duration_seconds_bucket{route=\"/busy\",le=\"0.0025\"} 400000"));
  EXPECT_TRUE(
      Contains(lines, "redress_http_request_duration_seconds_count{route=\"/busy\"} 400000"));
  EXPECT_TRUE(Contains(lines, "redress_http_request_duration_seconds_sum{route=\"/busy\"} 800"));
}

}  // namespace
}  // namespace redress::app
