// The "host:port" a server listens on, as `[server] listen` and `[mail.lmtp] listen` are
// written: "127.0.0.1:8080", "localhost:8080" or "[::1]:8080". One reading for both, so
// the two settings accept the same spellings and say the same things about bad ones.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace redress::app {

struct ListenAddress {
  std::string host;  // without the brackets of an IPv6 address
  uint16_t port = 0;
};

/// Splits "host:port" or "[IPv6]:port". An IPv6 address must be bracketed, so that its
/// colons cannot be mistaken for the port's. The error says what is wrong, without the
/// setting's name, which the caller adds.
Result<ListenAddress> ParseListenAddress(std::string_view text);

/// The endpoint to bind: a literal address as written, a host name through the resolver.
Result<boost::asio::ip::tcp::endpoint> ResolveListenAddress(const ListenAddress& address);

}  // namespace redress::app
