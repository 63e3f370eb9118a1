// docs/openapi.yaml must describe every route the server registers, with the same methods,
// and nothing the server does not have: the document is the contract clients are built from.
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "http/api/openapi_document.h"
#include "http/api/routes.h"
#include "http/router.h"

namespace redress::http {
namespace {

using boost::beast::http::verb;

// (method, path) pairs of the document's `paths:` section, read by indentation: a path is
// a two-space-indented key starting with "/", a method a four-space-indented key.
std::set<std::pair<std::string, std::string>> DocumentedOperations(std::string_view yaml) {
  std::set<std::pair<std::string, std::string>> out;
  bool in_paths = false;
  std::string path;
  size_t start = 0;
  while (start < yaml.size()) {
    size_t end = yaml.find('\n', start);
    if (end == std::string_view::npos) end = yaml.size();
    std::string_view line = yaml.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line == "paths:";
    if (!in_paths) continue;
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = std::string(line.substr(2, line.size() - 3));
    } else if (line.rfind("    ", 0) == 0 && line.size() > 5 && line[4] != ' ' &&
               line.back() == ':' && !path.empty()) {
      out.emplace(std::string(line.substr(4, line.size() - 5)), path);
    }
  }
  return out;
}

TEST(OpenApiCoverageTest, DocumentAndRouterListTheSameOperations) {
  Router router;
  api::RegisterAllRoutes(router);
  api::RegisterTestClockRoutes(router);
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& [method, pattern] : router.Routes()) {
    std::string name(boost::beast::http::to_string(method));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    registered.emplace(name, pattern);
  }
  const auto documented = DocumentedOperations(api::OpenApiDocument());
  ASSERT_FALSE(documented.empty()) << "no paths found in openapi.yaml";
  for (const auto& op : registered) {
    EXPECT_TRUE(documented.count(op)) << op.first << " " << op.second
                                      << " is served but not in docs/openapi.yaml";
  }
  for (const auto& op : documented) {
    EXPECT_TRUE(registered.count(op)) << op.first << " " << op.second
                                      << " is in docs/openapi.yaml but not served";
  }
}

}  // namespace
}  // namespace redress::http
