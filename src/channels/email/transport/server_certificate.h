// Checks the certificate chain a mail server presented in a TLS handshake that some other
// library made (libetpan's GnuTLS connection for IMAP IDLE, which checks nothing itself):
// the chain must lead to a trusted authority and the leaf must name the host we dialled
// (DNS name, or IP address when we dialled one). Done before any password is sent, it gives
// that connection the same guarantee CURLOPT_SSL_VERIFYPEER/VERIFYHOST give libcurl's.
//
// The handshake itself has already proved that the server holds the leaf's private key;
// this decides whether that key speaks for `host`.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace redress::email::transport {

/// `chain_der`: the server's certificates as sent, leaf first, DER encoded. `ca_file`: PEM
/// authorities to trust instead of the system store ("" for the system store). kUnavailable
/// naming the host and OpenSSL's reason when the chain is not good (as a TLS failure is for
/// libcurl's connections: the operator fixes the server or the CA file, then it works).
Result<void> CheckServerCertificate(const std::vector<std::string>& chain_der,
                                    const std::string& host, const std::string& ca_file);

/// Whether `host` is an IPv4 or IPv6 address literal (checked as an address, never sent as
/// a TLS server name) rather than a DNS name.
bool IsIpAddress(const std::string& host);

}  // namespace redress::email::transport
