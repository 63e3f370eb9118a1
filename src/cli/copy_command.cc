// `redress copy`: checks the source, copies, then proves the copy. Before anything is
// written every chain of the source is verified (a damaged installation is refused and the
// target left untouched); after the copy every chain is verified again on the target, and
// each table's row count and digest must equal what was read from the source.
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

bool ValidUrl(std::string_view url) {
  return store::postgres::IsPostgresUrl(url) || (url.starts_with("sqlite:") && url.size() > 7);
}

void PrintBroken(const char* what, const app::VerifyReport& report) {
  std::printf("BROKEN %s: case %lld", what, static_cast<long long>(*report.broken_case));
  if (report.broken_seq) std::printf(" at seq %lld", static_cast<long long>(*report.broken_seq));
  std::printf(": %s\n", report.problem.c_str());
}

Result<app::VerifyReport> VerifyChains(const std::string& url) {
  auto store = app::OpenStore(url, app::MigratePolicy::kRequire);
  if (!store) return Fail(store.error());
  return app::VerifyAllCases(**store);
}

int RunCopy(const CopyOptions& options) {
  for (const auto& [url, field] : {std::pair{&options.from, "from"}, {&options.to, "to"}}) {
    if (!ValidUrl(*url)) {
      PrintError(Error{ErrorCode::kInvalidArgument,
                       std::string("--") + field +
                           " must be sqlite:PATH or a postgres:// or postgresql:// URL",
                       field});
      return 2;
    }
  }

  auto source = VerifyChains(options.from);
  if (!source) {
    PrintError(source.error());
    return source.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  if (!source->intact()) {
    PrintBroken("in the source", *source);
    std::printf("nothing was copied: repair or restore the source first\n");
    return 1;
  }

  auto report = store::CopyDatabase(options.from, options.to);
  if (!report) {
    PrintError(report.error());
    return report.error().code == ErrorCode::kInvalidArgument ? 2 : 1;
  }
  for (const store::TableSummary& table : report->tables) {
    std::fprintf(stderr, "redress: copied %lld %s rows\n", static_cast<long long>(table.rows),
                 table.table.c_str());
  }

  constexpr const char* kUnverified =
      "the target holds an unverified copy: drop it and copy again";
  auto target = VerifyChains(options.to);
  if (!target) {
    PrintError(target.error());
    std::printf("%s\n", kUnverified);
    return 1;
  }
  if (!target->intact()) {
    PrintBroken("after copy", *target);
    std::printf("%s\n", kUnverified);
    return 1;
  }
  auto copied = store::SummarizeTables(options.to);
  if (!copied) {
    PrintError(copied.error());
    std::printf("%s\n", kUnverified);
    return 1;
  }
  bool same = copied->size() == report->tables.size();
  for (size_t i = 0; same && i < copied->size(); ++i) {
    const store::TableSummary& want = report->tables[i];
    const store::TableSummary& got = (*copied)[i];
    if (got.rows != want.rows || got.digest != want.digest) {
      std::printf("MISMATCH after copy: %s: read %lld rows (digest %s), the target has %lld "
                  "(digest %s)\n",
                  want.table.c_str(), static_cast<long long>(want.rows), want.digest.c_str(),
                  static_cast<long long>(got.rows), got.digest.c_str());
      same = false;
    }
  }
  if (!same || target->cases != report->Rows("cases") ||
      target->events != report->Rows("events")) {
    std::printf("%s\n", kUnverified);
    return 1;
  }
  std::printf("copied and verified %zu tables, %lld cases, %lld events: every chain is intact "
              "and every table equals its source\n",
              report->tables.size(), static_cast<long long>(target->cases),
              static_cast<long long>(target->events));
  return 0;
}

}  // namespace

void AddCopyCommand(CLI::App& app, GlobalOptions& global) {
  auto options = std::make_shared<CopyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "copy",
      "Copy a whole installation into an empty database (SQLite to PostgreSQL or back), "
      "then verify it");
  cmd->add_option("--from", options->from, "Source: sqlite:PATH or postgres://...")->required();
  cmd->add_option("--to", options->to,
                  "Target, new or empty: postgres://user:password@host:port/database or "
                  "sqlite:PATH")
      ->required();
  cmd->callback([&global, options] { global.exit_code = RunCopy(*options); });
}

}  // namespace redress::cli
