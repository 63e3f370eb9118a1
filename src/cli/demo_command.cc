#include <cstdio>
#include <memory>
#include <vector>

#include "app/demo_data.h"
#include "app/open_store.h"
#include "cli/commands.h"
#include "core/clock.h"

namespace redress::cli {
namespace {

void PrintLogins(const std::vector<app::DemoLogin>& logins) {
  std::printf("Demo logins (password for all: %s):\n",
              logins.empty() ? "" : logins.front().password.c_str());
  for (const auto& login : logins) {
    std::printf("  %-10s %-26s %s\n", login.role.c_str(), login.email.c_str(), login.name.c_str());
  }
}

}  // namespace

void AddDemoCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand("demo", "Load the demo dataset into an empty database");
  cmd->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  auto logins_only = std::make_shared<bool>(false);
  cmd->add_flag("--logins-only", *logins_only, "Only print the demo logins; touch no database");
  cmd->callback([&global, logins_only] {
    if (*logins_only) {
      PrintLogins(app::DemoLogins());
      return;
    }
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
    SystemClock clock;
    const app::CaseService cases(**store);
    auto summary = app::LoadDemoData(**store, cases, clock);
    if (!summary) {
      PrintError(summary.error());
      global.exit_code = 1;
      return;
    }
    std::printf("Demo data loaded into %s: %d cases, %d events.\n", config->db.c_str(),
                summary->cases, summary->events);
    PrintLogins(summary->logins);
  });
}

}  // namespace redress::cli
