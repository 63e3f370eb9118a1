// Deadline timers decided beside the writer (engine/prepared_claim.h) against the same
// timers decided on the writer one after the other, on both backends: the two must leave
// exactly the same records (the same events, so the same hashes, with the same owners
// picked round robin), and a case whose decision fails or throws on the deciding thread is
// still undone alone.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "app/escalation_reactor.h"
#include "app/policy_holder.h"
#include "domain/case_commands.h"
#include "engine/job_runner.h"
#include "engine/sla_deadline_timer.h"
#include "store/test_backends.h"

namespace redress::engine {
namespace {

using namespace std::chrono_literals;
using store::testutil::T;

constexpr int kCases = 60;  // more than one claim (batched_claim below)

// One installation: a fresh database, the real write path and a runner.
struct Installation {
  Installation(const std::string& backend_name, bool aside) {
    backend = store::testutil::MakeBackend(backend_name);
    auto opened = backend->Open();
    if (!opened) throw std::runtime_error(opened.error().message);
    store = std::move(*opened);
    customer = store::testutil::AddCustomer(*store, "Asha", "asha@example.com");
    auto users = store->Write([&](store::WriteTx& tx) -> Result<void> {
      for (const char* name : {"Mei", "Sara", "Omar"}) {
        domain::User user;
        user.email = std::string(name) + "@example.com";
        user.display_name = name;
        user.level = 2;
        if (auto inserted = tx.InsertUser(user); !inserted) return inserted;
        members.push_back(user.id);
      }
      return {};
    });
    if (!users) throw std::runtime_error(users.error().message);
    auto loaded = app::PolicyHolder::Load(*store, clock, "");
    if (!loaded) throw std::runtime_error(loaded.error().message);
    policies = std::move(*loaded);
    // The built-in matrix with members at L2, so every escalation routes round robin.
    std::string source = app::BuiltInPolicySource();
    const std::string l2 = "name = \"L2 Escalations\"\n";
    source.replace(source.find(l2), l2.size(),
                   l2 + "members = [{ id = " + std::to_string(members[0]) +
                       ", name = \"Mei\" }, { id = " + std::to_string(members[1]) +
                       ", name = \"Sara\" }, { id = " + std::to_string(members[2]) +
                       ", name = \"Omar\" }]\n");
    if (auto replaced = policies->Replace(source); !replaced) {
      throw std::runtime_error(replaced.error().message);
    }
    cases = std::make_unique<app::CaseService>(*store);
    reactor = std::make_unique<app::EscalationReactor>(*store, *policies);
    cases->AddReactor(*reactor);
    JobRunnerOptions options;
    options.owner = "node";
    // 20 cases a claim: not 1 more than a multiple of the 3 members, so a claim whose
    // cursor saves were lost would start the next one on the wrong member.
    options.batched_claim = 20;
    options.decide_timers_aside = aside;
    runner = std::make_unique<JobRunner>(*store, clock, options);
  }

  std::vector<int64_t> OpenCases(int n) {
    std::vector<int64_t> ids;
    const domain::Principal agent{domain::Role::kAgent, 1, "Priya (L1)", 1};
    for (int i = 0; i < n; ++i) {
      domain::OpenCaseInput input;
      input.customer_id = customer;
      input.subject = "Refund " + std::to_string(i);
      input.body = "Still waiting";
      auto opened = cases->OpenNow(*store, agent, input, clock.Now());
      if (!opened) throw std::runtime_error(opened.error().message);
      ids.push_back(opened->state.id);
    }
    return ids;
  }

  std::unique_ptr<store::testutil::TestBackend> backend;
  std::unique_ptr<store::Store> store;
  FakeClock clock{T(1'800'000'000)};
  int64_t customer = 0;
  std::vector<int64_t> members;
  std::unique_ptr<app::PolicyHolder> policies;
  std::unique_ptr<app::CaseService> cases;
  std::unique_ptr<app::EscalationReactor> reactor;
  std::unique_ptr<JobRunner> runner;
};

class PreparedClaimTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PreparedClaimTest, DecidingBesideTheWriterRecordsExactlyWhatDecidingOnItDoes) {
  Installation aside(GetParam(), /*aside=*/true);
  Installation on_writer(GetParam(), /*aside=*/false);
  ASSERT_EQ(aside.members, on_writer.members);
  for (Installation* installation : {&aside, &on_writer}) {
    RegisterSlaDeadlineTimers(*installation->runner, *installation->cases, *installation->policies);
    ASSERT_EQ(installation->OpenCases(kCases).size(), static_cast<size_t>(kCases));
    installation->clock.Advance(9h);  // past L1's first response (8h)
    const PassReport pass = installation->runner->RunUntilIdle();
    EXPECT_EQ(pass.done, kCases);
    EXPECT_EQ(pass.retried + pass.errors + pass.lost, 0);
  }

  std::vector<int64_t> owners;  // of the escalations, in case order
  for (int64_t id = 1; id <= kCases; ++id) {
    auto mine = aside.store->LoadEvents(id);
    auto theirs = on_writer.store->LoadEvents(id);
    ASSERT_TRUE(mine && theirs);
    ASSERT_EQ(mine->size(), theirs->size()) << "case " << id;
    for (size_t i = 0; i < mine->size(); ++i) {
      EXPECT_EQ((*mine)[i].hash, (*theirs)[i].hash) << "case " << id << " event " << i;
    }
    ASSERT_GE(mine->size(), 3u);
    EXPECT_EQ((*mine)[1].type, domain::EventType::kSlaBreached) << "case " << id;
    ASSERT_EQ((*mine)[2].type, domain::EventType::kEscalated) << "case " << id;
    owners.push_back((*mine)[2].data.at("owner_id").as_int64());
    auto state = aside.store->GetCase(id);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->level, 2);
  }
  // Round robin through the claims, the first escalation of each claim included (which
  // the writer decides itself: the deciding thread has no cursor for L2 yet).
  for (size_t i = 0; i < owners.size(); ++i) {
    EXPECT_EQ(owners[i], aside.members[i % 3]) << "case " << i + 1;
  }
}

TEST_P(PreparedClaimTest, ACaseWhoseDecisionFailsOrThrowsBesideTheWriterIsUndoneAlone) {
  Installation installation(GetParam(), /*aside=*/true);
  const std::vector<int64_t> ids = installation.OpenCases(10);
  const int64_t failing = ids[2];
  const int64_t throwing = ids[6];
  const PreparedCaseTimerHandler real =
      SlaDeadlineHandler(*installation.cases, *installation.policies);
  installation.runner->RegisterPreparedCaseTimers(
      [&](store::DecideTx& tx, store::DueCase& due, Timestamp now) -> Result<TimerWrite> {
        if (due.case_id == failing) return Fail(ErrorCode::kUnavailable, "no decision today");
        if (due.case_id == throwing) throw std::runtime_error("a bug in the decision");
        return real(tx, due, now);
      });
  installation.clock.Advance(9h);
  const PassReport pass = installation.runner->RunDueJobs();
  EXPECT_EQ(pass.done, 8);
  EXPECT_EQ(pass.retried, 2);
  for (int64_t id : ids) {
    auto state = installation.store->GetCase(id);
    ASSERT_TRUE(state);
    const bool bad = id == failing || id == throwing;
    EXPECT_EQ(state->level, bad ? 1 : 2) << "case " << id;
    EXPECT_EQ(state->last_seq, bad ? 1 : 3) << "case " << id;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, PreparedClaimTest,
                         ::testing::ValuesIn(store::testutil::BackendNames()),
                         store::testutil::BackendName());

}  // namespace
}  // namespace redress::engine
