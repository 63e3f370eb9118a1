// Secrets (API tokens, passwords, keys) come from files, never from the command line,
// where every user of the machine can read them in the process list.
#pragma once

#include <string>

#include "core/result.h"

namespace redress {

/// Reads a secret from a file, trimming one trailing newline. Errors name the file and
/// the setting it was given for, never the content. An empty file is an error.
Result<std::string> ReadSecretFile(const std::string& path, const std::string& setting);

}  // namespace redress
