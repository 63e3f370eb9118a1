// `redress-mailgate` over https:// against a real TLS server: Python's http.server wrapped
// in its ssl module (OpenSSL), with the test's self-signed certificate. The peer answers
// 201 only for the request a Redress server expects (path, mailbox, Bearer token, content
// type, body), so the test sees what went over the wire as well as the TLS checks.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "mail_integration/configured_server.h"
#include "peers/tls_certificate.h"
#include "support/test_server.h"

namespace redress::testing {
namespace {

constexpr const char* kPeer = R"PY(
import http.server, json, os, ssl, sys
cert, key = sys.argv[1], sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ok = (self.path == "/redress/api/v1/inbound/email?mailbox=orders"
              and self.headers.get("Authorization") == "Bearer rdt_peer_token"
              and self.headers.get("Content-Type") == "message/rfc822"
              and body.startswith(b"From: "))
        reply = json.dumps({"peer": "ok" if ok else "unexpected request", "bytes": len(body)}).encode()
        self.send_response(201 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], os.getpid(), flush=True)
server.serve_forever()
)PY";

class MailgateHttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("redress-mailgate-https-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto tls = test_peers::MakeSelfSignedCertificate(dir_.string());
    ASSERT_TRUE(tls) << tls.error().message;
    tls_ = *tls;
    WriteTestFile(dir_ / "peer.py", kPeer);
    WriteTestFile(dir_ / "token", "rdt_peer_token\n");
    const std::string command = "exec /usr/bin/python3 " + (dir_ / "peer.py").string() + " " +
                                tls_.certificate + " " + tls_.private_key;
    peer_ = ::popen(command.c_str(), "r");
    ASSERT_NE(peer_, nullptr);
    ASSERT_EQ(std::fscanf(peer_, "%d %d", &port_, &pid_), 2) << "the HTTPS peer did not start";
  }
  void TearDown() override {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    if (peer_ != nullptr) ::pclose(peer_);
    std::filesystem::remove_all(dir_);
  }
  ProcessResult Gate(const std::string& host, std::vector<std::string> extra) {
    std::vector<std::string> args{REDRESS_MAILGATE_BINARY,
                                  "--url",
                                  "https://" + host + ":" + std::to_string(port_) + "/redress/",
                                  "--token-file",
                                  (dir_ / "token").string(),
                                  "--mailbox",
                                  "orders"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunProcess(args, "From: a@shop.example\r\nSubject: Refund\r\n\r\nStill waiting.\r\n");
  }

  std::filesystem::path dir_;
  test_peers::TlsFiles tls_;
  FILE* peer_ = nullptr;
  int port_ = 0;
  int pid_ = 0;
};

TEST_F(MailgateHttpsTest, ATrustedCertificateCarriesTheMessageToThePath) {
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    ProcessResult r = Gate(host, {"--ca-file", tls_.certificate});
    EXPECT_EQ(r.exit_code, 0) << host << ": " << r.Describe();
    EXPECT_NE(r.err.find("\"peer\": \"ok\""), std::string::npos) << host << ": " << r.Describe();
    EXPECT_EQ(r.err.find("rdt_peer_token"), std::string::npos) << "the token leaked";
  }
}

TEST_F(MailgateHttpsTest, AnUntrustedCertificateIsRefusedBeforeTheTokenIsSent) {
  // The system's CAs do not include the test's self-signed certificate.
  ProcessResult r = Gate("127.0.0.1", {});
  EXPECT_EQ(r.exit_code, 75) << r.Describe();
  EXPECT_NE(r.err.find("TLS handshake"), std::string::npos) << r.Describe();
  EXPECT_NE(r.err.find("certificate verify failed"), std::string::npos) << r.Describe();
}

}  // namespace
}  // namespace redress::testing
