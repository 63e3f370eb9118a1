// The server end to end over real sockets: a Server on 127.0.0.1:0 with test routes and a
// fake Authenticator, talked to by a small blocking Beast client.
#include "http/server.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "app/log.h"
#include "http/json_body.h"
#include "http/response.h"

namespace redress::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using ClientResponse = http::response<http::string_body>;
using namespace std::chrono_literals;

// ---- Fakes

/// The routes under test never touch the store; every call says so.
class NullStore final : public store::Store {
 public:
  void SubmitWrite(store::WriteFn, store::WriteDone done) override { done(Nope()); }
  Result<domain::CaseState> GetCase(int64_t) override { return Nope(); }
  Result<store::CasePage> ListCases(const store::CaseQuery&) override { return Nope(); }
  Result<store::EventPage> ListEvents(const store::EventQuery&) override { return Nope(); }
  Result<std::vector<domain::Event>> LoadEvents(int64_t) override { return Nope(); }
  Result<std::vector<int64_t>> ListCaseIds(int64_t, int) override { return Nope(); }
  Result<domain::Customer> GetCustomer(int64_t) override { return Nope(); }
  Result<std::optional<domain::Customer>> FindCustomerByIdentity(domain::IdentityKind,
                                                                 const std::string&) override {
    return Nope();
  }
  Result<std::optional<std::pair<domain::Customer, std::string>>> FindCustomerLogin(
      const std::string&) override {
    return Nope();
  }
  Result<domain::User> GetUser(int64_t) override { return Nope(); }
  Result<std::optional<domain::User>> FindUserByEmail(const std::string&) override {
    return Nope();
  }
  Result<std::vector<domain::User>> ListUsers() override { return Nope(); }
  Result<std::optional<domain::ApiToken>> FindApiToken(const std::string&) override {
    return Nope();
  }
  Result<std::optional<domain::Session>> FindSession(const std::string&) override { return Nope(); }
  Result<std::optional<store::Attachment>> GetAttachment(int64_t) override { return Nope(); }
  Result<store::StoreStats> Stats() override { return Nope(); }
  Result<void> Ping() override { return Nope(); }

 private:
  static tl::unexpected<Error> Nope() {
    return Fail(ErrorCode::kInternal, "the http tests have no store");
  }
};

/// "Authorization: Bearer <role>" authenticates as that role; "Bearer expired" is an
/// invalid credential; "Bearer busy" makes the authenticator fail as unavailable;
/// "Cookie: redress_session=<role>" is a cookie session whose CSRF token is kCsrf.
class FakeAuthenticator final : public Authenticator {
 public:
  static constexpr std::string_view kCsrf = "rdc_good-token";

  Result<std::optional<AuthResult>> Authenticate(const Request& request) override {
    calls.fetch_add(1);
    std::string_view role;
    bool cookie = false;
    if (auto it = request.find(http::field::authorization); it != request.end()) {
      std::string_view value = it->value();
      if (value.substr(0, 7) != "Bearer ") {
        return Fail(ErrorCode::kUnauthenticated, "unsupported authorization scheme");
      }
      role = value.substr(7);
    } else if (auto c = request.find(http::field::cookie); c != request.end()) {
      std::string_view value = c->value();
      if (value.substr(0, 16) != "redress_session=") return std::optional<AuthResult>();
      role = value.substr(16);
      cookie = true;
    } else {
      return std::optional<AuthResult>();
    }
    if (role == "expired") return Fail(ErrorCode::kUnauthenticated, "token expired");
    if (role == "busy") return Fail(ErrorCode::kUnavailable, "database is busy");
    std::optional<domain::Role> parsed = domain::ParseRole(role);
    if (!parsed) return Fail(ErrorCode::kUnauthenticated, "unknown token");
    AuthResult result;
    result.principal = domain::Principal{*parsed, 7, std::string(role), 1};
    result.via_session_cookie = cookie;
    if (cookie) result.csrf_token = std::string(kCsrf);
    return std::optional<AuthResult>(std::move(result));
  }

  std::atomic<int> calls{0};
};

// ---- Client

/// A blocking HTTP/1.1 client on one connection. Every operation has a 5 s deadline so a
/// broken server fails the test instead of hanging it.
class TestClient {
 public:
  explicit TestClient(uint16_t port) : stream_(context_) {
    stream_.expires_after(5s);
    beast::error_code ec;
    stream_.socket().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    EXPECT_FALSE(ec) << "connect: " << ec.message();
  }

  beast::error_code Write(Request request) {
    request.prepare_payload();
    return Run([&](auto done) { http::async_write(stream_, request, done); });
  }

  beast::error_code WriteRaw(std::string bytes) {
    return Run([&](auto done) { asio::async_write(stream_, asio::buffer(bytes), done); });
  }

  beast::error_code Read(ClientResponse* response) {
    *response = {};
    return Run([&](auto done) { http::async_read(stream_, buffer_, *response, done); });
  }

  /// Sends and reads; on a transport error the test fails and the response is empty.
  ClientResponse Send(Request request) {
    ClientResponse response;
    beast::error_code ec = Write(std::move(request));
    EXPECT_FALSE(ec) << "write: " << ec.message();
    if (ec) return response;
    ec = Read(&response);
    EXPECT_FALSE(ec) << "read: " << ec.message();
    return response;
  }

  /// True when the server has closed the connection (no further response arrives).
  bool ClosedByServer() {
    char byte;
    beast::error_code ec =
        Run([&](auto done) { stream_.async_read_some(asio::buffer(&byte, 1), done); });
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  template <class Initiate>
  beast::error_code Run(Initiate initiate) {
    beast::error_code result = asio::error::would_block;
    stream_.expires_after(5s);
    initiate([&result](beast::error_code ec, size_t) { result = ec; });
    context_.restart();
    context_.run();
    return result;
  }

  asio::io_context context_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

Request Get(std::string target) {
  Request request{http::verb::get, target, 11};
  request.set(http::field::host, "localhost");
  return request;
}

Request Post(std::string target, std::string body,
             std::string_view content_type = "application/json") {
  Request request{http::verb::post, target, 11};
  request.set(http::field::host, "localhost");
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  request.body() = std::move(body);
  return request;
}

Request WithHeader(Request request, std::string_view name, std::string_view value) {
  request.set(name, value);
  return request;
}

json::object JsonBody(const ClientResponse& response) {
  boost::system::error_code ec;
  json::value value = json::parse(response.body(), ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << response.body();
    return {};
  }
  return value.as_object();
}

bool IsGeneratedRequestId(std::string_view id) {
  if (id.size() != 16) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void ExpectProblem(const ClientResponse& response, http::status status, std::string_view type,
                   std::string_view detail = {}) {
  EXPECT_EQ(response.result(), status) << response.body();
  EXPECT_EQ(response[http::field::content_type], "application/problem+json");
  json::object body = JsonBody(response);
  EXPECT_EQ(body["type"], json::value("https://redress.dev/problems/" + std::string(type)));
  EXPECT_EQ(body["status"], json::value(static_cast<int>(status)));
  EXPECT_EQ(body["request_id"], json::value(response["X-Request-Id"]));
  if (!detail.empty()) {
    EXPECT_EQ(body["detail"], json::value(detail));
  }
}

// ---- Fixture

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { app::InitLogging("error", "text"); }

  ServerTest()
      : clock_(), cases_(store_), services_{store_, clock_, config_, metrics_, cases_, cpu_} {
    AddRoutes();
  }

  void AddRoutes() {
    using Ctx = RequestContext;
    using Reply = asio::awaitable<Response>;
    router_.Add(http::verb::get, "/things/{id}", Access::kAnyone, [](Ctx& ctx) -> Reply {
      json::object query;
      for (const auto& [key, value] : ctx.query) query[key] = value;
      co_return JsonResponse(
          http::status::ok,
          json::object{{"id", ctx.path_params.at("id")}, {"path", ctx.path}, {"query", query}});
    });
    router_.Add(http::verb::put, "/things/{id}", Access::kAnyone,
                [](Ctx&) -> Reply { co_return NoContent(); });
    router_.Add(http::verb::post, "/things", Access::kAnyone, [](Ctx& ctx) -> Reply {
      auto body = ParseJsonObject(ctx.request.body());
      if (!body) co_return ProblemResponse(body.error(), ctx.request_id);
      co_return JsonResponse(http::status::created, *body);
    });
    router_.Add(http::verb::get, "/me", Access::kAuthenticated, [](Ctx& ctx) -> Reply {
      co_return JsonResponse(http::status::ok,
                             json::object{{"role", domain::RoleName(ctx.who().role)},
                                          {"via_cookie", ctx.via_session_cookie}});
    });
    router_.Add(http::verb::post, "/notes", Access::kAuthenticated,
                [](Ctx&) -> Reply { co_return NoContent(); });
    router_.Add(http::verb::get, "/staff", Access::kStaff,
                [](Ctx&) -> Reply { co_return Text(http::status::ok, "staff"); });
    router_.Add(http::verb::get, "/admin", Access::kAdmin,
                [](Ctx&) -> Reply { co_return Text(http::status::ok, "admin"); });
    router_.Add(http::verb::get, "/boom", Access::kAnyone, [](Ctx&) -> Reply {
      throw std::runtime_error("handler bug");
      co_return NoContent();
    });
    router_.Add(http::verb::get, "/thread", Access::kAnyone, [](Ctx&) -> Reply {
      co_return Text(http::status::ok,
                     std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id())));
    });
    router_.Add(http::verb::get, "/slow", Access::kAnyone, [this](Ctx&) -> Reply {
      slow_started_ = true;
      asio::steady_timer timer(co_await asio::this_coro::executor, slow_delay_);
      co_await timer.async_wait(asio::use_awaitable);
      co_return Text(http::status::ok, "slow done");
    });
  }

  uint16_t StartServer(int64_t body_limit = 1 << 20, std::chrono::milliseconds grace = 5000ms) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.body_limit_bytes = body_limit;
    options.stop_grace = grace;
    server_ = std::make_unique<Server>(services_, router_, authenticator_, options);
    Result<uint16_t> port = server_->Start();
    EXPECT_TRUE(port) << port.error().message;
    port_ = port ? *port : 0;
    return port_;
  }

  void WaitFor(const std::atomic<bool>& flag) {
    for (int i = 0; i < 500 && !flag; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(flag);
  }

  SystemClock clock_;
  app::Config config_;
  app::Metrics metrics_;
  NullStore store_;
  asio::thread_pool cpu_{1};
  app::CaseService cases_;
  app::Services services_;
  Router router_;
  FakeAuthenticator authenticator_;
  std::atomic<bool> slow_started_{false};
  std::chrono::milliseconds slow_delay_{300};
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

// ---- Routing

TEST_F(ServerTest, StartReturnsTheEphemeralPort) { EXPECT_NE(StartServer(), 0); }

TEST_F(ServerTest, UnknownRouteIs404Problem) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(Get("/nope?x=1"));
  ExpectProblem(response, http::status::not_found, "not-found", "no route for /nope");
  EXPECT_EQ(response[http::field::server], "redress");
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  TestClient client(StartServer());
  Request request = Get("/things/1");
  request.method(http::verb::delete_);
  ClientResponse response = client.Send(request);
  ExpectProblem(response, http::status::method_not_allowed, "method-not-allowed");
  EXPECT_EQ(response[http::field::allow], "GET, HEAD, PUT");
}

TEST_F(ServerTest, PathParametersAndQueryAreDecoded) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(Get("/things/a%2Fb%20c?a=1&b=x%20y+z&a=2&flag"));
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  json::object body = JsonBody(response);
  EXPECT_EQ(body["id"], json::value("a/b c"));
  EXPECT_EQ(body["path"], json::value("/things/a/b c"));
  json::object expected_query{{"a", "2"}, {"b", "x y z"}, {"flag", ""}};
  EXPECT_EQ(body["query"], json::value(expected_query));
}

TEST_F(ServerTest, MalformedPercentEncodingIs400) {
  TestClient client(StartServer());
  ExpectProblem(client.Send(Get("/things/1?x=%zz")), http::status::bad_request, "bad-request");
  ExpectProblem(client.Send(Get("/things/%zz")), http::status::bad_request, "bad-request");
}

TEST_F(ServerTest, NoContentHasNoContentLength) {
  TestClient client(StartServer());
  Request request = Get("/things/1");
  request.method(http::verb::put);
  ClientResponse response = client.Send(request);
  EXPECT_EQ(response.result(), http::status::no_content);
  EXPECT_EQ(response.find(http::field::content_length), response.end());
}

// ---- Bodies

TEST_F(ServerTest, BodyOverTheLimitIs413AndClosesTheConnection) {
  TestClient client(StartServer(1 << 20));
  EXPECT_FALSE(client.Write(Post("/things", std::string(2 << 20, 'x'))));
  ClientResponse response;
  ASSERT_FALSE(client.Read(&response));
  ExpectProblem(response, http::status::payload_too_large, "payload-too-large",
                "request body is larger than the limit of 1048576 bytes");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ClosedByServer());

  TestClient next(port_);
  EXPECT_EQ(next.Send(Post("/things", "{}")).result(), http::status::created);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413) {
  TestClient client(StartServer(64 * 1024));
  std::string head =
      "POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  std::string chunks;
  for (int i = 0; i < 8; ++i) chunks += "8000\r\n" + std::string(0x8000, ' ') + "\r\n";
  chunks += "0\r\n\r\n";
  EXPECT_FALSE(client.WriteRaw(head + chunks));
  ClientResponse response;
  ASSERT_FALSE(client.Read(&response));
  ExpectProblem(response, http::status::payload_too_large, "payload-too-large");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, BodyAtTheLimitIsAccepted) {
  TestClient client(StartServer(1024));
  std::string body = "{\"pad\":\"" + std::string(1024 - 10, 'x') + "\"}";
  ASSERT_EQ(body.size(), 1024u);
  EXPECT_EQ(client.Send(Post("/things", body)).result(), http::status::created);
}

TEST_F(ServerTest, MalformedJsonIs400WithLineAndColumn) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(Post("/things", "{\"a\": 1,\n  \"b\" 2}"));
  ExpectProblem(response, http::status::bad_request, "malformed-json",
                "invalid JSON at line 2, column 7: syntax error");
  EXPECT_FALSE(JsonBody(response).contains("field"));
}

TEST_F(ServerTest, JsonThatIsNotAnObjectIs422) {
  TestClient client(StartServer());
  ExpectProblem(client.Send(Post("/things", "[1]")), http::status::unprocessable_entity,
                "invalid-argument", "request body must be a JSON object, got array");
}

TEST_F(ServerTest, PostBodyMustBeJson) {
  TestClient client(StartServer());
  ExpectProblem(client.Send(Post("/things", "{}", "text/plain")),
                http::status::unsupported_media_type, "unsupported-media-type");
  ExpectProblem(client.Send(Post("/things", "{}", "")), http::status::unsupported_media_type,
                "unsupported-media-type");
  ExpectProblem(client.Send(Post("/things", "{}", "application/jsonx")),
                http::status::unsupported_media_type, "unsupported-media-type");
  EXPECT_EQ(client.Send(Post("/things", "{}", "Application/JSON; charset=utf-8")).result(),
            http::status::created);
}

TEST_F(ServerTest, EmptyPostNeedsNoContentType) {
  TestClient client(StartServer());
  // Not 415: there is no body to be of the wrong type; the handler then says what is missing.
  ExpectProblem(client.Send(Post("/things", "", "")), http::status::bad_request, "malformed-json",
                "request body is empty; expected a JSON object");
}

TEST_F(ServerTest, ExpectContinueGetsAnInterimResponse) {
  TestClient client(StartServer());
  ASSERT_FALSE(
      client.WriteRaw("POST /things HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/json\r\nContent-Length: 8\r\n"
                      "Expect: 100-continue\r\n\r\n"));
  ClientResponse interim;
  ASSERT_FALSE(client.Read(&interim));
  EXPECT_EQ(interim.result(), http::status::continue_);
  ASSERT_FALSE(client.WriteRaw("{\"a\":1}\n"));
  ClientResponse response;
  ASSERT_FALSE(client.Read(&response));
  EXPECT_EQ(response.result(), http::status::created);
  EXPECT_EQ(response.body(), "{\"a\":1}");
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
  TestClient client(StartServer());
  ASSERT_FALSE(client.WriteRaw("GET /things/1 HTTP/1.1\r\nHost x\r\n\r\n"));
  ClientResponse response;
  ASSERT_FALSE(client.Read(&response));
  ExpectProblem(response, http::status::bad_request, "bad-request");
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, OversizedHeaderIs400AndCloses) {
  TestClient client(StartServer());
  ClientResponse response;
  ASSERT_FALSE(client.Write(WithHeader(Get("/things/1"), "X-Big", std::string(20000, 'a'))));
  ASSERT_FALSE(client.Read(&response));
  ExpectProblem(response, http::status::bad_request, "bad-request",
                "request header is larger than the limit of 16384 bytes");
  EXPECT_TRUE(client.ClosedByServer());
}

// ---- Authentication and access

TEST_F(ServerTest, AuthenticatedRouteWithoutCredentialsIs401) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(Get("/me"));
  ExpectProblem(response, http::status::unauthorized, "unauthenticated");
  EXPECT_EQ(response[http::field::www_authenticate], "Bearer realm=\"redress\"");
}

TEST_F(ServerTest, InvalidCredentialsAre401WithTheAuthenticatorsReason) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(WithHeader(Get("/me"), "Authorization", "Bearer expired"));
  ExpectProblem(response, http::status::unauthorized, "unauthenticated", "token expired");
  EXPECT_EQ(response[http::field::www_authenticate], "Bearer realm=\"redress\"");
}

TEST_F(ServerTest, AuthenticatorFailureIsItsOwnProblem) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(WithHeader(Get("/me"), "Authorization", "Bearer busy"));
  ExpectProblem(response, http::status::service_unavailable, "unavailable");
  EXPECT_EQ(response[http::field::retry_after], "1");
}

TEST_F(ServerTest, HandlerSeesThePrincipal) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(WithHeader(Get("/me"), "Authorization", "Bearer customer"));
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  EXPECT_EQ(JsonBody(response)["role"], json::value("customer"));
  EXPECT_EQ(JsonBody(response)["via_cookie"], json::value(false));
}

TEST_F(ServerTest, StaffRoutesRefuseCustomers) {
  TestClient client(StartServer());
  ExpectProblem(client.Send(WithHeader(Get("/staff"), "Authorization", "Bearer customer")),
                http::status::forbidden, "permission-denied", "staff only");
  for (std::string role : {"agent", "supervisor", "admin"}) {
    EXPECT_EQ(client.Send(WithHeader(Get("/staff"), "Authorization", "Bearer " + role)).result(),
              http::status::ok)
        << role;
  }
  ExpectProblem(client.Send(Get("/staff")), http::status::unauthorized, "unauthenticated");
}

TEST_F(ServerTest, AdminRoutesRefuseEveryoneElse) {
  TestClient client(StartServer());
  for (std::string role : {"customer", "agent", "supervisor"}) {
    ExpectProblem(client.Send(WithHeader(Get("/admin"), "Authorization", "Bearer " + role)),
                  http::status::forbidden, "permission-denied", "admins only");
  }
  EXPECT_EQ(client.Send(WithHeader(Get("/admin"), "Authorization", "Bearer admin")).result(),
            http::status::ok);
}

TEST_F(ServerTest, AnyoneRoutesDoNotAuthenticate) {
  TestClient client(StartServer());
  ClientResponse response =
      client.Send(WithHeader(Get("/things/1"), "Authorization", "Bearer expired"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(authenticator_.calls.load(), 0);
}

TEST_F(ServerTest, CsrfIsEnforcedForCookieSessionsOnUnsafeMethods) {
  TestClient client(StartServer());
  Request with_cookie = WithHeader(Post("/notes", ""), "Cookie", "redress_session=agent");
  ExpectProblem(client.Send(with_cookie), http::status::forbidden, "permission-denied",
                "missing or wrong X-CSRF-Token header");
  ExpectProblem(client.Send(WithHeader(with_cookie, "X-CSRF-Token", "rdc_wrong-token")),
                http::status::forbidden, "permission-denied",
                "missing or wrong X-CSRF-Token header");
  ExpectProblem(client.Send(WithHeader(with_cookie, "X-CSRF-Token", "rdc_good")),
                http::status::forbidden, "permission-denied");
  EXPECT_EQ(client.Send(WithHeader(with_cookie, "X-CSRF-Token", FakeAuthenticator::kCsrf)).result(),
            http::status::no_content);
}

TEST_F(ServerTest, CsrfIsNotNeededForSafeMethodsOrBearerTokens) {
  TestClient client(StartServer());
  ClientResponse get = client.Send(WithHeader(Get("/me"), "Cookie", "redress_session=agent"));
  EXPECT_EQ(get.result(), http::status::ok);
  EXPECT_EQ(JsonBody(get)["via_cookie"], json::value(true));
  EXPECT_EQ(client.Send(WithHeader(Post("/notes", ""), "Authorization", "Bearer agent")).result(),
            http::status::no_content);
}

// ---- Connections, request ids, failures

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  TestClient client(StartServer());
  for (int i = 0; i < 5; ++i) {
    ClientResponse response = client.Send(Get("/things/" + std::to_string(i)));
    ASSERT_EQ(response.result(), http::status::ok);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(JsonBody(response)["id"], json::value(std::to_string(i)));
  }
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(WithHeader(Get("/things/1"), "Connection", "close"));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, Http10GetsAnHttp10AnswerAndClose) {
  TestClient client(StartServer());
  Request request = Get("/things/1");
  request.version(10);
  ClientResponse response = client.Send(request);
  EXPECT_EQ(response.version(), 10);
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, ValidRequestIdIsEchoed) {
  TestClient client(StartServer());
  ClientResponse ok = client.Send(WithHeader(Get("/things/1"), "X-Request-Id", "abc-123.X_y"));
  EXPECT_EQ(ok["X-Request-Id"], "abc-123.X_y");
  ClientResponse problem = client.Send(WithHeader(Get("/nope"), "X-Request-Id", "trace-7"));
  EXPECT_EQ(problem["X-Request-Id"], "trace-7");
  EXPECT_EQ(JsonBody(problem)["request_id"], json::value("trace-7"));
}

TEST_F(ServerTest, InvalidOrMissingRequestIdIsGenerated) {
  TestClient client(StartServer());
  ClientResponse bad = client.Send(WithHeader(Get("/things/1"), "X-Request-Id", "no spaces!"));
  EXPECT_TRUE(IsGeneratedRequestId(bad["X-Request-Id"])) << bad["X-Request-Id"];
  ClientResponse too_long =
      client.Send(WithHeader(Get("/things/1"), "X-Request-Id", std::string(65, 'a')));
  EXPECT_TRUE(IsGeneratedRequestId(too_long["X-Request-Id"])) << too_long["X-Request-Id"];
  ClientResponse first = client.Send(Get("/things/1"));
  ClientResponse second = client.Send(Get("/things/1"));
  EXPECT_TRUE(IsGeneratedRequestId(first["X-Request-Id"]));
  EXPECT_NE(first["X-Request-Id"], second["X-Request-Id"]);
}

TEST_F(ServerTest, HandlerExceptionIs500AndTheServerKeepsServing) {
  TestClient client(StartServer());
  ClientResponse response = client.Send(Get("/boom"));
  ExpectProblem(response, http::status::internal_server_error, "internal");
  EXPECT_EQ(JsonBody(response)["detail"].as_string().find("handler bug"), std::string::npos);
  // Same connection, then a new one.
  EXPECT_EQ(client.Send(Get("/things/1")).result(), http::status::ok);
  TestClient other(port_);
  EXPECT_EQ(other.Send(Get("/things/2")).result(), http::status::ok);
}

TEST_F(ServerTest, BothThreadsServe) {
  StartServer();
  std::set<std::string> threads;
  // SO_REUSEPORT spreads connections by a hash of the 4-tuple; with 40 connections the
  // chance that all land on one of two threads is 2^-39.
  for (int i = 0; i < 40; ++i) {
    TestClient client(port_);
    ClientResponse response = client.Send(Get("/thread"));
    ASSERT_EQ(response.result(), http::status::ok);
    threads.insert(response.body());
  }
  EXPECT_EQ(threads.size(), 2u);
}

TEST_F(ServerTest, ManyConcurrentConnections) {
  StartServer();
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int i = 0; i < 50; ++i) clients.push_back(std::make_unique<TestClient>(port_));
  for (auto& client : clients) EXPECT_FALSE(client->Write(Get("/things/7")));
  for (auto& client : clients) {
    ClientResponse response;
    ASSERT_FALSE(client->Read(&response));
    EXPECT_EQ(response.result(), http::status::ok);
  }
}

TEST_F(ServerTest, MetricsCountRequestsByRoutePattern) {
  TestClient client(StartServer());
  client.Send(Get("/things/1"));
  client.Send(Get("/things/2"));
  client.Send(Get("/nope"));
  EXPECT_EQ(metrics_.HttpRequests("GET", "/things/{id}", 200).Value(), 2);
  EXPECT_EQ(metrics_.HttpRequests("GET", "unmatched", 404).Value(), 1);
  EXPECT_NE(metrics_.Render().find("http_request_duration_seconds"), std::string::npos);
}

TEST_F(ServerTest, AccessLogHasNoQueryHeadersOrBody) {
  std::mutex mu;
  std::vector<std::string> lines;
  app::InitLogging("info", "json");
  app::SetLogSinkForTesting([&](std::string_view line) {
    std::lock_guard lock(mu);
    lines.emplace_back(line);
  });
  {
    TestClient client(StartServer());
    Request request = Post("/things?secret_query=1", "{\"password\":\"hunter2\"}");
    request.set(http::field::authorization, "Bearer rdt_secret");
    request.set("X-Request-Id", "log-test-1");
    EXPECT_EQ(client.Send(request).result(), http::status::created);
  }
  app::SetLogSinkForTesting({});
  app::InitLogging("error", "text");

  std::lock_guard lock(mu);
  std::string access;
  for (const std::string& line : lines) {
    if (line.find("log-test-1") != std::string::npos) access = line;
  }
  ASSERT_FALSE(access.empty());
  json::object entry = json::parse(access).as_object();
  EXPECT_EQ(entry["msg"], json::value("request"));
  EXPECT_EQ(entry["method"], json::value("POST"));
  EXPECT_EQ(entry["path"], json::value("/things"));
  EXPECT_EQ(entry["status"], json::value(201));
  EXPECT_TRUE(entry["duration_us"].is_int64());
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find("secret"), std::string::npos) << line;
    EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
  }
}

// ---- Lifecycle

TEST_F(ServerTest, StopLetsTheRequestInProgressFinishAndClosesIdleConnections) {
  TestClient busy(StartServer());
  TestClient idle(port_);
  EXPECT_EQ(idle.Send(Get("/things/1")).result(), http::status::ok);

  ASSERT_FALSE(busy.Write(Get("/slow")));
  WaitFor(slow_started_);
  const auto stop_at = std::chrono::steady_clock::now();
  server_->Stop();

  ClientResponse response;
  ASSERT_FALSE(busy.Read(&response));
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(response.body(), "slow done");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(busy.ClosedByServer());
  EXPECT_TRUE(idle.ClosedByServer());

  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_at, 2s);

  asio::io_context context;
  tcp::socket late(context);
  beast::error_code ec;
  late.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  EXPECT_EQ(ec, asio::error::connection_refused) << ec.message();
}

TEST_F(ServerTest, StopAbandonsHandlersAfterTheGraceTime) {
  slow_delay_ = std::chrono::hours(1);
  TestClient client(StartServer(1 << 20, 100ms));
  ASSERT_FALSE(client.Write(Get("/slow")));
  WaitFor(slow_started_);
  const auto stop_at = std::chrono::steady_clock::now();
  server_->Stop();
  server_->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_at, 2s);
  server_.reset();  // destroys the abandoned handler's coroutine
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, StopIsIdempotentAndDestructorStops) {
  StartServer();
  server_->Stop();
  server_->Stop();
  server_->Wait();
  server_.reset();
  SUCCEED();
}

TEST_F(ServerTest, PortInUseIsAnError) {
  StartServer();
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  options.threads = 2;
  Server second(services_, router_, authenticator_, options);
  Result<uint16_t> started = second.Start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(started.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(port_)),
            std::string::npos)
      << started.error().message;
  TestClient client(port_);
  EXPECT_EQ(client.Send(Get("/things/1")).result(), http::status::ok);
}

// ---- Options

TEST(ServerOptionsTest, ParsesListenThreadsAndLimit) {
  app::Config config;
  config.listen = "0.0.0.0:9090";
  config.threads = 4;
  config.body_limit_bytes = 4096;
  auto options = ServerOptionsFromConfig(config);
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->host, "0.0.0.0");
  EXPECT_EQ(options->port, 9090);
  EXPECT_EQ(options->threads, 4);
  EXPECT_EQ(options->body_limit_bytes, 4096);
}

TEST(ServerOptionsTest, ParsesBracketedIpv6AndNames) {
  app::Config config;
  config.listen = "[::1]:0";
  auto v6 = ServerOptionsFromConfig(config);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  config.listen = "localhost:8080";
  auto name = ServerOptionsFromConfig(config);
  ASSERT_TRUE(name);
  EXPECT_EQ(name->host, "localhost");
}

TEST(ServerOptionsTest, RejectsMalformedListen) {
  for (std::string listen : {"8080", "host:", ":80", "host:70000", "::1:80", "[::1]80", "[::1",
                             "host:8x", "host:-1", ""}) {
    app::Config config;
    config.listen = listen;
    auto options = ServerOptionsFromConfig(config);
    ASSERT_FALSE(options) << listen;
    EXPECT_EQ(options.error().field, "listen");
    EXPECT_NE(options.error().message.find("'" + listen + "'"), std::string::npos)
        << options.error().message;
  }
}

TEST(ServerOptionsTest, RejectsThreadsAndLimitOutOfRange) {
  app::Config config;
  config.threads = 0;
  EXPECT_FALSE(ServerOptionsFromConfig(config));
  config.threads = 65;
  EXPECT_FALSE(ServerOptionsFromConfig(config));
  config.threads = 2;
  config.body_limit_bytes = 0;
  EXPECT_FALSE(ServerOptionsFromConfig(config));
}

}  // namespace
}  // namespace redress::http
