#include <cstdio>
#include <string>

#include "cli/commands.h"

namespace redress::cli {

void PrintError(const Error& error) {
  std::string line = "redress: " + error.message;
  if (!error.field.empty() && error.message.find(error.field) == std::string::npos) {
    line += " (" + error.field + ")";
  }
  std::fprintf(stderr, "%s\n", line.c_str());
}

std::optional<app::Config> ResolveConfig(const GlobalOptions& global) {
  auto config = app::LoadConfig(global.config_file, app::ProcessEnvironment());
  if (!config) {
    PrintError(config.error());
    return std::nullopt;
  }
  if (global.db) config->db = *global.db;
  if (auto valid = app::ValidateConfig(*config); !valid) {
    PrintError(valid.error());
    return std::nullopt;
  }
  return *config;
}

}  // namespace redress::cli
