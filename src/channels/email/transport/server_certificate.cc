#include "channels/email/transport/server_certificate.h"

#include <arpa/inet.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

namespace redress::email::transport {
namespace {

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_pop_free(stack, X509_free); }
};
struct StoreFree {
  void operator()(X509_STORE* store) const { X509_STORE_free(store); }
};
struct ContextFree {
  void operator()(X509_STORE_CTX* context) const { X509_STORE_CTX_free(context); }
};

X509* FromDer(const std::string& der) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(der.data());
  return d2i_X509(nullptr, &bytes, static_cast<long>(der.size()));
}

tl::unexpected<Error> Untrusted(const std::string& host, const std::string& why) {
  return Fail(ErrorCode::kUnavailable,
              "TLS: the certificate of " + host + " is not trusted: " + why);
}

}  // namespace

bool IsIpAddress(const std::string& host) {
  unsigned char address[16];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

Result<void> CheckServerCertificate(const std::vector<std::string>& chain_der,
                                    const std::string& host, const std::string& ca_file) {
  if (chain_der.empty()) return Untrusted(host, "the server sent no certificate");
  std::unique_ptr<X509, X509Free> leaf(FromDer(chain_der.front()));
  std::unique_ptr<STACK_OF(X509), StackFree> intermediates(sk_X509_new_null());
  if (!leaf || !intermediates) return Untrusted(host, "its certificate cannot be read");
  for (size_t i = 1; i < chain_der.size(); ++i) {
    X509* cert = FromDer(chain_der[i]);
    if (cert == nullptr) return Untrusted(host, "a certificate of its chain cannot be read");
    sk_X509_push(intermediates.get(), cert);
  }
  std::unique_ptr<X509_STORE, StoreFree> authorities(X509_STORE_new());
  const int loaded = ca_file.empty() ? X509_STORE_set_default_paths(authorities.get())
                                     : X509_STORE_load_file(authorities.get(), ca_file.c_str());
  if (loaded != 1) {
    return Untrusted(host, "cannot load the certificate authorities of " +
                               (ca_file.empty() ? std::string("the system store") : ca_file));
  }
  std::unique_ptr<X509_STORE_CTX, ContextFree> context(X509_STORE_CTX_new());
  if (!context ||
      X509_STORE_CTX_init(context.get(), authorities.get(), leaf.get(), intermediates.get()) != 1) {
    return Fail(ErrorCode::kInternal, "TLS: cannot set up the certificate check");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  const int named = IsIpAddress(host) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                      : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  if (named != 1) return Fail(ErrorCode::kInternal, "TLS: cannot check the name " + host);
  if (X509_verify_cert(context.get()) != 1) {
    return Untrusted(host, X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get())));
  }
  return {};
}

}  // namespace redress::email::transport
