// A throwaway directory under $TMPDIR (or /tmp), removed with everything in it when the
// owner goes away. Mail servers keep their configuration, sockets and mail stores here.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace redress::test_peers {

class ScratchDir {
 public:
  /// `prefix` names the directory for a person looking at /tmp ("redress-dovecot").
  /// `parent` "" means $TMPDIR, else /tmp.
  static Result<ScratchDir> Create(const std::string& prefix, const std::string& parent = "");
  ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDir& operator=(ScratchDir&&) = delete;
  ScratchDir(const ScratchDir&) = delete;
  ~ScratchDir();

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

/// Writes `contents` to `path` (replacing it).
Result<void> WriteFile(const std::string& path, const std::string& contents);
/// The whole file, byte for byte.
Result<std::string> ReadFile(const std::string& path);

}  // namespace redress::test_peers
