#include <cstdio>

#include "app/open_store.h"
#include "app/verify.h"
#include "cli/commands.h"

namespace redress::cli {

void AddVerifyCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* cmd = app.add_subcommand(
      "verify", "Recheck every case's hash chain and projection; report the first broken link");
  cmd->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  cmd->callback([&global] {
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = 2;
      return;
    }
    auto store = app::OpenStore(config->db, app::MigratePolicy::kRequire);
    if (!store) {
      PrintError(store.error());
      global.exit_code = 1;
      return;
    }
    auto report = app::VerifyAllCases(**store);
    if (!report) {
      PrintError(report.error());
      global.exit_code = 1;
      return;
    }
    if (report->intact()) {
      std::printf("verified %lld cases, %lld events: every chain is intact\n",
                  static_cast<long long>(report->cases), static_cast<long long>(report->events));
      return;
    }
    std::printf("BROKEN: case %lld", static_cast<long long>(*report->broken_case));
    if (report->broken_seq) std::printf(" at seq %lld", static_cast<long long>(*report->broken_seq));
    std::printf(": %s\n", report->problem.c_str());
    std::printf("(checked %lld cases before stopping)\n", static_cast<long long>(report->cases));
    global.exit_code = 1;
  });
}

}  // namespace redress::cli
