#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "app/open_store.h"
#include "app/verify.h"
#include "cli/commands.h"
#include "store/copy.h"
#include "store/postgres/postgres_store.h"

namespace redress::cli {
namespace {

struct CopyOptions {
  std::string from;
  std::string to;
};

// Copies, then proves it: every chain on the target is re-verified and its counts must
// equal what was copied.
int RunCopy(const CopyOptions& options) {
  std::string_view from = options.from;
  if (!from.starts_with("sqlite:")) {
    PrintError(Error{ErrorCode::kInvalidArgument,
                     "--from must be sqlite:PATH (the embedded database to move)", "from"});
    return 2;
  }
  from.remove_prefix(7);
  if (!store::postgres::IsPostgresUrl(options.to)) {
    PrintError(Error{ErrorCode::kInvalidArgument, "--to must be a postgres:// or postgresql:// URL",
                     "to"});
    return 2;
  }
  auto report = store::CopySqliteToPostgres(std::string(from), options.to);
  if (!report) {
    PrintError(report.error());
    return report.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  for (const auto& [table, rows] : report->tables) {
    std::fprintf(stderr, "redress: copied %lld %s rows\n", static_cast<long long>(rows),
                 table.c_str());
  }

  auto target = app::OpenStore(options.to, app::MigratePolicy::kRequire);
  if (!target) {
    PrintError(target.error());
    return 1;
  }
  auto verified = app::VerifyAllCases(**target);
  if (!verified) {
    PrintError(verified.error());
    return 1;
  }
  if (!verified->intact()) {
    std::printf("BROKEN after copy: case %lld: %s\n",
                static_cast<long long>(*verified->broken_case), verified->problem.c_str());
    return 1;
  }
  if (verified->cases != report->Rows("cases") || verified->events != report->Rows("events")) {
    std::printf("MISMATCH after copy: copied %lld cases and %lld events, found %lld and %lld\n",
                static_cast<long long>(report->Rows("cases")),
                static_cast<long long>(report->Rows("events")),
                static_cast<long long>(verified->cases), static_cast<long long>(verified->events));
    return 1;
  }
  std::printf("copied and verified %lld cases, %lld events: every chain is intact\n",
              static_cast<long long>(verified->cases), static_cast<long long>(verified->events));
  return 0;
}

}  // namespace

void AddCopyCommand(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<CopyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "copy", "Copy an installation from SQLite into an empty PostgreSQL database, then verify it");
  cmd->add_option("--from", options->from, "Source: sqlite:PATH")->required();
  cmd->add_option("--to", options->to, "Target: postgres://user:password@host:port/database")
      ->required();
  cmd->callback([&global, options] { global.exit_code = RunCopy(*options); });
}

}  // namespace redress::cli
