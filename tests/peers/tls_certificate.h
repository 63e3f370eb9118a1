// A self-signed certificate for "localhost" and 127.0.0.1, made by the real `openssl req`
// at test time, so the TLS paths of the mail servers and of our clients run for real with
// verification on: the clients trust exactly this certificate (MailEndpoint::ca_file).
#pragma once

#include <string>

#include "core/result.h"

namespace redress::test_peers {

struct TlsFiles {
  std::string certificate;  // PEM; also the CA file a client must trust
  std::string private_key;  // PEM, unencrypted
};

/// Writes cert.pem and key.pem (P-256, valid for 2 days) into `directory`.
Result<TlsFiles> MakeSelfSignedCertificate(const std::string& directory);

}  // namespace redress::test_peers
