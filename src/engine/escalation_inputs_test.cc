// The triggers that need facts from outside the case's record, through the real write
// path (CaseService + EscalationReactor on SQLite): the customer's value tier and a public
// social-media post; and the refresh of every case's due time after a policy replacement.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/case_service.h"
#include "app/escalation_reactor.h"
#include "app/policy_holder.h"
#include "domain/case_commands.h"
#include "engine/job_runner.h"
#include "engine/policy_refresh_job.h"
#include "engine/sla_deadline_timer.h"
#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace redress::engine {
namespace {

using namespace std::chrono_literals;
using store::testutil::T;

class EscalationInputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("inputs.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    auto policies = app::PolicyHolder::Load(*store_, clock_, "");
    ASSERT_TRUE(policies) << policies.error().message;
    policies_ = std::move(*policies);
    cases_ = std::make_unique<app::CaseService>(*store_);
    reactor_ = std::make_unique<app::EscalationReactor>(*store_, *policies_);
    cases_->AddReactor(*reactor_);
    JobRunnerOptions options;
    options.owner = "node";
    runner_ = std::make_unique<JobRunner>(*store_, clock_, options);
    RegisterSlaDeadlineTimers(*runner_, *cases_, *policies_);
    RegisterPolicyRefreshJob(*runner_, *store_, *policies_);
    customer_ = store::testutil::AddCustomer(*store_, "Asha", "asha@example.com");
  }

  // The built-in matrix with some lines changed or added.
  void ReplacePolicy(const std::string& from, const std::string& to, const std::string& extra) {
    std::string source = app::BuiltInPolicySource();
    if (!from.empty()) {
      const size_t at = source.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      source.replace(at, from.size(), to);
    }
    auto replaced = policies_->Replace(source + extra);
    ASSERT_TRUE(replaced) << replaced.error().message;
  }

  Result<app::CaseChange> Open(domain::OpenCaseInput input) {
    input.customer_id = customer_;
    if (input.subject.empty()) input.subject = "Parcel never arrived";
    if (input.body.empty()) input.body = "Where is it?";
    return cases_->OpenNow(*store_, agent_, input, clock_.Now());
  }

  void SetTier(const std::string& tier) {
    auto set = store_->Write([&](store::WriteTx& tx) { return tx.SetCustomerTier(customer_, tier); });
    ASSERT_TRUE(set) << set.error().message;
  }

  store::testutil::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  FakeClock clock_{T(1'800'000'000)};
  std::unique_ptr<app::PolicyHolder> policies_;
  std::unique_ptr<app::CaseService> cases_;
  std::unique_ptr<app::EscalationReactor> reactor_;
  std::unique_ptr<JobRunner> runner_;
  int64_t customer_ = 0;
  const domain::Principal agent_{domain::Role::kAgent, 1, "Priya (L1)", 1};
};

constexpr char kTiers[] = R"toml(
[triggers]
[[triggers.value_tiers]]
tier = "VIP"
min_level = 3
)toml";

TEST_F(EscalationInputsTest, ANewCaseOfATieredCustomerStartsAtTheTiersLevel) {
  ReplacePolicy("", "", kTiers);
  auto plain = Open({});
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->state.level, 1) << "no tier yet";

  SetTier("vip");
  auto tiered = Open({});
  ASSERT_TRUE(tiered) << tiered.error().message;
  EXPECT_EQ(tiered->state.level, 3);
  ASSERT_EQ(tiered->events.back().type, domain::EventType::kEscalated);
  EXPECT_EQ(tiered->events.back().data.at("trigger").as_string(), "value_tier");

  SetTier("gold");  // a tier the policy has no rule for
  auto other = Open({});
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->state.level, 1);
}

TEST_F(EscalationInputsTest, APublicSocialPostEscalatesWhetherItOpensTheCaseOrComesLater) {
  domain::OpenCaseInput post;
  post.channel = domain::Channel::kSocial;
  post.public_post = true;
  auto opened = Open(post);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->state.level, 2);
  EXPECT_EQ(opened->events.back().data.at("trigger").as_string(), "social_media");

  auto quiet = Open({});
  ASSERT_TRUE(quiet) << quiet.error().message;
  ASSERT_EQ(quiet->state.level, 1);
  const domain::Principal customer{domain::Role::kCustomer, customer_, "Asha", 0};
  auto message = cases_->ApplyNow(
      *store_, customer, quiet->state.id,
      [&](const domain::CaseState& state) {
        return domain::AddMessage(state, customer, "Posted about this on X", domain::Channel::kSocial,
                                  clock_.Now(), /*public_post=*/true);
      },
      clock_.Now());
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->state.level, 2);

  domain::OpenCaseInput not_social;
  not_social.public_post = true;  // channel web
  auto refused = Open(not_social);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "public");
}

store::CaseQuery DueBy(Timestamp t) {
  store::CaseQuery query;
  query.due_by = t;
  return query;
}

TEST_F(EscalationInputsTest, AReplacedPolicyRefreshesEveryOpenCasesDueTime) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Open({}));
  const Timestamp opened_at = clock_.Now();
  auto before = store_->ListCases(DueBy(opened_at + 8h));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->cases.size(), 3u);
  auto soon = store_->ListCases(DueBy(opened_at + 2h));
  ASSERT_TRUE(soon);
  EXPECT_TRUE(soon->cases.empty()) << "first response is due in 8 hours under the built-in policy";

  clock_.Advance(10min);
  ReplacePolicy("first_response = \"8h\"", "first_response = \"2h\"", "");
  const PassReport refreshed = runner_->RunUntilIdle();
  EXPECT_GE(refreshed.done, 1);
  soon = store_->ListCases(DueBy(opened_at + 2h));
  ASSERT_TRUE(soon);
  EXPECT_EQ(soon->cases.size(), 3u) << "due times recomputed without any write to the cases";

  // And the timers moved with them: two hours after opening, all three breach.
  clock_.Set(opened_at + 2h + 1s);
  const PassReport fired = runner_->RunUntilIdle();
  EXPECT_EQ(fired.done, 3);
  store::CaseQuery at_l2;
  at_l2.level = 2;
  auto escalated = store_->ListCases(at_l2);
  ASSERT_TRUE(escalated);
  EXPECT_EQ(escalated->cases.size(), 3u);
}

}  // namespace
}  // namespace redress::engine
