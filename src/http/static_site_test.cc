#include "http/static_site.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

namespace redress::http {
namespace {

namespace fs = std::filesystem;
namespace bhttp = boost::beast::http;

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("redress-site-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "assets");
    Write("index.html", "<!doctype html><title>Redress</title>");
    Write("assets/app-1234.js", "console.log('hi')");
    Write("assets/app-1234.js.gz", std::string("\x1f\x8b fake gzip", 12));
    Write("favicon.svg", "<svg/>");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(root_ / name, std::ios::binary) << bytes;
  }
  std::shared_ptr<const StaticSite> Site() {
    auto site = StaticSite::Load(root_.string());
    EXPECT_TRUE(site) << site.error().message;
    return site ? *site : nullptr;
  }
  static Request Get(std::string target) {
    Request request{bhttp::verb::get, target, 11};
    return request;
  }

  fs::path root_;
};

TEST_F(StaticSiteTest, ServesFilesWithTypesAndCaching) {
  auto site = Site();
  ASSERT_TRUE(site);
  EXPECT_EQ(site->file_count(), 3u);  // the .gz is folded into its original
  auto js = site->Serve(Get("/assets/app-1234.js"), "/assets/app-1234.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->result(), bhttp::status::ok);
  EXPECT_EQ(js->body(), "console.log('hi')");
  EXPECT_EQ((*js)[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ((*js)[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ((*js)["Content-Security-Policy"], kContentSecurityPolicy);
  EXPECT_EQ((*js)["X-Content-Type-Options"], "nosniff");

  auto index = site->Serve(Get("/"), "/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->body(), "<!doctype html><title>Redress</title>");
  EXPECT_EQ((*index)[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ((*index)[bhttp::field::cache_control], "no-cache");
}

TEST_F(StaticSiteTest, AppRoutesFallBackToIndexButMissingFilesAre404) {
  auto site = Site();
  ASSERT_TRUE(site);
  auto route = site->Serve(Get("/cases/42"), "/cases/42");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->result(), bhttp::status::ok);
  EXPECT_EQ(route->body(), "<!doctype html><title>Redress</title>");
  auto missing = site->Serve(Get("/assets/gone-999.js"), "/assets/gone-999.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->result(), bhttp::status::not_found);
}

TEST_F(StaticSiteTest, ApiPathsAreNotTheSitesToAnswer) {
  auto site = Site();
  ASSERT_TRUE(site);
  EXPECT_FALSE(site->Serve(Get("/api/v1/nothing"), "/api/v1/nothing"));
  EXPECT_FALSE(site->Serve(Get("/api"), "/api"));
}

TEST_F(StaticSiteTest, NothingOutsideTheRoot) {
  auto site = Site();
  ASSERT_TRUE(site);
  Write("../outside-secret.txt", "secret");
  for (std::string path :
       {std::string("/../outside-secret.txt"), std::string("/assets/../../outside-secret.txt"),
        std::string("/./index.html"), std::string("/assets\\app-1234.js"), std::string("/a\0b", 4)}) {
    auto response = site->Serve(Get("/x"), path);
    ASSERT_TRUE(response) << path;
    EXPECT_EQ(response->result(), bhttp::status::not_found) << path;
    EXPECT_EQ(response->body().find("secret"), std::string::npos);
  }
  fs::remove(root_.parent_path() / "outside-secret.txt");
}

TEST_F(StaticSiteTest, GzipOnlyForClientsThatAcceptIt) {
  auto site = Site();
  ASSERT_TRUE(site);
  Request gzip = Get("/assets/app-1234.js");
  gzip.set(bhttp::field::accept_encoding, "br, gzip;q=0.8");
  auto zipped = site->Serve(gzip, "/assets/app-1234.js");
  ASSERT_TRUE(zipped);
  EXPECT_EQ((*zipped)[bhttp::field::content_encoding], "gzip");
  EXPECT_EQ(zipped->body(), std::string("\x1f\x8b fake gzip", 12));
  EXPECT_EQ((*zipped)[bhttp::field::vary], "Accept-Encoding");

  Request refused = Get("/assets/app-1234.js");
  refused.set(bhttp::field::accept_encoding, "gzip;q=0, br");
  auto plain = site->Serve(refused, "/assets/app-1234.js");
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)[bhttp::field::content_encoding], "");
  EXPECT_EQ(plain->body(), "console.log('hi')");
}

TEST_F(StaticSiteTest, MatchingEtagAnswers304) {
  auto site = Site();
  ASSERT_TRUE(site);
  auto first = site->Serve(Get("/favicon.svg"), "/favicon.svg");
  ASSERT_TRUE(first);
  const std::string etag((*first)[bhttp::field::etag]);
  ASSERT_EQ(etag.size(), 34u);
  Request again = Get("/favicon.svg");
  again.set(bhttp::field::if_none_match, etag);
  auto second = site->Serve(again, "/favicon.svg");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->result(), bhttp::status::not_modified);
  EXPECT_TRUE(second->body().empty());
  Request other = Get("/favicon.svg");
  other.set(bhttp::field::if_none_match, "\"something-else\"");
  EXPECT_EQ(site->Serve(other, "/favicon.svg")->result(), bhttp::status::ok);
}

TEST_F(StaticSiteTest, LoadRefusesWhatCannotBeASite) {
  auto missing = StaticSite::Load((root_ / "nope").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("is not a directory"), std::string::npos);
  fs::remove(root_ / "index.html");
  auto no_index = StaticSite::Load(root_.string());
  ASSERT_FALSE(no_index);
  EXPECT_NE(no_index.error().message.find("no index.html"), std::string::npos);
  Write("index.html", std::string(2048, 'x'));
  auto too_big = StaticSite::Load(root_.string(), 1024);
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("larger than"), std::string::npos);
}

TEST(ContentTypeTest, KnownAndUnknownExtensions) {
  EXPECT_EQ(ContentTypeFor("a/b/style.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("data.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
}

}  // namespace
}  // namespace redress::http
