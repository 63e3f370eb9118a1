// Bridges from an Asio coroutine to work that must not run on its I/O thread: CPU work on
// a thread pool (parsing MIME, hashing passwords) and a durable write on the store's
// writer. Either way the result is posted back to the awaiting coroutine's own executor,
// so the coroutine resumes on its thread, never on the pool or the writer. Used by the
// HTTP handlers and the LMTP listener.
//
// (co_spawn onto the pool with use_awaitable corrupted the heap under g++ 12, so the
// bridges are written with async_initiate.)
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>
#include <utility>

#include "core/result.h"
#include "store/store.h"

namespace redress::app {

/// Runs `work` on `pool` and resumes the caller with its result.
template <class T>
boost::asio::awaitable<T> RunOnPool(boost::asio::thread_pool& pool, std::function<T()> work) {
  namespace asio = boost::asio;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(T)>(
      [&pool](auto handler, std::function<T()> job) {
        auto executor = asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        asio::post(pool, [shared, executor, job = std::move(job)]() mutable {
          T result = job();
          asio::post(executor, [shared, result = std::move(result)]() mutable {
            (*shared)(std::move(result));
          });
        });
      },
      asio::use_awaitable, std::move(work));
}

/// Store::SubmitWrite for a coroutine: resumes it once the write is durable (or failed).
/// The completion is posted to the caller's executor, which must still exist then.
inline boost::asio::awaitable<Result<void>> WriteDurably(store::Store& store, store::WriteFn fn) {
  namespace asio = boost::asio;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(Result<void>)>(
      [&store](auto handler, store::WriteFn work) {
        auto executor = asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        store.SubmitWrite(std::move(work), [shared, executor](Result<void> result) {
          asio::post(executor, [shared, result = std::move(result)]() mutable {
            (*shared)(std::move(result));
          });
        });
      },
      asio::use_awaitable, std::move(fn));
}

}  // namespace redress::app
