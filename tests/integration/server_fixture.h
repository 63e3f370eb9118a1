// The shared fixture of the integration suites: one `redress serve` per test suite (a suite
// is one fixture class), plus helpers that speak the API contract (docs/api.md) so tests
// read as conversations. Tests in one suite share a database, so each test makes its own
// customers and cases and filters by them instead of assuming an empty database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include "support/http_client.h"
#include "support/test_server.h"

namespace redress::testing {

// ---- JSON access for assertions. Absent members and other types give nullopt/nullptr,
// so a wrong response fails an EXPECT instead of throwing.

/// The value at an RFC 6901 pointer ("/counts/transfers"), or nullptr.
const boost::json::value* At(const boost::json::value& v, std::string_view pointer);
std::optional<std::string> Str(const boost::json::value& v, std::string_view pointer);
std::optional<int64_t> Int(const boost::json::value& v, std::string_view pointer);
/// The response body as JSON, or null when it is not JSON (the test then fails on fields).
boost::json::value Body(const HttpResponse& r);
/// True when the member exists and is JSON null.
bool IsNull(const boost::json::value& v, std::string_view pointer);
/// The array at `pointer`, or an empty one.
boost::json::array Array(const boost::json::value& v, std::string_view pointer);

/// Percent-encodes everything but unreserved characters, for query values.
std::string UrlEncode(std::string_view s);

/// RFC 3339 UTC with exactly six fractional digits: 2026-11-23T09:05:00.000000Z.
bool IsTimestamp(std::string_view s);
/// 64 lowercase hexadecimal digits (a SHA-256).
bool IsSha256Hex(std::string_view s);

/// Checks the error shape every failure must have: the status, Content-Type
/// application/problem+json, a body with type https://redress.dev/problems/<suffix>, a title,
/// the same status, and request_id equal to the X-Request-Id header.
::testing::AssertionResult IsProblem(const HttpResponse& r, int status,
                                     std::string_view type_suffix);

/// A customer made through the API with a token from the CLI.
struct TestCustomer {
  int64_t id = 0;
  std::string name;
  std::string email;
  std::string token;
};

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  /// Fails the test at once when the suite's server did not start.
  void SetUp() override;

  static TestServer& server() { return *server_; }
  static HttpClient Client() { return server_->Client(); }
  static const StaffAccount& agent1() { return server_->agent1(); }
  static const StaffAccount& agent2() { return server_->agent2(); }
  static const StaffAccount& supervisor() { return server_->supervisor(); }
  static const StaffAccount& admin() { return server_->admin(); }

  /// A unique email address on this server ("<prefix>-<n>@example.com").
  static std::string UniqueEmail(std::string_view prefix = "customer");

  /// POST /api/v1/customers as agent1, then a customer token. On failure the test gets a
  /// failure and the id is 0.
  static TestCustomer NewCustomer(std::string name = "Asha Rao");

  /// POST /api/v1/cases with `token`. `customer_id` 0 leaves it out. Returns the case
  /// object, or null after recording a failure.
  static boost::json::value OpenCase(const std::string& token, int64_t customer_id,
                                     std::string subject = "Return rejected",
                                     boost::json::object extra = {});

  /// GET /api/v1/cases/{id}; null after recording a failure.
  static boost::json::value GetCase(const std::string& token, int64_t case_id);

  /// Every event of a case visible to `token`, walking the cursor with `limit`.
  static std::vector<boost::json::value> AllEvents(const std::string& token, int64_t case_id,
                                                   int limit = 100);

  /// POST `body` to /api/v1/cases/{id}/<action> as `token`.
  static HttpResponse CaseAction(const std::string& token, int64_t case_id, std::string_view action,
                                 const boost::json::value& body);

 private:
  static std::unique_ptr<TestServer> server_;
  static std::string start_error_;
};

}  // namespace redress::testing
