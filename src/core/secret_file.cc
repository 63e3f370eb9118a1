#include "core/secret_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace redress {

Result<std::string> ReadSecretFile(const std::string& path, const std::string& setting) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kInvalidArgument,
                setting + ": cannot read " + path + ": " + std::strerror(errno), setting);
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!content.empty() && content.back() == '\n') content.pop_back();
  if (!content.empty() && content.back() == '\r') content.pop_back();
  if (content.empty()) {
    return Fail(ErrorCode::kInvalidArgument, setting + ": " + path + " is empty", setting);
  }
  return content;
}

}  // namespace redress
