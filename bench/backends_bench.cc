// SQLite and PostgreSQL side by side, in process, through the real case service: durable
// case creations per second (8 writer threads), case reads per second (2 reader threads,
// random cases), and events appended per second with 8 threads all writing notes to ONE
// case (the per-case lock at work). Prints a table; never passes or fails.
//
//   REDRESS_BENCH_PG_URL=postgres://user:pw@host/db build/release/bench/backends_bench
//
// REDRESS_BENCH_PG_URL must name an EMPTY database (it is migrated and filled). Without it
// only SQLite is measured. BENCH_SECONDS (default 3) sets each run's length. Both stores
// keep their defaults (SQLite: WAL, synchronous=FULL, group commit; PostgreSQL: 4 writer
// connections, synchronous_commit as the server has it).
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "app/case_service.h"
#include "app/open_store.h"
#include "core/clock.h"
#include "domain/case_commands.h"
#include "store/store.h"

namespace redress::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Figures {
  double creations = 0;
  double reads = 0;
  double contended_appends = 0;
  std::string error;
};

// Runs `op` on `threads` threads for `seconds`; returns operations per second, or -1 and
// `error` set when an operation failed.
double Rate(int threads, double seconds, const std::function<Result<void>(int)>& op,
            std::string& error) {
  std::atomic<int64_t> done{0};
  std::atomic<bool> failed{false};
  std::string first_error;
  std::mutex error_mu;
  const auto until = SteadyClock::now() + std::chrono::duration<double>(seconds);
  const auto start = SteadyClock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (SteadyClock::now() < until && !failed.load()) {
        if (auto ok = op(t); !ok) {
          std::lock_guard lock(error_mu);
          if (!failed.exchange(true)) first_error = ok.error().message;
          return;
        }
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (failed) {
    error = first_error;
    return -1;
  }
  return static_cast<double>(done.load()) / elapsed;
}

Figures Measure(const std::string& url, double seconds) {
  Figures figures;
  auto opened = app::OpenStore(url, app::MigratePolicy::kApply);
  if (!opened) {
    figures.error = opened.error().message;
    return figures;
  }
  store::Store& store = **opened;
  SystemClock clock;
  domain::User user;
  user.email = "bench.agent@example.com";
  user.display_name = "Bench Agent";
  user.role = domain::Role::kAgent;
  user.level = 1;
  user.created_at = clock.Now();
  domain::Customer customer;
  customer.name = "Bench Customer";
  customer.identities.push_back({domain::IdentityKind::kEmail, "bench@example.com", false});
  customer.created_at = clock.Now();
  if (auto written = store.Write([&](store::WriteTx& tx) -> Result<void> {
        if (auto inserted = tx.InsertUser(user); !inserted) return inserted;
        return tx.InsertCustomer(customer);
      });
      !written) {
    figures.error = written.error().message;
    return figures;
  }
  const domain::Principal agent = user.AsPrincipal();
  const app::CaseService cases(store);
  std::atomic<int64_t> counter{0};
  std::atomic<int64_t> last_id{0};

  auto open_case = [&](int) -> Result<void> {
    return store.Write([&](store::WriteTx& tx) -> Result<void> {
      domain::OpenCaseInput input;
      input.customer_id = customer.id;
      input.subject = "Parcel not delivered " + std::to_string(counter.fetch_add(1));
      input.body = "The tracking page says delivered but nothing arrived.";
      input.channel = domain::Channel::kApi;
      auto change = cases.Open(tx, agent, input, clock.Now());
      if (!change) return Fail(change.error());
      last_id.store(change->state.id);
      return {};
    });
  };
  figures.creations = Rate(8, seconds, open_case, figures.error);
  if (figures.creations < 0) return figures;

  const int64_t max_id = last_id.load();
  auto read_case = [&](int t) -> Result<void> {
    thread_local std::mt19937_64 random(static_cast<uint64_t>(t) + 7);
    std::uniform_int_distribution<int64_t> pick(1, max_id);
    auto found = store.GetCase(pick(random));
    if (!found) return Fail(found.error());
    return {};
  };
  figures.reads = Rate(2, seconds, read_case, figures.error);
  if (figures.reads < 0) return figures;

  const int64_t hot = max_id;
  auto append_note = [&](int t) -> Result<void> {
    return store.Write([&](store::WriteTx& tx) -> Result<void> {
      auto change = cases.Apply(
          tx, agent, hot,
          [&](const domain::CaseState& state) {
            return domain::AddNote(state, agent, "note from thread " + std::to_string(t),
                                   clock.Now());
          },
          clock.Now());
      if (!change) return Fail(change.error());
      return {};
    });
  };
  figures.contended_appends = Rate(8, seconds, append_note, figures.error);
  return figures;
}

void Print(const char* name, const Figures& f) {
  if (!f.error.empty()) {
    std::printf("%-12s error: %s\n", name, f.error.c_str());
    return;
  }
  std::printf("%-12s %18.0f %14.0f %26.0f\n", name, f.creations, f.reads, f.contended_appends);
}

}  // namespace
}  // namespace redress::bench

int main() {
  namespace fs = std::filesystem;
  const char* seconds_text = getenv("BENCH_SECONDS");
  const double seconds = seconds_text != nullptr ? std::atof(seconds_text) : 3.0;
  const char* tmp = getenv("TMPDIR");
  std::string dir = std::string(tmp != nullptr && *tmp ? tmp : "/tmp") + "/redress-bb.XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) return 1;

  std::printf("%-12s %18s %14s %26s\n", "backend", "case creations/s", "case reads/s",
              "appends/s (1 case, 8 thr)");
  redress::bench::Print("sqlite", redress::bench::Measure(dir + "/bench.db", seconds));
  const char* pg = getenv("REDRESS_BENCH_PG_URL");
  if (pg != nullptr && *pg != '\0') {
    redress::bench::Print("postgresql", redress::bench::Measure(pg, seconds));
  } else {
    std::printf("%-12s (set REDRESS_BENCH_PG_URL to an empty database to measure it)\n",
                "postgresql");
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
