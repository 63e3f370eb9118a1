// The job runner on both real backends, where they differ in when a failure is reported:
// PostgreSQL defers a case's row update and events (WriteTx::SendDeferred), so a stale
// head surfaces after the handler has returned. It must still count as the handler's
// failure (retried after a backoff), not as a lost lease.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "engine/job_runner.h"
#include "store/test_backends.h"

namespace redress::engine {
namespace {

using namespace std::chrono_literals;
using store::testutil::T;

class JobRunnerBackendsTest : public store::testutil::StoreWithCustomerTest {
 protected:
  FakeClock clock_{T(0)};
};

TEST_P(JobRunnerBackendsTest, AHandlerAppendingOnAStaleHeadIsRetriedNotLost) {
  domain::CaseState stale;
  auto opened = store_->Write([&](store::WriteTx& tx) -> Result<void> {
    auto state = store::testutil::OpenTestCase(tx, customer_);
    if (!state) return Fail(state.error());
    stale = *state;
    auto moved = store::testutil::AppendTestEvents(tx, stale, {domain::Visibility::kInternal});
    if (!moved) return Fail(moved.error());
    auto scheduled = tx.ScheduleJob(store::JobSpec{"touch", "k", T(1), "{}"});
    if (!scheduled) return Fail(scheduled.error());
    return {};
  });
  ASSERT_TRUE(opened) << opened.error().message;

  JobRunnerOptions options;
  options.owner = "node-a";
  options.lease = 60s;
  JobRunner runner(*store_, clock_, options);
  int calls = 0;
  runner.Register("touch", [&](store::WriteTx& tx, const store::ClaimedJob&, Timestamp) {
    ++calls;
    // Internal notes: no search text, whose insert would send PostgreSQL's queue at once.
    auto appended = store::testutil::AppendTestEvents(tx, stale, {domain::Visibility::kInternal});
    if (!appended) return Result<void>(Fail(appended.error()));
    return Result<void>();
  });
  clock_.Set(T(1));
  const PassReport pass = runner.RunDueJobs();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(pass.retried, 1);
  EXPECT_EQ(pass.lost, 0);
  EXPECT_EQ(pass.done, 0);
  EXPECT_EQ(pass.errors, 0);
  auto events = store_->LoadEvents(stale.id);
  ASSERT_TRUE(events) << events.error().message;
  EXPECT_EQ(events->size(), 2u);  // nothing of the failed attempt stayed
}

INSTANTIATE_TEST_SUITE_P(Backends, JobRunnerBackendsTest,
                         ::testing::ValuesIn(store::testutil::BackendNames()),
                         store::testutil::BackendName());

}  // namespace
}  // namespace redress::engine
