// Test support: the real-world message corpus beside the repository (REDRESS_MAIL_CORPUS,
// set by tests/CMakeLists.txt), read as (file, index in mbox, bytes). Header-only because
// only the email tests use it.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "channels/email/mbox.h"

namespace redress::email::testing {

struct CorpusMessage {
  std::string file;  // relative to the corpus root, as in threads.tsv
  int index = 1;     // 1-based position in an mbox file, 1 for single messages
  std::string bytes;
};

inline std::filesystem::path CorpusRoot() { return REDRESS_MAIL_CORPUS; }

inline std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline bool IsMbox(const std::string& relative) {
  return relative.find(".mbox") != std::string::npos || relative == "sisimai/mbox-1";
}

/// Every message of the corpus, mbox files split, in a stable order (by file name).
inline std::vector<CorpusMessage> LoadCorpus() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(CorpusRoot())) {
    if (!entry.is_regular_file()) continue;
    std::string relative = fs::relative(entry.path(), CorpusRoot()).generic_string();
    if (relative == "README.md" || relative == "MANIFEST.tsv" || relative == "threads.tsv" ||
        relative.ends_with(".gz")) {
      continue;
    }
    files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  std::vector<CorpusMessage> messages;
  for (const std::string& file : files) {
    std::string bytes = ReadFileBytes(CorpusRoot() / file);
    if (!IsMbox(file)) {
      messages.push_back(CorpusMessage{file, 1, std::move(bytes)});
      continue;
    }
    int index = 0;
    for (std::string_view part : SplitMbox(bytes)) {
      messages.push_back(CorpusMessage{file, ++index, std::string(part)});
    }
  }
  return messages;
}

/// threads.tsv as rows of named columns.
inline std::vector<std::map<std::string, std::string>> LoadThreadsTsv() {
  std::ifstream in(CorpusRoot() / "threads.tsv", std::ios::binary);
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> columns;
  std::string line;
  auto split = [](const std::string& s) {
    std::vector<std::string> fields;
    size_t start = 0;
    while (true) {
      size_t tab = s.find('\t', start);
      fields.push_back(s.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    return fields;
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields = split(line);
    if (columns.empty()) {
      columns = fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < columns.size() && i < fields.size(); ++i) row[columns[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace redress::email::testing
