#include "app/stop_when_drained.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "app/log.h"

namespace redress::app {

namespace {
constexpr auto kDrainPoll = std::chrono::milliseconds(5);
}  // namespace

boost::asio::awaitable<void> StopWhenDrained(boost::asio::io_context& context,
                                             std::function<size_t()> live_connections,
                                             std::chrono::steady_clock::time_point deadline,
                                             std::string server) {
  namespace asio = boost::asio;
  asio::steady_timer timer(context);
  while (live_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(kDrainPoll);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (const size_t left = live_connections(); left > 0) {
    Log(LogLevel::kWarn, "stop grace time over; abandoning connections",
        {{"server", server}, {"connections", static_cast<int64_t>(left)}});
  }
  context.stop();
}

}  // namespace redress::app
