// `serve --web-root DIR`: the front end and the API on one port, each answering its own
// paths; a bad web root stops the server at startup with a clear message.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/test_server.h"

namespace redress::testing {
namespace {

namespace fs = std::filesystem;

class WebRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(site_.path().empty());
    fs::create_directories(site_.path() / "assets");
    std::ofstream(site_.path() / "index.html") << "<!doctype html><div id=app></div>";
    std::ofstream(site_.path() / "assets" / "main-abc.js") << "export {}";
    server_.set_extra_serve_args({"--web-root", site_.path().string()});
    ASSERT_TRUE(server_.Start());
  }
  TempDir site_;
  TestServer server_;
};

TEST_F(WebRootTest, PagesAssetsAndApiShareThePort) {
  HttpClient client = server_.Client();
  auto root = client.Get("/");
  ASSERT_EQ(root.status, 200) << root.Describe();
  EXPECT_EQ(root.body, "<!doctype html><div id=app></div>");
  EXPECT_NE(root.Header("Content-Security-Policy").value_or("").find("default-src 'self'"),
            std::string::npos);

  auto deep_link = client.Get("/portal/cases/17");
  ASSERT_EQ(deep_link.status, 200) << deep_link.Describe();
  EXPECT_EQ(deep_link.body, root.body);

  auto asset = client.Get("/assets/main-abc.js");
  ASSERT_EQ(asset.status, 200) << asset.Describe();
  EXPECT_EQ(asset.Header("Content-Type"), "text/javascript; charset=utf-8");

  EXPECT_EQ(client.Get("/assets/missing.js").status, 404);

  // The API keeps its own answers: problem JSON for unknown API paths, 401 without a token.
  auto unknown_api = client.Get("/api/v1/no-such-thing");
  EXPECT_EQ(unknown_api.status, 404);
  EXPECT_EQ(unknown_api.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(client.Get("/api/v1/cases").status, 401);
  EXPECT_EQ(client.Get("/healthz").status, 200);

  // Writes to a page path are not the site's: 404 problem, never index.html.
  auto post = client.PostRaw("/portal", "{}");
  EXPECT_EQ(post.status, 404) << post.Describe();
}

TEST(WebRootStartupTest, MissingIndexStopsTheServerWithAMessage) {
  TempDir dir;
  const std::string db = (dir.path() / "r.db").string();
  ASSERT_TRUE(RunCli({"migrate", "--db", db}).Ok());
  fs::create_directories(dir.path() / "empty-site");
  auto result = RunCli({"serve", "--db", db, "--listen", "127.0.0.1:0", "--web-root",
                        (dir.path() / "empty-site").string()});
  EXPECT_EQ(result.exit_code, 2) << result.Describe();
  EXPECT_NE(result.err.find("no index.html"), std::string::npos) << result.Describe();
}

}  // namespace
}  // namespace redress::testing
