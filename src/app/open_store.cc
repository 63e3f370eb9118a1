#include "app/open_store.h"

#include <string_view>

#include "app/log.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace redress::app {

Result<std::unique_ptr<store::Store>> OpenStore(const std::string& url, MigratePolicy policy) {
  if (store::postgres::IsPostgresUrl(url)) {
    store::postgres::PostgresOptions options;
    options.migrate = policy == MigratePolicy::kApply;
    auto opened = store::postgres::PostgresStore::Open(url, options);
    if (!opened) return Fail(opened.error());
    return std::unique_ptr<store::Store>(std::move(*opened));
  }
  std::string_view path = url;
  if (path.starts_with("sqlite:")) path.remove_prefix(7);
  if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "the database path is empty", "db");
  store::sqlite::SqliteOptions options;
  options.migrate = policy == MigratePolicy::kApply;
  options.checkpoints.on_error = [](const Error& error) {
    Log(LogLevel::kError, "WAL checkpoint failed; the WAL grows until one succeeds",
        {{"error", error.message}});
  };
  auto opened = store::sqlite::SqliteStore::Open(std::string(path), options);
  if (!opened) return Fail(opened.error());
  return std::unique_ptr<store::Store>(std::move(*opened));
}

}  // namespace redress::app
