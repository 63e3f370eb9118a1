#include "app/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace redress::app {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    });
  }
  void TearDown() override {
    SetLogSinkForTesting({});
    InitLogging("info", "json");
  }

  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }

  boost::json::object OnlyJsonLine() {
    std::vector<std::string> lines = Lines();
    EXPECT_EQ(lines.size(), 1u);
    if (lines.empty()) return {};
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(lines[0], ec);
    EXPECT_FALSE(ec) << "not JSON: " << lines[0];
    EXPECT_TRUE(value.is_object()) << lines[0];
    return value.is_object() ? value.as_object() : boost::json::object();
  }

  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST_F(LogTest, JsonLineCarriesEnvelopeAndFields) {
  InitLogging("info", "json");
  const std::string request_id = "r-1";
  const std::string_view method = "POST";
  Log(LogLevel::kInfo, "request",
      {{"request_id", request_id}, {"method", method}, {"status", 201}, {"ok", true},
       {"duration_us", int64_t{812}}, {"ratio", 0.5}, {"path", std::string("/api/v1/cases")}});
  boost::json::object line = OnlyJsonLine();
  ASSERT_TRUE(line.contains("ts"));
  std::string ts(line.at("ts").as_string());
  EXPECT_EQ(ts.size(), 27u) << ts;
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(line.at("level").as_string(), "info");
  EXPECT_EQ(line.at("msg").as_string(), "request");
  EXPECT_EQ(line.at("request_id").as_string(), "r-1");
  EXPECT_EQ(line.at("method").as_string(), "POST");
  EXPECT_EQ(line.at("status").as_int64(), 201);
  EXPECT_EQ(line.at("ok").as_bool(), true);
  EXPECT_EQ(line.at("duration_us").as_int64(), 812);
  EXPECT_EQ(line.at("ratio").as_double(), 0.5);
  EXPECT_EQ(line.at("path").as_string(), "/api/v1/cases");
  // Envelope first, then fields in the order given.
  std::string raw = Lines()[0];
  EXPECT_EQ(raw.rfind("{\"ts\":\"", 0), 0u) << raw;
  EXPECT_LT(raw.find("\"level\""), raw.find("\"msg\""));
  EXPECT_LT(raw.find("\"msg\""), raw.find("\"request_id\""));
  EXPECT_LT(raw.find("\"request_id\""), raw.find("\"duration_us\""));
}

TEST_F(LogTest, LevelFiltering) {
  InitLogging("warn", "json");
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo));
  EXPECT_TRUE(LogEnabled(LogLevel::kWarn));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
  Log(LogLevel::kTrace, "t");
  Log(LogLevel::kDebug, "d");
  Log(LogLevel::kInfo, "i");
  Log(LogLevel::kWarn, "w");
  Log(LogLevel::kError, "e");
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(boost::json::parse(lines[0]).at("level").as_string(), "warn");
  EXPECT_EQ(boost::json::parse(lines[0]).at("msg").as_string(), "w");
  EXPECT_EQ(boost::json::parse(lines[1]).at("level").as_string(), "error");

  InitLogging("trace", "json");
  EXPECT_TRUE(LogEnabled(LogLevel::kTrace));
  Log(LogLevel::kTrace, "t");
  ASSERT_EQ(Lines().size(), 3u);
  EXPECT_EQ(boost::json::parse(Lines()[2]).at("level").as_string(), "trace");
}

TEST_F(LogTest, QuotesAndNewlinesAreEscaped) {
  InitLogging("info", "json");
  const std::string nasty = "say \"hi\"\nthen \\ leave\t\x01";
  Log(LogLevel::kInfo, nasty, {{"subject", nasty}});
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find('\n'), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find('\x01'), std::string::npos) << lines[0];
  boost::json::object line = OnlyJsonLine();
  EXPECT_EQ(line.at("msg").as_string(), nasty);
  EXPECT_EQ(line.at("subject").as_string(), nasty);
}

TEST_F(LogTest, FieldsCannotForgeEnvelope) {
  InitLogging("info", "json");
  Log(LogLevel::kError, "real", {{"level", "info"}, {"msg", "fake"}, {"ts", "then"}});
  boost::json::object line = OnlyJsonLine();
  EXPECT_EQ(line.at("level").as_string(), "error");
  EXPECT_EQ(line.at("msg").as_string(), "real");
  EXPECT_EQ(line.at("field_level").as_string(), "info");
  EXPECT_EQ(line.at("field_msg").as_string(), "fake");
  EXPECT_EQ(line.at("field_ts").as_string(), "then");
}

TEST_F(LogTest, InvalidUtf8StaysValidJson) {
  InitLogging("info", "json");
  Log(LogLevel::kInfo, "bad \xff bytes", {{"path", "/a\xc3"}});
  boost::json::object line = OnlyJsonLine();
  EXPECT_EQ(line.at("msg").as_string(), "bad \\xff bytes");
  EXPECT_EQ(line.at("path").as_string(), "/a\\xc3");
  Log(LogLevel::kInfo, "caf\xc3\xa9");  // valid UTF-8 passes through unchanged
  EXPECT_EQ(boost::json::parse(Lines()[1]).at("msg").as_string(), "caf\xc3\xa9");
}

TEST_F(LogTest, TextFormat) {
  InitLogging("debug", "text");
  Log(LogLevel::kDebug, "request done",
      {{"method", "GET"}, {"status", 200}, {"path", "/a b"}, {"note", "x=\"y\"\n"},
       {"empty", ""}});
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const std::string& line = lines[0];
  ASSERT_GT(line.size(), 28u);
  EXPECT_EQ(line[26], 'Z') << line;
  EXPECT_EQ(line.substr(27),
            " debug request done method=GET status=200 path=\"/a b\" note=\"x=\\\"y\\\"\\n\" "
            "empty=\"\"");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST_F(LogTest, TextFormatQuotesMessageWithNewline) {
  InitLogging("info", "text");
  Log(LogLevel::kWarn, "two\nlines");
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].substr(27), " warn \"two\\nlines\"");
}

TEST_F(LogTest, UnknownLevelFallsBackToInfoAndSaysSo) {
  InitLogging("loud", "json");
  EXPECT_TRUE(LogEnabled(LogLevel::kInfo));
  EXPECT_FALSE(LogEnabled(LogLevel::kDebug));
  boost::json::object line = OnlyJsonLine();
  EXPECT_EQ(line.at("level").as_string(), "warn");
  EXPECT_EQ(line.at("msg").as_string(), "unknown log level, using info");
  EXPECT_EQ(line.at("requested").as_string(), "loud");
}

TEST_F(LogTest, ConcurrentLinesAreWholeLines) {
  InitLogging("info", "json");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 250; ++i) Log(LogLevel::kInfo, "tick", {{"thread", t}, {"i", i}});
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 1000u);
  for (const std::string& line : lines) {
    boost::system::error_code ec;
    boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
  }
}

// The production path: spdlog's stderr sink with pattern "%v" must add exactly a newline.
TEST_F(LogTest, StderrGetsOneLinePerEntry) {
  SetLogSinkForTesting({});
  InitLogging("info", "json");
  std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "redress_log_test_stderr.txt";
  std::fflush(stderr);
  int saved = dup(STDERR_FILENO);
  ASSERT_GE(saved, 0);
  int file = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(file, 0);
  ASSERT_GE(dup2(file, STDERR_FILENO), 0);
  close(file);
  Log(LogLevel::kInfo, "to stderr", {{"n", 1}});
  Log(LogLevel::kDebug, "filtered");
  Log(LogLevel::kWarn, "second");
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);

  std::string content;
  std::ifstream in(path, std::ios::binary);
  char chunk[4096];
  while (in.read(chunk, sizeof(chunk)) || in.gcount() > 0) {
    content.append(chunk, static_cast<size_t>(in.gcount()));
  }
  std::filesystem::remove(path);
  size_t newline = content.find('\n');
  ASSERT_NE(newline, std::string::npos) << content;
  EXPECT_EQ(content.back(), '\n');
  EXPECT_EQ(std::count(content.begin(), content.end(), '\n'), 2) << content;
  boost::json::value first = boost::json::parse(content.substr(0, newline));
  EXPECT_EQ(first.at("msg").as_string(), "to stderr");
  EXPECT_EQ(first.at("n").as_int64(), 1);
  boost::json::value second = boost::json::parse(content.substr(newline + 1));
  EXPECT_EQ(second.at("msg").as_string(), "second");
}

}  // namespace
}  // namespace redress::app
