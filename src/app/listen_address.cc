#include "app/listen_address.h"

#include <boost/asio/io_context.hpp>
#include <charconv>

namespace redress::app {

namespace {

bool ParsePort(std::string_view text, uint16_t& port) {
  if (text.size() > 5) return false;  // "0000080" is not a way to write a port
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return false;
  }
  port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  auto bad = [](std::string message) {
    return Fail(ErrorCode::kInvalidArgument, std::move(message));
  };
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad("must be [IPv6 address]:port");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("must be host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return bad("an IPv6 address must be written in brackets, e.g. [::1]:8080");
    }
  }
  if (host.empty()) return bad("must be host:port, with a host before the colon");
  ListenAddress address{std::string(host), 0};
  if (!ParsePort(port, address.port)) {
    return bad("port '" + std::string(port) + "' must be a number from 0 to 65535");
  }
  return address;
}

Result<boost::asio::ip::tcp::endpoint> ResolveListenAddress(const ListenAddress& address) {
  namespace asio = boost::asio;
  boost::system::error_code ec;
  const asio::ip::address literal = asio::ip::make_address(address.host, ec);
  if (!ec) return asio::ip::tcp::endpoint(literal, address.port);
  asio::io_context context;
  asio::ip::tcp::resolver resolver(context);
  auto results = resolver.resolve(address.host, std::to_string(address.port),
                                  asio::ip::tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "cannot resolve listen host '" + address.host + "': " +
                                                 (ec ? ec.message() : std::string("no addresses")));
  }
  return results.begin()->endpoint();
}

}  // namespace redress::app
