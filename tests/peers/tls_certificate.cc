#include "peers/tls_certificate.h"

#include "peers/child_process.h"

namespace redress::test_peers {

Result<TlsFiles> MakeSelfSignedCertificate(const std::string& directory) {
  TlsFiles files{directory + "/cert.pem", directory + "/key.pem"};
  ChildProcess::Options options;
  options.argv = {"/usr/bin/openssl",
                  "req",
                  "-x509",
                  "-newkey",
                  "ec",
                  "-pkeyopt",
                  "ec_paramgen_curve:prime256v1",
                  "-nodes",
                  "-days",
                  "2",
                  "-subj",
                  "/CN=localhost",
                  "-addext",
                  "subjectAltName=DNS:localhost,IP:127.0.0.1",
                  "-keyout",
                  files.private_key,
                  "-out",
                  files.certificate};
  options.output_file = directory + "/openssl.log";
  auto openssl = ChildProcess::Start(options);
  if (!openssl) return Fail(openssl.error());
  auto status = (*openssl)->Wait(std::chrono::seconds(30));
  if (!status) return Fail(status.error());
  if (*status != 0) {
    return Fail(ErrorCode::kInternal, "openssl req failed (exit " + std::to_string(*status) +
                                          "); see " + options.output_file);
  }
  return files;
}

}  // namespace redress::test_peers
