#include "mailgate/url_mailgate.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/secret_file.h"
#include "mailgate/http_handoff.h"
#include "mailgate/mailgate_exit.h"

namespace redress::mailgate {
namespace {

// The server enforces its own limit (413); this bound only keeps a runaway pipe from
// exhausting memory on the mail host.
constexpr int64_t kReadLimit = int64_t{256} << 20;

void PrintError(const Error& error) {
  std::fprintf(stderr, "redress mailgate: %s\n", error.message.c_str());
}

// The token: the file's content, else $REDRESS_MAILGATE_TOKEN. Never a command-line value.
Result<std::string> Token(const UrlMailgateOptions& options) {
  if (!options.token_file.empty()) return ReadSecretFile(options.token_file, "--token-file");
  const char* env = std::getenv("REDRESS_MAILGATE_TOKEN");
  if (env != nullptr && *env != '\0') return std::string(env);
  return Fail(ErrorCode::kInvalidArgument,
              "--url needs a token: --token-file FILE or $REDRESS_MAILGATE_TOKEN");
}

}  // namespace

CLI::Option* AddUrlMailgateOptions(CLI::App& command, UrlMailgateOptions& options) {
  CLI::Option* url = command.add_option(
      "--url", options.url, "The Redress server to hand the message to (http(s)://host:port)");
  command
      .add_option("--token-file", options.token_file,
                  "File holding a mailgate account's token (else $REDRESS_MAILGATE_TOKEN)")
      ->needs(url);
  command
      .add_option("--mailbox", options.mailbox,
                  "The [[mail.mailboxes]] name the mail arrived for (its queue)")
      ->needs(url);
  command
      .add_option("--ca-file", options.ca_file,
                  "PEM file of the CA that signed an https:// server's certificate "
                  "(default: the system's trusted CAs)")
      ->needs(url);
  command.add_option("--timeout", options.timeout_seconds, "Seconds to wait for the server")
      ->needs(url)
      ->check(CLI::Range(1, 3600));
  return url;
}

Result<std::string> ReadMessageFromStdin(int64_t hard_limit) {
  std::string raw;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n == 0) return raw;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(ErrorCode::kUnavailable, std::string("reading stdin: ") + std::strerror(errno));
    }
    raw.append(buffer, static_cast<size_t>(n));
    if (static_cast<int64_t>(raw.size()) > hard_limit) {
      return Fail(
          ErrorCode::kPayloadTooLarge,
          "the message is larger than " + std::to_string(hard_limit) + " bytes; not stored");
    }
  }
}

int RunUrlMailgate(const UrlMailgateOptions& options) {
  auto token = Token(options);
  if (!token) {
    PrintError(token.error());
    return kExitTryLater;
  }
  auto raw = ReadMessageFromStdin(kReadLimit);
  if (!raw) {
    PrintError(raw.error());
    return raw.error().code == ErrorCode::kPayloadTooLarge ? kExitNotAMessage : kExitTryLater;
  }
  HttpHandoff handoff{options.url, *token, options.mailbox, options.ca_file,
                      std::chrono::seconds(options.timeout_seconds)};
  auto reply = SubmitOverHttp(handoff, *raw);
  if (!reply) {
    PrintError(reply.error());
    return kExitTryLater;
  }
  const auto outcome = MailgateOutcomeOfHttpStatus(reply->status);
  // The server's JSON (or problem document) says what happened; it holds no secret.
  std::string body = reply->body.substr(0, 2000);
  for (char& c : body) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  switch (outcome) {
    case MailgateOutcome::kStored:
      std::fprintf(stderr, "redress mailgate: stored (HTTP %d) %s\n", reply->status, body.c_str());
      break;
    case MailgateOutcome::kTooLarge:
      std::fprintf(stderr,
                   "redress mailgate: the message (%zu bytes) is larger than this help desk "
                   "accepts and was not delivered; please send large files another way, for "
                   "example as a link. (HTTP 413) %s\n",
                   raw->size(), body.c_str());
      break;
    case MailgateOutcome::kNotAMessage:
      std::fprintf(stderr,
                   "redress mailgate: the input is not an email message and was not filed "
                   "(HTTP %d) %s\n",
                   reply->status, body.c_str());
      break;
    case MailgateOutcome::kCouldNotStore:
      std::fprintf(stderr, "redress mailgate: not stored, try again later (HTTP %d) %s\n",
                   reply->status, body.c_str());
      break;
  }
  return MailgateExitCode(outcome);
}

}  // namespace redress::mailgate
