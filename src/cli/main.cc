// `redress`: the server and the operator's tool in one binary.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Redress: customer-service cases and escalations"};
  app.require_subcommand(1);
  redress::cli::GlobalOptions global;
  app.add_option("--config", global.config_file, "TOML configuration file")
      ->check(CLI::ExistingFile);
  redress::cli::AddServeCommand(app, global);
  redress::cli::AddMigrateCommand(app, global);
  redress::cli::AddDemoCommand(app, global);
  redress::cli::AddUserCommand(app, global);
  redress::cli::AddTokenCommand(app, global);
  redress::cli::AddVerifyCommand(app, global);
  redress::cli::AddCopyCommand(app, global);
  redress::cli::AddMailgateCommand(app, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return global.exit_code;
}
