// Escalation figures (issue 4): the cost of computing a case's deadlines, and a burst of
// due SLA deadlines fired through the real timer handler against SQLite (each one an
// sla_breached event, an escalation with round-robin routing and the timer set to the next
// deadline; up to 512 timers are claimed and fired in one durable write). Plain
// main; prints figures. bench/deadline_bench measures the same burst at scale (1M open
// cases), the restart and the firing accuracy.
//
//   escalation_bench [cases=20000] [dir=/tmp]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "app/case_service.h"
#include "app/escalation_reactor.h"
#include "app/policy_holder.h"
#include "core/clock.h"
#include "domain/case_commands.h"
#include "engine/job_runner.h"
#include "engine/sla_deadline_timer.h"
#include "policy/sla_clock.h"
#include "store/sqlite/sqlite_store.h"

using namespace redress;
using Wall = std::chrono::steady_clock;

static double Seconds(Wall::time_point since) {
  return std::chrono::duration<double>(Wall::now() - since).count();
}

static long MaxRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int main(int argc, char** argv) {
  const int cases = argc > 1 ? std::stoi(argv[1]) : 20000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  const std::string path = dir + "/redress-escalation-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  FakeClock clock(Timestamp(std::chrono::seconds(1'800'000'000)));
  auto store = store::sqlite::SqliteStore::Open(path);
  if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
  auto policies = app::PolicyHolder::Load(**store, clock, "");
  if (!policies) return std::fprintf(stderr, "%s\n", policies.error().message.c_str()), 1;
  app::CaseService service(**store);
  app::EscalationReactor reactor(**store, **policies);
  service.AddReactor(reactor);

  domain::Customer customer;
  customer.name = "Bench";
  customer.created_at = clock.Now();
  customer.identities.push_back({domain::IdentityKind::kEmail, "bench@example.com", true});
  if (!(*store)->Write([&](store::WriteTx& tx) { return tx.InsertCustomer(customer); })) return 1;

  // 1. Opening cases: each write also computes its deadlines, stores next_due_at and
  // schedules its job.
  auto start = Wall::now();
  const domain::Principal agent{domain::Role::kAgent, 1, "Bench agent", 1};
  constexpr int kPerWrite = 500;
  int64_t last_id = 0;
  for (int done = 0; done < cases; done += kPerWrite) {
    auto written = (*store)->Write([&](store::WriteTx& tx) -> Result<void> {
      for (int i = done; i < std::min(cases, done + kPerWrite); ++i) {
        domain::OpenCaseInput input;
        input.customer_id = customer.id;
        input.subject = "Case " + std::to_string(i);
        input.body = "Where is my refund?";
        auto opened = service.Open(tx, agent, input, clock.Now());
        if (!opened) return Fail(opened.error());
        last_id = opened->state.id;
      }
      return {};
    });
    if (!written) return std::fprintf(stderr, "%s\n", written.error().message.c_str()), 1;
  }
  const double open_s = Seconds(start);
  std::printf("opened %d cases with their deadlines scheduled: %.2f s (%.0f cases/s)\n", cases,
              open_s, cases / open_s);

  // 2. ComputeSla alone (what a reload of every timer would cost if due times were not
  // persisted).
  auto state = (*store)->GetCase(last_id);
  if (!state) return 1;
  const auto policy = (*policies)->Get();
  constexpr int kComputes = 1'000'000;
  start = Wall::now();
  int64_t sink = 0;
  for (int i = 0; i < kComputes; ++i) {
    sink += policy::ComputeSla(*state, *policy, clock.Now()).deadlines.size();
  }
  const double compute_s = Seconds(start);
  std::printf("ComputeSla x %d: %.2f s (%.2f us/case) [%lld]\n", kComputes, compute_s,
              compute_s * 1e6 / kComputes, static_cast<long long>(sink));

  // 3. The burst: every case's first response (8h) is missed at once.
  clock.Advance(std::chrono::hours(8) + std::chrono::seconds(1));
  engine::JobRunnerOptions options;
  options.owner = "bench";
  engine::JobRunner runner(**store, clock, options);
  engine::RegisterSlaDeadlineTimers(runner, service, **policies);
  start = Wall::now();
  const engine::PassReport report = runner.RunUntilIdle(1000);
  const double burst_s = Seconds(start);
  std::printf("burst: %d due deadlines breached and escalated in %.2f s (%.0f /s); "
              "retried %d, lost %d, errors %d\n",
              report.done, burst_s, report.done / burst_s, report.retried, report.lost,
              report.errors);

  const auto bytes = std::filesystem::file_size(path) +
                     (std::filesystem::exists(path + "-wal") ? std::filesystem::file_size(path + "-wal") : 0);
  std::printf(
      "database: %.1f MB for %d cases (%.0f bytes/case, events and indexes included); "
      "max RSS %ld kB (deadline_bench measures memory per open case)\n",
      bytes / 1e6, cases, static_cast<double>(bytes) / cases, MaxRssKb());
  return 0;
}
