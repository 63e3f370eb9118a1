#include "server_fixture.h"

#include <cctype>
#include <regex>

#include <boost/json.hpp>

namespace redress::testing {

namespace json = boost::json;

std::unique_ptr<TestServer> ServerTest::server_;
std::string ServerTest::start_error_;

const json::value* At(const json::value& v, std::string_view pointer) {
  boost::system::error_code ec;
  const json::value* found = v.find_pointer(pointer, ec);
  return ec ? nullptr : found;
}

std::optional<std::string> Str(const json::value& v, std::string_view pointer) {
  const json::value* found = At(v, pointer);
  if (found == nullptr || !found->is_string()) return std::nullopt;
  return std::string(found->get_string());
}

std::optional<int64_t> Int(const json::value& v, std::string_view pointer) {
  const json::value* found = At(v, pointer);
  if (found == nullptr) return std::nullopt;
  if (found->is_int64()) return found->get_int64();
  if (found->is_uint64() && found->get_uint64() <= INT64_MAX) {
    return static_cast<int64_t>(found->get_uint64());
  }
  return std::nullopt;
}

json::value Body(const HttpResponse& r) { return r.Json().value_or(nullptr); }

bool IsNull(const json::value& v, std::string_view pointer) {
  const json::value* found = At(v, pointer);
  return found != nullptr && found->is_null();
}

json::array Array(const json::value& v, std::string_view pointer) {
  const json::value* found = At(v, pointer);
  if (found == nullptr || !found->is_array()) return {};
  return found->get_array();
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

bool IsTimestamp(std::string_view s) {
  static const std::regex kPattern(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)");
  return std::regex_match(s.begin(), s.end(), kPattern);
}

bool IsSha256Hex(std::string_view s) {
  static const std::regex kPattern("[0-9a-f]{64}");
  return std::regex_match(s.begin(), s.end(), kPattern);
}

::testing::AssertionResult IsProblem(const HttpResponse& r, int status,
                                     std::string_view type_suffix) {
  if (r.status != status) {
    return ::testing::AssertionFailure() << "expected HTTP " << status << ", got " << r.Describe();
  }
  std::string content_type = r.Header("Content-Type").value_or("");
  if (content_type.rfind("application/problem+json", 0) != 0) {
    return ::testing::AssertionFailure() << "Content-Type is [" << content_type
                                         << "], not application/problem+json; " << r.Describe();
  }
  std::optional<json::value> body = r.Json();
  if (!body || !body->is_object()) {
    return ::testing::AssertionFailure() << "problem body is not a JSON object: " << r.Describe();
  }
  std::string expected_type = "https://redress.dev/problems/" + std::string(type_suffix);
  if (Str(*body, "/type") != expected_type) {
    return ::testing::AssertionFailure() << "type is not " << expected_type << ": " << r.Describe();
  }
  if (Int(*body, "/status") != status) {
    return ::testing::AssertionFailure() << "body status differs: " << r.Describe();
  }
  if (Str(*body, "/title").value_or("").empty()) {
    return ::testing::AssertionFailure() << "no title: " << r.Describe();
  }
  if (!Str(*body, "/detail")) {
    return ::testing::AssertionFailure() << "no detail string: " << r.Describe();
  }
  std::optional<std::string> request_id = Str(*body, "/request_id");
  if (!request_id || request_id->empty() || request_id != r.Header("X-Request-Id")) {
    return ::testing::AssertionFailure()
           << "request_id missing or not the X-Request-Id header ["
           << r.Header("X-Request-Id").value_or("<none>") << "]: " << r.Describe();
  }
  return ::testing::AssertionSuccess();
}

void ServerTest::SetUpTestSuite() {
  server_ = std::make_unique<TestServer>();
  auto started = server_->Start();
  start_error_ = started ? std::string() : started.message();
}

void ServerTest::TearDownTestSuite() { server_.reset(); }

void ServerTest::SetUp() {
  ASSERT_TRUE(server_ && start_error_.empty()) << "the test server did not start: " << start_error_;
  ASSERT_TRUE(server_->Running()) << "the test server is not running; log:\n" << server_->LogTail();
}

std::string ServerTest::UniqueEmail(std::string_view prefix) {
  static int counter = 0;
  return std::string(prefix) + "-" + std::to_string(++counter) + "@example.com";
}

TestCustomer ServerTest::NewCustomer(std::string name) {
  TestCustomer customer;
  customer.name = std::move(name);
  customer.email = UniqueEmail();
  json::object body{{"name", customer.name}, {"emails", json::array{customer.email}}};
  HttpResponse r = Client().Post("/api/v1/customers", body, Bearer(agent1().token));
  std::optional<json::value> created = r.Json();
  if (r.status != 201 || !created || !Int(*created, "/id")) {
    ADD_FAILURE() << "POST /api/v1/customers: " << r.Describe();
    return customer;
  }
  customer.id = *Int(*created, "/id");
  customer.token = server().CustomerToken(customer.id);
  return customer;
}

json::value ServerTest::OpenCase(const std::string& token, int64_t customer_id, std::string subject,
                                 json::object extra) {
  json::object body = std::move(extra);
  if (customer_id != 0) body["customer_id"] = customer_id;
  body["subject"] = subject;
  if (!body.contains("body")) body["body"] = "The store refused my return for technical reasons.";
  HttpResponse r = Client().Post("/api/v1/cases", body, Bearer(token));
  std::optional<json::value> created = r.Json();
  if (r.status != 201 || !created || !Int(*created, "/id")) {
    ADD_FAILURE() << "POST /api/v1/cases " << json::serialize(body) << ": " << r.Describe();
    return nullptr;
  }
  return *created;
}

json::value ServerTest::GetCase(const std::string& token, int64_t case_id) {
  HttpResponse r = Client().Get("/api/v1/cases/" + std::to_string(case_id), Bearer(token));
  std::optional<json::value> got = r.Json();
  if (r.status != 200 || !got || !got->is_object()) {
    ADD_FAILURE() << "GET /api/v1/cases/" << case_id << ": " << r.Describe();
    return nullptr;
  }
  return *got;
}

std::vector<json::value> ServerTest::AllEvents(const std::string& token, int64_t case_id,
                                               int limit) {
  std::vector<json::value> events;
  std::string base =
      "/api/v1/cases/" + std::to_string(case_id) + "/events?limit=" + std::to_string(limit);
  std::string target = base;
  // A chain longer than this would be a runaway cursor, not a real case in these tests.
  for (int page = 0; page < 1000; ++page) {
    HttpResponse r = Client().Get(target, Bearer(token));
    std::optional<json::value> got = r.Json();
    if (r.status != 200 || !got || !At(*got, "/items")) {
      ADD_FAILURE() << "GET " << target << ": " << r.Describe();
      return events;
    }
    for (const json::value& e : Array(*got, "/items")) events.push_back(e);
    if (IsNull(*got, "/next_cursor")) return events;
    std::optional<std::string> cursor = Str(*got, "/next_cursor");
    if (!cursor) {
      ADD_FAILURE() << "next_cursor is neither a string nor null: " << r.Describe();
      return events;
    }
    target = base + "&cursor=" + UrlEncode(*cursor);
  }
  ADD_FAILURE() << "the events cursor of case " << case_id << " never ended";
  return events;
}

HttpResponse ServerTest::CaseAction(const std::string& token, int64_t case_id,
                                    std::string_view action, const json::value& body) {
  return Client().Post("/api/v1/cases/" + std::to_string(case_id) + "/" + std::string(action), body,
                       Bearer(token));
}

}  // namespace redress::testing
