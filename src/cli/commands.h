// `redress` subcommands, one file each. Every subcommand registers its options on the
// CLI11 app and, when chosen, runs and stores its process exit code in `exit_code`.
// Output contract: results a script needs (ids, tokens) go to stdout alone on a line;
// human messages and errors go to stderr; exit 0 on success, 1 on a failure of the
// operation (verify found a broken chain), 2 on bad usage or input.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/config.h"
#include "core/result.h"

namespace redress::cli {

/// Options shared by every subcommand, filled by CLI11.
struct GlobalOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  int exit_code = 0;
};

/// Loads the config file and environment, then applies --db. Prints the error and returns
/// nullopt when the configuration is invalid.
std::optional<app::Config> ResolveConfig(const GlobalOptions& global);

/// Prints "redress: <message>" to stderr (with the field, if any).
void PrintError(const Error& error);

void AddServeCommand(CLI::App& app, GlobalOptions& global);
void AddMigrateCommand(CLI::App& app, GlobalOptions& global);
void AddDemoCommand(CLI::App& app, GlobalOptions& global);
void AddUserCommand(CLI::App& app, GlobalOptions& global);
void AddTokenCommand(CLI::App& app, GlobalOptions& global);
void AddVerifyCommand(CLI::App& app, GlobalOptions& global);
void AddCopyCommand(CLI::App& app, GlobalOptions& global);
void AddMailgateCommand(CLI::App& app, GlobalOptions& global);

}  // namespace redress::cli
