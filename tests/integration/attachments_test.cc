// Uploaded files through the running server: a customer uploads a photo and a PDF, opens a
// case with them, the opening event names them, an agent downloads them byte for byte;
// another customer cannot fetch them or use them, an upload is used once, and what is not
// a picture, a PDF or plain text is refused.
#include <gtest/gtest.h>

#include <string>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class AttachmentsTest : public ServerTest {
 protected:
  static Headers As(const std::string& token, std::string content_type = "") {
    Headers headers{{"Authorization", "Bearer " + token}};
    if (!content_type.empty()) headers.emplace_back("Content-Type", std::move(content_type));
    return headers;
  }

  static HttpResponse Upload(const std::string& token, std::string_view filename,
                             std::string content_type, std::string bytes) {
    return Client().PostRaw("/api/v1/attachments?filename=" + UrlEncode(filename),
                            std::move(bytes), As(token, std::move(content_type)));
  }

  // Bytes that are not valid UTF-8 and hold a NUL, as a real picture does.
  static std::string Picture() { return std::string("\x89PNG\r\n\x1a\n\0\xff\xfe photo", 17); }
};

TEST_F(AttachmentsTest, ACustomerOpensACaseWithFilesAndTheAgentDownloadsThemWhole) {
  TestCustomer asha = NewCustomer("Asha Rao");
  ASSERT_FALSE(asha.token.empty());
  HttpResponse photo = Upload(asha.token, "C:\\phone\\Kaputt böse.png", "image/png", Picture());
  ASSERT_EQ(photo.status, 201) << photo.Describe();
  const json::value photo_json = Body(photo);
  const int64_t photo_id = Int(photo_json, "/id").value_or(0);
  EXPECT_EQ(Str(photo_json, "/filename"), "Kaputt böse.png");
  EXPECT_EQ(Int(photo_json, "/size"), 17);
  EXPECT_TRUE(IsSha256Hex(Str(photo_json, "/sha256").value_or("")));
  EXPECT_EQ(photo.Header("Location"), "/api/v1/attachments/" + std::to_string(photo_id));
  HttpResponse receipt = Upload(asha.token, "receipt.pdf", "application/pdf", "%PDF-1.4 receipt");
  ASSERT_EQ(receipt.status, 201) << receipt.Describe();
  const int64_t receipt_id = Int(Body(receipt), "/id").value_or(0);

  const json::value opened = OpenCase(asha.token, 0, "Arrived broken",
                                      json::object{{"attachment_ids", json::array{photo_id, receipt_id}}});
  const int64_t case_id = Int(opened, "/id").value_or(0);
  ASSERT_NE(case_id, 0);
  const auto events = AllEvents(agent1().token, case_id);
  ASSERT_FALSE(events.empty());
  const json::array listed = Array(events.front(), "/data/attachments");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(Str(listed[0], "/filename"), "Kaputt böse.png");
  EXPECT_EQ(Str(listed[1], "/url"), "/api/v1/attachments/" + std::to_string(receipt_id));
  // The customer sees the same opening event with its attachments.
  const auto seen_by_customer = AllEvents(asha.token, case_id);
  ASSERT_FALSE(seen_by_customer.empty());
  EXPECT_EQ(Array(seen_by_customer.front(), "/data/attachments").size(), 2u);

  HttpResponse download = Client().Get("/api/v1/attachments/" + std::to_string(photo_id),
                                       As(agent1().token));
  ASSERT_EQ(download.status, 200) << download.Describe();
  EXPECT_EQ(download.body, Picture());
  EXPECT_EQ(download.Header("Content-Type"), "image/png");
  EXPECT_EQ(download.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(download.Header("Content-Security-Policy").value_or("").find("sandbox"),
            std::string::npos);
  EXPECT_NE(download.Header("Content-Disposition").value_or("").find("filename*=UTF-8''Kaputt%20b%C3%B6se.png"),
            std::string::npos)
      << download.Header("Content-Disposition").value_or("");
  HttpResponse own = Client().Get("/api/v1/attachments/" + std::to_string(receipt_id),
                                  As(asha.token));
  ASSERT_EQ(own.status, 200) << own.Describe();
  EXPECT_EQ(own.body, "%PDF-1.4 receipt");
  EXPECT_NE(own.Header("Content-Disposition").value_or("").find("attachment;"), std::string::npos);
}

TEST_F(AttachmentsTest, AnotherCustomerCanNeitherFetchNorUseAnUpload) {
  TestCustomer asha = NewCustomer("Asha Rao");
  TestCustomer ben = NewCustomer("Ben Ode");
  HttpResponse photo = Upload(asha.token, "photo.jpg", "image/jpeg", "\xff\xd8\xff jpeg");
  ASSERT_EQ(photo.status, 201) << photo.Describe();
  const std::string path = "/api/v1/attachments/" + std::to_string(Int(Body(photo), "/id").value_or(0));
  EXPECT_TRUE(IsProblem(Client().Get(path, As(ben.token)), 404, "not-found"));
  EXPECT_TRUE(IsProblem(Client().Get("/api/v1/attachments/999999", As(asha.token)), 404, "not-found"));
  EXPECT_TRUE(IsProblem(Client().Get(path), 401, "unauthenticated"));

  // Ben cannot put Asha's upload on his case; nothing is opened.
  HttpResponse stolen = Client().Post(
      "/api/v1/cases",
      json::object{{"subject", "Mine now"}, {"body", "see photo"},
                   {"attachment_ids", json::array{Int(Body(photo), "/id").value_or(0)}}},
      As(ben.token));
  EXPECT_TRUE(IsProblem(stolen, 422, "invalid-argument")) << stolen.Describe();
  // Asha uses it once; a second use is refused, and the first case keeps it.
  const int64_t id = Int(Body(photo), "/id").value_or(0);
  const json::value first = OpenCase(asha.token, 0, "Broken", json::object{{"attachment_ids", json::array{id}}});
  ASSERT_NE(Int(first, "/id").value_or(0), 0);
  HttpResponse again = Client().Post(
      "/api/v1/cases",
      json::object{{"subject", "Again"}, {"body", "same photo"}, {"attachment_ids", json::array{id}}},
      As(asha.token));
  EXPECT_TRUE(IsProblem(again, 422, "invalid-argument")) << again.Describe();
  EXPECT_EQ(Client().Get(path, As(asha.token)).status, 200);
  EXPECT_TRUE(IsProblem(Client().Get(path, As(ben.token)), 404, "not-found"));
}

TEST_F(AttachmentsTest, WhatCannotBeStoredSafelyIsRefusedWithAReason) {
  TestCustomer asha = NewCustomer("Asha Rao");
  HttpResponse html = Upload(asha.token, "page.html", "text/html", "<script>alert(1)</script>");
  EXPECT_TRUE(IsProblem(html, 415, "unsupported-media-type")) << html.Describe();
  HttpResponse svg = Upload(asha.token, "x.svg", "image/svg+xml", "<svg/>");
  EXPECT_TRUE(IsProblem(svg, 415, "unsupported-media-type")) << svg.Describe();
  HttpResponse unnamed = Client().PostRaw("/api/v1/attachments", "text", As(asha.token, "text/plain"));
  EXPECT_TRUE(IsProblem(unnamed, 422, "invalid-argument")) << unnamed.Describe();
  EXPECT_NE(unnamed.body.find("filename"), std::string::npos);
  HttpResponse empty = Upload(asha.token, "empty.txt", "text/plain", "");
  EXPECT_TRUE(IsProblem(empty, 422, "invalid-argument")) << empty.Describe();
  HttpResponse huge = Upload(asha.token, "big.pdf", "application/pdf", std::string((10u << 20) + 1, 'x'));
  EXPECT_TRUE(IsProblem(huge, 413, "payload-too-large")) << huge.Describe();
  HttpResponse too_many = Client().Post(
      "/api/v1/cases",
      json::object{{"subject", "Many"}, {"body", "x"},
                   {"attachment_ids", json::array{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}},
      As(asha.token));
  EXPECT_TRUE(IsProblem(too_many, 422, "invalid-argument")) << too_many.Describe();
}

}  // namespace
}  // namespace redress::testing
