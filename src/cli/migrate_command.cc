#include <cstdio>

#include "app/open_store.h"
#include "cli/commands.h"

namespace redress::cli {

void AddMigrateCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("migrate", "Create or upgrade the database schema");
  cmd->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  cmd->callback([&global] {
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = 2;
      return;
    }
    auto store = app::OpenStore(config->db, app::MigratePolicy::kApply);
    if (!store) {
      PrintError(store.error());
      global.exit_code = 1;
      return;
    }
    std::fprintf(stderr, "redress: %s is up to date\n", config->db.c_str());
  });
}

}  // namespace redress::cli
