#include "app/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace redress::app {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  // Each test gets its own file so that tests can run in parallel processes.
  std::string WriteToml(const std::string& content) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::filesystem::path path = std::filesystem::path(::testing::TempDir()) /
                                 (std::string("redress_config_") + info->name() + ".toml");
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    paths_.push_back(path);
    return path.string();
  }

  void TearDown() override {
    for (const auto& path : paths_) std::filesystem::remove(path);
  }

  // The error message of loading `content`, with the file path stripped to "f".
  std::string FileError(const std::string& content, const Environment& env = {}) {
    std::string path = WriteToml(content);
    Result<Config> config = LoadConfig(path, env);
    if (config.has_value()) return "<loaded>";
    std::string message = config.error().message;
    if (message.rfind(path, 0) == 0) message = "f" + message.substr(path.size());
    return message;
  }

  std::string EnvError(const Environment& env) {
    Result<Config> config = LoadConfig(std::nullopt, env);
    return config.has_value() ? "<loaded>" : config.error().message;
  }

  std::vector<std::filesystem::path> paths_;
};

TEST_F(ConfigTest, Defaults) {
  Result<Config> config = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->db, "var/redress.db");
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
  EXPECT_EQ(config->threads, 2);
  EXPECT_EQ(config->body_limit_bytes, 1 << 20);
  EXPECT_EQ(config->session_ttl_hours, 12);
  EXPECT_FALSE(config->secure_cookies);
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->log_format, "json");
  EXPECT_TRUE(ValidateConfig(Config{}).has_value());
}

TEST_F(ConfigTest, FullFile) {
  std::string path = WriteToml(R"(# every key
[database]
url = "/srv/redress/redress.db"

[server]
listen = "[::1]:9090"
threads = 8
body_limit_bytes = 4194304

[auth]
session_ttl_hours = 24
secure_cookies = true

[log]
level = "debug"
format = "text"
)");
  Result<Config> config = LoadConfig(path, {});
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->db, "/srv/redress/redress.db");
  EXPECT_EQ(config->listen, "[::1]:9090");
  EXPECT_EQ(config->threads, 8);
  EXPECT_EQ(config->body_limit_bytes, 4194304);
  EXPECT_EQ(config->session_ttl_hours, 24);
  EXPECT_TRUE(config->secure_cookies);
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->log_format, "text");
}

TEST_F(ConfigTest, PartialFileKeepsOtherDefaults) {
  Result<Config> config = LoadConfig(WriteToml("[server]\nthreads = 4\n"), {});
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->threads, 4);
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
  EXPECT_EQ(config->log_level, "info");
}

TEST_F(ConfigTest, ExampleFileLoads) {
  // etc/redress.example.toml documents every key; it must stay loadable.
  std::filesystem::path example =
      std::filesystem::path(REDRESS_SOURCE_DIR) / "etc" / "redress.example.toml";
  Result<Config> config = LoadConfig(example.string(), {});
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
}

TEST_F(ConfigTest, MailExampleFileLoads) {
  // etc/mail.example.toml documents [mail] and [mail.smtp]; it must stay loadable.
  std::filesystem::path example =
      std::filesystem::path(REDRESS_SOURCE_DIR) / "etc" / "mail.example.toml";
  Result<Config> config = LoadConfig(example.string(), {});
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->mail.addresses, std::vector<std::string>{"support@acme.example"});
  EXPECT_EQ(config->mail.acknowledge_window_seconds, 86400);
  ASSERT_TRUE(config->mail.smtp.has_value());
  EXPECT_EQ(config->mail.smtp->url, "smtp://mail.acme.example:587");
}

TEST_F(ConfigTest, PublicUrlIsEmptyOrAnHttpUrlWithoutQuery) {
  Config config;
  EXPECT_TRUE(ValidateConfig(config));
  config.public_url = "https://help.acme.example";
  EXPECT_TRUE(ValidateConfig(config));
  for (const char* bad : {"ftp://help.acme.example", "help.acme.example", "https://", "https://x/?a=1",
                          "https://x/#top"}) {
    config.public_url = bad;
    Result<void> valid = ValidateConfig(config);
    ASSERT_FALSE(valid) << bad;
    EXPECT_EQ(valid.error().field, "web.public_url");
  }
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  std::string path = WriteToml(
      "[server]\nthreads = 8\nlisten = \"0.0.0.0:80\"\n[log]\nlevel = \"warn\"\n");
  Environment env = {{"REDRESS_THREADS", "3"},
                     {"REDRESS_DB", "/tmp/x.db"},
                     {"REDRESS_BODY_LIMIT_BYTES", "2048"},
                     {"REDRESS_SESSION_TTL_HOURS", "720"},
                     {"REDRESS_SECURE_COOKIES", "true"},
                     {"REDRESS_LOG_FORMAT", "text"},
                     {"REDRESS_SOMETHING_ELSE", "ignored"}};
  Result<Config> config = LoadConfig(path, env);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->threads, 3);
  EXPECT_EQ(config->listen, "0.0.0.0:80");  // file value, no env override
  EXPECT_EQ(config->log_level, "warn");
  EXPECT_EQ(config->db, "/tmp/x.db");
  EXPECT_EQ(config->body_limit_bytes, 2048);
  EXPECT_EQ(config->session_ttl_hours, 720);
  EXPECT_TRUE(config->secure_cookies);
  EXPECT_EQ(config->log_format, "text");

  Result<Config> listen = LoadConfig(path, {{"REDRESS_LISTEN", "localhost:0"}});
  ASSERT_TRUE(listen.has_value()) << listen.error().message;
  EXPECT_EQ(listen->listen, "localhost:0");
}

TEST_F(ConfigTest, FileErrorsCarryPositionAndKey) {
  EXPECT_EQ(FileError("[server]\nlisten = \"127.0.0.1:1\"\nthreads = 100\n"),
            "f:3:11: [server] threads must be an integer between 1 and 64, got 100");
  EXPECT_EQ(FileError("[server]\nthreads = 0\n"),
            "f:2:11: [server] threads must be an integer between 1 and 64, got 0");
  EXPECT_EQ(FileError("[server]\nthreads = \"4\"\n"),
            "f:2:11: [server] threads must be an integer between 1 and 64, got a string");
  EXPECT_EQ(FileError("[server]\nthreads = 4.0\n"),
            "f:2:11: [server] threads must be an integer between 1 and 64, got a float");
  EXPECT_EQ(FileError("[server]\nbody_limit_bytes = 1023\n"),
            "f:2:20: [server] body_limit_bytes must be an integer between 1024 and 67108864, "
            "got 1023");
  EXPECT_EQ(FileError("[server]\nbody_limit_bytes = 67108865\n"),
            "f:2:20: [server] body_limit_bytes must be an integer between 1024 and 67108864, "
            "got 67108865");
  EXPECT_EQ(FileError("[auth]\nsession_ttl_hours = 721\n"),
            "f:2:21: [auth] session_ttl_hours must be an integer between 1 and 720, got 721");
  EXPECT_EQ(FileError("[auth]\nsecure_cookies = \"yes\"\n"),
            "f:2:18: [auth] secure_cookies must be true or false, got a string");
  EXPECT_EQ(FileError("[log]\nlevel = \"verbose\"\n"),
            "f:2:9: [log] level must be one of trace, debug, info, warn, error, got 'verbose'");
  EXPECT_EQ(FileError("[log]\nformat = \"xml\"\n"),
            "f:2:10: [log] format must be one of json, text, got 'xml'");
  EXPECT_EQ(FileError("[database]\nurl = \"\"\n"),
            "f:2:7: [database] url must be a non-empty SQLite database path, got ''");
  EXPECT_EQ(FileError("[database]\nurl = 5\n"),
            "f:2:7: [database] url must be a non-empty SQLite database path, got an integer");
}

TEST_F(ConfigTest, ListenValidation) {
  for (const char* good : {"127.0.0.1:8080", "0.0.0.0:0", "localhost:65535", "[::1]:80",
                           "[::]:8080", "[2001:db8::1]:443"}) {
    Config config;
    config.listen = good;
    EXPECT_TRUE(ValidateConfig(config).has_value()) << good;
  }
  struct Case {
    const char* listen;
    const char* detail;
  };
  for (const Case& c : {
           Case{"127.0.0.1", "must be host:port"},
           Case{"127.0.0.1:", "port '' must be a number from 0 to 65535"},
           Case{"127.0.0.1:65536", "port '65536' must be a number from 0 to 65535"},
           Case{"127.0.0.1:-1", "port '-1' must be a number from 0 to 65535"},
           Case{"127.0.0.1:80a", "port '80a' must be a number from 0 to 65535"},
           Case{"127.0.0.1:0000080", "port '0000080' must be a number from 0 to 65535"},
           Case{"example.com:80",
                "host 'example.com' must be an IPv4 address, localhost or [IPv6 address]"},
           Case{":80", "must be host:port, with a host before the colon"},
           Case{"256.1.1.1:80",
                "host '256.1.1.1' must be an IPv4 address, localhost or [IPv6 address]"},
           Case{"::1:80", "an IPv6 address must be written in brackets, e.g. [::1]:8080"},
           Case{"[::1]", "must be [IPv6 address]:port"},
           Case{"[::1:80", "must be [IPv6 address]:port"},
           Case{"[nope]:80", "'nope' is not an IPv6 address"},
           Case{"[::1]:99999", "port '99999' must be a number from 0 to 65535"},
       }) {
    Config config;
    config.listen = c.listen;
    Result<void> valid = ValidateConfig(config);
    ASSERT_FALSE(valid.has_value()) << c.listen;
    EXPECT_EQ(valid.error().message,
              std::string("[server] listen must be host:port with an IPv4 address, localhost or "
                          "[IPv6 address] and a port from 0 to 65535, got '") +
                  c.listen + "': " + c.detail);
    EXPECT_EQ(valid.error().field, "server.listen");
  }
}

TEST_F(ConfigTest, EnvironmentErrors) {
  EXPECT_EQ(EnvError({{"REDRESS_THREADS", "abc"}}),
            "REDRESS_THREADS: expected an integer, got 'abc'");
  EXPECT_EQ(EnvError({{"REDRESS_THREADS", ""}}), "REDRESS_THREADS: expected an integer, got ''");
  EXPECT_EQ(EnvError({{"REDRESS_THREADS", " 4"}}),
            "REDRESS_THREADS: expected an integer, got ' 4'");
  EXPECT_EQ(EnvError({{"REDRESS_THREADS", "4x"}}),
            "REDRESS_THREADS: expected an integer, got '4x'");
  EXPECT_EQ(EnvError({{"REDRESS_THREADS", "65"}}),
            "REDRESS_THREADS: must be an integer between 1 and 64, got 65");
  EXPECT_EQ(EnvError({{"REDRESS_BODY_LIMIT_BYTES", "99999999999999999999"}}),
            "REDRESS_BODY_LIMIT_BYTES: must be an integer between 1024 and 67108864, got "
            "99999999999999999999");
  EXPECT_EQ(EnvError({{"REDRESS_SESSION_TTL_HOURS", "0"}}),
            "REDRESS_SESSION_TTL_HOURS: must be an integer between 1 and 720, got 0");
  EXPECT_EQ(EnvError({{"REDRESS_SECURE_COOKIES", "maybe"}}),
            "REDRESS_SECURE_COOKIES: expected true or false (or 1 or 0), got 'maybe'");
  EXPECT_EQ(EnvError({{"REDRESS_LOG_LEVEL", "loud"}}),
            "REDRESS_LOG_LEVEL: must be one of trace, debug, info, warn, error, got 'loud'");
  EXPECT_EQ(EnvError({{"REDRESS_LOG_FORMAT", "JSON"}}),
            "REDRESS_LOG_FORMAT: must be one of json, text, got 'JSON'");
  EXPECT_EQ(EnvError({{"REDRESS_DB", ""}}),
            "REDRESS_DB: must be a non-empty SQLite database path, got ''");
  EXPECT_EQ(EnvError({{"REDRESS_LISTEN", "nowhere"}}),
            "REDRESS_LISTEN: must be host:port with an IPv4 address, localhost or [IPv6 address] "
            "and a port from 0 to 65535, got 'nowhere': must be host:port");

  Result<Config> bad = LoadConfig(std::nullopt, {{"REDRESS_THREADS", "abc"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field, "REDRESS_THREADS");

  Result<Config> falsy = LoadConfig(std::nullopt, {{"REDRESS_SECURE_COOKIES", "0"}});
  ASSERT_TRUE(falsy.has_value());
  EXPECT_FALSE(falsy->secure_cookies);
}

TEST_F(ConfigTest, EnvironmentErrorWinsOverValidFile) {
  std::string path = WriteToml("[server]\nthreads = 8\n");
  Result<Config> config = LoadConfig(path, {{"REDRESS_THREADS", "100"}});
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().message,
            "REDRESS_THREADS: must be an integer between 1 and 64, got 100");
}

TEST_F(ConfigTest, UnknownSectionAndKey) {
  EXPECT_EQ(FileError("[server]\nthread = 4\n"),
            "f:2:1: unknown key 'thread' in [server] (known: listen, threads, body_limit_bytes)");
  EXPECT_EQ(FileError("[srv]\nthreads = 4\n"),
            "f:1:2: unknown section [srv] (known: database, server, auth, log, web, mail)");
  EXPECT_EQ(FileError("threads = 4\n"),
            "f:1:1: unknown top-level key 'threads'; settings belong in a section such as "
            "[server]");
  EXPECT_EQ(FileError("[server.tls]\ncert = \"x\"\n").substr(0, 31),
            "f:1:9: unknown key 'tls' in [se");
  Result<Config> config = LoadConfig(WriteToml("[log]\nlevl = \"info\"\n"), {});
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(config.error().field, "log.levl");
}

TEST_F(ConfigTest, SyntaxErrorHasPosition) {
  std::string message = FileError("[server]\nthreads = = 4\n");
  EXPECT_EQ(message.rfind("f:2:", 0), 0u) << message;
  message = FileError("[server]\nthreads = 4\nthreads = 5\n");
  EXPECT_EQ(message.rfind("f:3:", 0), 0u) << message;
}

TEST_F(ConfigTest, MissingFile) {
  std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "redress_config_does_not_exist.toml";
  Result<Config> config = LoadConfig(path.string(), {});
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(config.error().message, path.string() + ": configuration file does not exist");

  Result<Config> directory = LoadConfig(::testing::TempDir(), {});
  ASSERT_FALSE(directory.has_value());
  EXPECT_NE(directory.error().message.find("is a directory"), std::string::npos);
}

TEST_F(ConfigTest, ValidateConfigChecksEveryRange) {
  Config config;
  config.threads = 65;
  EXPECT_EQ(ValidateConfig(config).error().message,
            "[server] threads must be an integer between 1 and 64, got 65");
  config = Config{};
  config.body_limit_bytes = 512;
  EXPECT_EQ(ValidateConfig(config).error().field, "server.body_limit_bytes");
  config = Config{};
  config.session_ttl_hours = 0;
  EXPECT_EQ(ValidateConfig(config).error().field, "auth.session_ttl_hours");
  config = Config{};
  config.log_level = "INFO";
  EXPECT_EQ(ValidateConfig(config).error().field, "log.level");
  config = Config{};
  config.log_format = "";
  EXPECT_EQ(ValidateConfig(config).error().field, "log.format");
  config = Config{};
  config.db = "";
  EXPECT_EQ(ValidateConfig(config).error().field, "database.url");
}

TEST_F(ConfigTest, ProcessEnvironmentReadsOnlyRedressVariables) {
  ASSERT_EQ(setenv("REDRESS_TEST_ONLY_VARIABLE", "a=b", 1), 0);
  ASSERT_EQ(setenv("NOT_REDRESS_TEST_VARIABLE", "x", 1), 0);
  Environment env = ProcessEnvironment();
  unsetenv("REDRESS_TEST_ONLY_VARIABLE");
  unsetenv("NOT_REDRESS_TEST_VARIABLE");
  ASSERT_EQ(env.count("REDRESS_TEST_ONLY_VARIABLE"), 1u);
  EXPECT_EQ(env.at("REDRESS_TEST_ONLY_VARIABLE"), "a=b");
  EXPECT_EQ(env.count("NOT_REDRESS_TEST_VARIABLE"), 0u);
  for (const auto& [name, value] : env) EXPECT_EQ(name.rfind("REDRESS_", 0), 0u) << name;
}

}  // namespace
}  // namespace redress::app
