// Runs the `redress` under test with a configuration file (`redress --config F <command>`)
// for every later start, CLI run and mailgate of this test process. The global --config
// must come before the subcommand, and TestServer puts its arguments after it, so the
// binary it runs (RedressBinary(), overridable with $REDRESS_IT_BINARY) becomes a
// two-line wrapper script that adds the option.
#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace redress::testing {

inline void WriteTestFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

/// Writes `dir`/redress-configured and points $REDRESS_IT_BINARY at it.
inline void UseConfigFile(const std::filesystem::path& dir, const std::filesystem::path& config) {
  const std::filesystem::path script = dir / "redress-configured";
  WriteTestFile(script, "#!/bin/sh\nexec '" + std::string(REDRESS_BINARY) + "' --config '" +
                            config.string() + "' \"$@\"\n");
  ::chmod(script.c_str(), 0755);
  ::setenv("REDRESS_IT_BINARY", script.c_str(), 1);
}

}  // namespace redress::testing
