// In-process benchmarks of the storage path, without HTTP: how many cases per second the
// store makes durable (one open-case transaction per Store::Write, from 1 and from 8
// threads, so the group commit shows how much it batches), and how fast GetCase reads a
// projection row. Prints figures; it never passes or fails on them.
//
//   build/release/bench/store_bench [--benchmark_min_time=2]
//
// The database lives in a fresh directory under $TMPDIR (default /tmp) and is removed at
// exit. Put TMPDIR on the disk you want to measure: fsync cost is most of a write.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <utility>

#include "app/case_service.h"
#include "app/open_store.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/case_commands.h"
#include "domain/customer.h"
#include "domain/principal.h"
#include "domain/user.h"
#include "store/store.h"

namespace redress::bench {
namespace {

// Cases written before the read benchmarks so that reads spread over a realistic table
// instead of one hot row; one transaction, so setup costs one fsync.
constexpr int kPreloadedCases = 2000;

struct World {
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  SystemClock clock;
  domain::Principal agent;
  int64_t customer_id = 0;
  int64_t first_case_id = 0;
  int64_t last_case_id = 0;
  std::atomic<int64_t> subject_counter{0};
};

World* world = nullptr;

domain::OpenCaseInput NextCaseInput() {
  const int64_t n = world->subject_counter.fetch_add(1, std::memory_order_relaxed);
  domain::OpenCaseInput input;
  input.customer_id = world->customer_id;
  input.subject = "Parcel not delivered (bench n" + std::to_string(n) + ")";
  input.body =
      "The tracking page says delivered but nothing arrived. Order " + std::to_string(n) + ".";
  input.channel = domain::Channel::kApi;
  input.category = "delivery";
  return input;
}

// One open-case transaction: exactly what POST /api/v1/cases asks of the store.
Result<int64_t> OpenOneCase(store::WriteTx& tx) {
  auto change =
      app::CaseService(*world->store).Open(tx, world->agent, NextCaseInput(), world->clock.Now());
  if (!change) return Fail(change.error());
  return change->state.id;
}

void ReportError(benchmark::State& state, const Error& error) {
  state.SkipWithError(("store error: " + error.message).c_str());
}

void BM_OpenCase(benchmark::State& state) {
  std::optional<store::StoreStats> before;
  if (state.thread_index() == 0) {
    if (auto stats = world->store->Stats()) before = *stats;
  }
  for (auto _ : state) {
    auto written = world->store->Write([](store::WriteTx& tx) -> Result<void> {
      auto id = OpenOneCase(tx);
      if (!id) return Fail(id.error());
      return {};
    });
    if (!written) {
      ReportError(state, written.error());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  // Every thread has left the loop when thread 0 gets here (the loop ends at a barrier).
  if (state.thread_index() == 0 && before) {
    if (auto after = world->store->Stats()) {
      const int64_t commits = after->commits - before->commits;
      const int64_t writes = after->committed_writes - before->committed_writes;
      if (commits > 0) {
        state.counters["writes_per_commit"] =
            static_cast<double>(writes) / static_cast<double>(commits);
      }
    }
  }
}
BENCHMARK(BM_OpenCase)->Threads(1)->Threads(8)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_GetCase(benchmark::State& state) {
  std::mt19937_64 random(static_cast<uint64_t>(state.thread_index()) + 1);
  std::uniform_int_distribution<int64_t> pick(world->first_case_id, world->last_case_id);
  for (auto _ : state) {
    auto found = world->store->GetCase(pick(random));
    if (!found) {
      ReportError(state, found.error());
      break;
    }
    benchmark::DoNotOptimize(found->last_seq);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetCase)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

Result<void> Prepare(World& w) {
  const char* tmp = getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/redress-store-bench.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return Fail(ErrorCode::kUnavailable, "cannot create a directory like " + pattern);
  }
  w.dir = pattern;
  auto opened = app::OpenStore((w.dir / "bench.db").string(), app::MigratePolicy::kApply);
  if (!opened) return Fail(opened.error());
  w.store = std::move(*opened);

  domain::User user;
  user.email = "bench.agent@example.com";
  user.display_name = "Bench Agent";
  user.role = domain::Role::kAgent;
  user.level = 1;
  user.created_at = w.clock.Now();
  domain::Customer customer;
  customer.name = "Bench Customer";
  customer.identities.push_back(
      domain::Identity{domain::IdentityKind::kEmail, "bench.customer@example.com", false});
  customer.created_at = w.clock.Now();
  if (auto written = w.store->Write([&](store::WriteTx& tx) -> Result<void> {
        if (auto inserted = tx.InsertUser(user); !inserted) return inserted;
        return tx.InsertCustomer(customer);
      });
      !written) {
    return Fail(written.error());
  }
  w.agent = user.AsPrincipal();
  w.customer_id = customer.id;

  return w.store->Write([&](store::WriteTx& tx) -> Result<void> {
    for (int i = 0; i < kPreloadedCases; ++i) {
      auto id = OpenOneCase(tx);
      if (!id) return Fail(id.error());
      if (w.first_case_id == 0) w.first_case_id = *id;
      w.last_case_id = *id;
    }
    return {};
  });
}

}  // namespace
}  // namespace redress::bench

int main(int argc, char** argv) {
  using redress::bench::world;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  auto owned = std::make_unique<redress::bench::World>();
  world = owned.get();
  auto prepared = redress::bench::Prepare(*owned);
  int exit_code = 0;
  if (!prepared) {
    std::fprintf(stderr, "store_bench: setup failed: %s\n", prepared.error().message.c_str());
    exit_code = 1;
  } else {
    std::fprintf(stderr, "store_bench: database %s, %d preloaded cases\n",
                 (owned->dir / "bench.db").c_str(), redress::bench::kPreloadedCases);
    benchmark::RunSpecifiedBenchmarks();
  }
  benchmark::Shutdown();

  const std::filesystem::path dir = owned->dir;
  world = nullptr;
  owned.reset();  // closes the database before its files go
  if (!dir.empty()) {
    std::error_code remove_error;
    std::filesystem::remove_all(dir, remove_error);
    if (remove_error) {
      std::fprintf(stderr, "store_bench: could not remove %s: %s\n", dir.c_str(),
                   remove_error.message().c_str());
    }
  }
  return exit_code;
}
