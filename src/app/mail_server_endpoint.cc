#include "app/mail_server_endpoint.h"

#include <charconv>
#include <string>
#include <string_view>

#include "core/secret_file.h"

namespace redress::app {
namespace {

namespace transport = email::transport;

tl::unexpected<Error> Bad(const std::string& setting, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument, "[" + setting + "] " + what, setting);
}

}  // namespace

Result<transport::MailEndpoint> ToMailEndpoint(const MailServerConfig& server,
                                               const EndpointSchemes& schemes,
                                               const std::string& setting) {
  std::string_view url = server.url;
  const size_t separator = url.find("://");
  if (separator == std::string_view::npos) return Bad(setting, "url must be scheme://host[:port]");
  const std::string_view scheme = url.substr(0, separator);
  const bool implicit_scheme = scheme == schemes.tls;
  if (!implicit_scheme && scheme != schemes.plain) {
    return Bad(setting, "url scheme must be " + std::string(schemes.plain) + " or " +
                            std::string(schemes.tls));
  }
  std::string_view rest = url.substr(separator + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  transport::MailEndpoint endpoint;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6 literal]
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return Bad(setting, "url has an unclosed '['");
    endpoint.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Bad(setting, "url has text after the host");
      port_text = rest.substr(1);
    }
  } else {
    const size_t colon = rest.find(':');
    endpoint.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (endpoint.host.empty() || endpoint.host.find_first_of("/@?# ") != std::string::npos) {
    return Bad(setting, "url must name a host (scheme://host[:port], no user or path)");
  }
  endpoint.port = implicit_scheme ? schemes.tls_port : schemes.plain_port;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return Bad(setting, "url port must be a number from 1 to 65535");
    }
    endpoint.port = static_cast<uint16_t>(port);
  }

  const std::string& tls = server.tls;
  if (tls.empty()) {
    endpoint.tls = implicit_scheme ? transport::TlsMode::kImplicit
                                   : transport::TlsMode::kStartTlsRequired;
  } else if (tls == "implicit") {
    endpoint.tls = transport::TlsMode::kImplicit;
  } else if (implicit_scheme) {
    return Bad(setting, "tls = \"" + tls + "\" contradicts the " + std::string(schemes.tls) +
                            ":// url (implicit TLS)");
  } else if (tls == "none") {
    endpoint.tls = transport::TlsMode::kNone;
  } else if (tls == "starttls_optional") {
    endpoint.tls = transport::TlsMode::kStartTlsOptional;
  } else if (tls == "starttls") {
    endpoint.tls = transport::TlsMode::kStartTlsRequired;
  } else {
    return Bad(setting, "tls must be one of none, starttls_optional, starttls, implicit");
  }

  endpoint.username = server.username;
  if (!server.password_file.empty()) {
    auto password = ReadSecretFile(server.password_file, setting + " password_file");
    if (!password) return Fail(password.error());
    endpoint.password = std::move(*password);
  }
  endpoint.ca_file = server.ca_file;
  return endpoint;
}

}  // namespace redress::app
