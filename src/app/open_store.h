// Picks the storage backend from a database URL: a file path (or sqlite:PATH) is the
// embedded SQLite default; postgres:// and postgresql:// URLs open the PostgreSQL backend
// (any libpq URI: postgres://user:password@host:port/database?sslmode=...).
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace redress::app {

enum class MigratePolicy {
  kApply,   // bring the schema up to date (serve, demo, migrate)
  kRequire  // refuse a database that is not up to date (read-only tools)
};

Result<std::unique_ptr<store::Store>> OpenStore(const std::string& url, MigratePolicy policy);

}  // namespace redress::app
