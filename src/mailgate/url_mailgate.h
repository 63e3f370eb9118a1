// The MTA's pipe program in its network form: read one message on stdin, POST it to a
// running server (http_handoff.h), and exit with what the MTA understands
// (mailgate_exit.h). Shared by `redress mailgate --url` and the lean `redress-mailgate`
// executable (main.cc), which links only this component so that it starts in a few
// milliseconds instead of the full server binary's tens (bench/README.md).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace redress::mailgate {

struct UrlMailgateOptions {
  std::string url;         // the server: http://host:port, https://host/prefix
  std::string token_file;  // a mailgate account's token; else $REDRESS_MAILGATE_TOKEN
  std::string mailbox;     // the [[mail.mailboxes]] name the mail arrived for, "" for none
  std::string ca_file;     // for https:// with a private CA
  int timeout_seconds = 120;
};

/// Registers --url, --token-file, --mailbox, --ca-file and --timeout on `command` and
/// returns the --url option (the others need it).
CLI::Option* AddUrlMailgateOptions(CLI::App& command, UrlMailgateOptions& options);

/// Reads stdin to its end. kPayloadTooLarge once it passes `hard_limit` bytes (the rest is
/// left unread), kUnavailable if reading fails.
Result<std::string> ReadMessageFromStdin(int64_t hard_limit);

/// Reads the message, hands it over, prints one line saying what happened to stderr (MTAs
/// quote it in a bounce), and returns the exit code: 0 stored, 65 bounce, 75 try later.
int RunUrlMailgate(const UrlMailgateOptions& options);

}  // namespace redress::mailgate
