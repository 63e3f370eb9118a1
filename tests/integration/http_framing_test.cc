// HTTP/1.1 itself, below the API: bytes no polite client sends. The server must answer
// garbage with 400 and stay up, accept chunked bodies, refuse ambiguous framing (the root of
// request smuggling), and answer pipelined requests in order.
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class HttpFramingTest : public ServerTest {
 protected:
  std::string Raw(const std::string& bytes) {
    std::string error;
    std::string response =
        RawExchange("127.0.0.1", server().port(), bytes, std::chrono::seconds(5), &error);
    EXPECT_TRUE(error.empty() || !response.empty()) << error;
    return response;
  }

  static size_t Count(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1)) {
      ++n;
    }
    return n;
  }
};

TEST_F(HttpFramingTest, GarbageIsAnswered400AndTheServerStaysUp) {
  for (std::string garbage : {std::string("HELLO\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
                              std::string("GET /healthz HTTP/1.1\r\nNo colon here\r\n\r\n"),
                              std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)}) {
    std::string response = Raw(garbage);
    EXPECT_EQ(response.rfind("HTTP/1.1 400", 0), 0u)
        << "for " << json::serialize(json::value(garbage)) << ": " << response.substr(0, 200);
  }
  EXPECT_EQ(Client().Get("/healthz").status, 200);
}

TEST_F(HttpFramingTest, ChunkedRequestBodyIsAccepted) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  std::string body = "{\"customer_id\":" + std::to_string(customer.id) +
                     ",\"subject\":\"sent in two chunks\",\"body\":\"b\"}";
  std::string first = body.substr(0, 10);
  std::string second = body.substr(10);
  auto hex = [](size_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%zx", n);
    return std::string(buf);
  };
  std::string request =
      "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Authorization: Bearer " +
      agent1().token +
      "\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
      hex(first.size()) + "\r\n" + first + "\r\n" + hex(second.size()) + "\r\n" + second +
      "\r\n0\r\n\r\n";
  std::string response = Raw(request);
  EXPECT_EQ(response.rfind("HTTP/1.1 201", 0), 0u) << response.substr(0, 400);
  EXPECT_NE(response.find("sent in two chunks"), std::string::npos) << response.substr(0, 400);
}

TEST_F(HttpFramingTest, ContentLengthWithTransferEncodingIsRefused) {
  std::string smuggled = "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string request =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\n"
      "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n" +
      smuggled;
  std::string response = Raw(request);
  EXPECT_EQ(response.rfind("HTTP/1.1 400", 0), 0u) << response.substr(0, 400);
  EXPECT_EQ(Count(response, "HTTP/1.1 "), 1u) << "a second, smuggled request was answered:\n"
                                              << response;
}

TEST_F(HttpFramingTest, ConflictingContentLengthsAreRefused) {
  std::string request =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: application/json\r\n"
      "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}";
  std::string response = Raw(request);
  EXPECT_EQ(response.rfind("HTTP/1.1 400", 0), 0u) << response.substr(0, 400);
}

TEST_F(HttpFramingTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string request =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
      "GET /no/such/route HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"
      "GET /readyz HTTP/1.1\r\nHost: x\r\nX-Request-Id: third\r\nConnection: close\r\n\r\n";
  std::string response = Raw(request);
  ASSERT_EQ(Count(response, "HTTP/1.1 "), 3u) << response;
  size_t first = response.find("HTTP/1.1 200");
  size_t second = response.find("HTTP/1.1 404");
  size_t third = response.find("HTTP/1.1 200", first + 1);
  EXPECT_LT(first, second) << response;
  EXPECT_LT(second, third) << response;
  EXPECT_LT(response.find("first"), response.find("second"));
  EXPECT_LT(response.find("second"), response.find("third"));
}

TEST_F(HttpFramingTest, OversizedHeadersAreRefused) {
  std::string huge(20 * 1024, 'h');  // over any sane header limit, under Beast's own
  HttpResponse r = Client().Get("/healthz", {{"X-Padding", huge}});
  EXPECT_GE(r.status, 400) << r.Describe();
  EXPECT_LT(r.status, 500) << r.Describe();
  std::string long_target = "/api/v1/cases/" + std::string(32 * 1024, '9');
  HttpResponse t = Client().Get(long_target, Bearer(agent1().token));
  EXPECT_GE(t.status, 400) << t.Describe();
  EXPECT_LT(t.status, 500) << t.Describe();
  EXPECT_EQ(Client().Get("/healthz").status, 200);
}

TEST_F(HttpFramingTest, HeadGetsTheGetHeaderWithoutABody) {
  std::string get = Raw("GET /api/v1/openapi.yaml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string head =
      Raw("HEAD /api/v1/openapi.yaml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(get.rfind("HTTP/1.1 200", 0), 0u) << get.substr(0, 200);
  ASSERT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head.substr(0, 200);
  const size_t get_end = get.find("\r\n\r\n");
  const size_t head_end = head.find("\r\n\r\n");
  ASSERT_NE(get_end, std::string::npos);
  ASSERT_NE(head_end, std::string::npos);
  const std::string get_body = get.substr(get_end + 4);
  EXPECT_FALSE(get_body.empty());
  EXPECT_EQ(head.size(), head_end + 4) << "HEAD answered with a body";
  const std::string length = "Content-Length: " + std::to_string(get_body.size()) + "\r\n";
  EXPECT_NE(head.find(length), std::string::npos)
      << "HEAD must announce the GET body's length: " << head;

  // HEAD is listed wherever GET is.
  std::string wrong =
      Raw("DELETE /api/v1/openapi.yaml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(wrong.rfind("HTTP/1.1 405", 0), 0u) << wrong.substr(0, 200);
  EXPECT_NE(wrong.find("Allow: GET, HEAD\r\n"), std::string::npos) << wrong.substr(0, 400);
}

TEST_F(HttpFramingTest, PercentEncodedPathsRouteLikeTheirDecodedForm) {
  TestCustomer customer = NewCustomer();
  int64_t id = Int(OpenCase(agent1().token, customer.id), "/id").value_or(0);
  ASSERT_NE(id, 0);
  // A customer cannot reach another's case by spelling its path differently.
  TestCustomer other = NewCustomer();
  ASSERT_FALSE(other.token.empty());
  for (std::string path :
       {"/api/v1/cases/" + std::to_string(id),
        "/api/v1/cases/%3" + std::to_string(id).substr(0, 1) + std::to_string(id).substr(1),
        "/api/v1/cases/" + std::to_string(id) + "/", "/api/v1/cases/./" + std::to_string(id),
        "/api/v1/cases/0" + std::to_string(id)}) {
    HttpResponse r = Client().Get(path, Bearer(other.token));
    EXPECT_NE(r.status, 200) << path << ": " << r.Describe();
    EXPECT_LT(r.status, 500) << path << ": " << r.Describe();
  }
}

}  // namespace
}  // namespace redress::testing
