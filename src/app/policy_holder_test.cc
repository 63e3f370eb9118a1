// PolicyHolder against a real SQLite store: where the running policy comes from, that an
// invalid replacement changes nothing, and that another node's replacement is picked up.
#include "app/policy_holder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/sqlite/sqlite_store.h"
#include "store/test_util.h"

namespace redress::app {
namespace {

std::filesystem::path Etc(const char* name) {
  return std::filesystem::path(REDRESS_SOURCE_DIR) / "etc" / name;
}

class PolicyHolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::Open(dir_.File("redress.db"));
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  std::unique_ptr<PolicyHolder> Load(const std::string& file = "") {
    auto holder = PolicyHolder::Load(*store_, clock_, file);
    EXPECT_TRUE(holder) << holder.error().message;
    return holder ? std::move(*holder) : nullptr;
  }

  store::testutil::TempDir dir_;
  FakeClock clock_{store::testutil::T(0)};
  std::unique_ptr<store::Store> store_;
};

TEST_F(PolicyHolderTest, BuiltInWithoutFileOrStoredPolicy) {
  auto holder = Load();
  ASSERT_TRUE(holder);
  const RunningPolicy running = holder->Current();
  EXPECT_EQ(running.origin, PolicyOrigin::kBuiltIn);
  EXPECT_EQ(running.source, BuiltInPolicySource());
  EXPECT_EQ(running.policy->ladders().front().levels.size(), 3u);
}

TEST_F(PolicyHolderTest, TheShippedPolicyFilesLoad) {
  for (const char* name : {"escalation.demo.toml", "escalation.example.toml"}) {
    auto holder = Load(Etc(name).string());
    ASSERT_TRUE(holder) << name;
    EXPECT_EQ(holder->Current().origin, PolicyOrigin::kFile);
  }
  auto demo = Load(Etc("escalation.demo.toml").string());
  ASSERT_TRUE(demo);
  // The demo's L2 is Mei (3) then Sara (5), as `redress demo` numbers them.
  const auto& l2 = *demo->Get()->ladders().front().levels[1];
  ASSERT_EQ(l2.members.size(), 2u);
  EXPECT_EQ(l2.members[0].user_id, 3);
  EXPECT_EQ(l2.members[1].user_id, 5);
}

TEST_F(PolicyHolderTest, AMissingFileIsAnError) {
  auto holder = PolicyHolder::Load(*store_, clock_, dir_.File("nope.toml"));
  ASSERT_FALSE(holder);
  EXPECT_EQ(holder.error().code, ErrorCode::kNotFound);
  EXPECT_NE(holder.error().message.find("nope.toml"), std::string::npos);
}

TEST_F(PolicyHolderTest, InvalidReplacementKeepsTheRunningPolicyAndNamesTheLine) {
  auto holder = Load();
  ASSERT_TRUE(holder);
  const auto before = holder->Get();
  std::string broken = BuiltInPolicySource();
  broken.replace(broken.find("first_response = \"8h\""), 21, "first_response = \"-8h\"");
  auto replaced = holder->Replace(broken);
  ASSERT_FALSE(replaced);
  EXPECT_EQ(replaced.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(replaced.error().message.find("escalation.toml:18:"), std::string::npos)
      << replaced.error().message;
  EXPECT_EQ(holder->Get(), before);
  auto stored = store_->GetSetting(kPolicySettingKey);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->has_value());
}

TEST_F(PolicyHolderTest, StoredPolicyWinsOverTheFileAndReachesOtherNodes) {
  auto node_a = Load(Etc("escalation.demo.toml").string());
  auto node_b = Load(Etc("escalation.demo.toml").string());
  ASSERT_TRUE(node_a && node_b);
  auto replaced = node_a->Replace(BuiltInPolicySource());
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->origin, PolicyOrigin::kDatabase);
  EXPECT_EQ(replaced->version, 1);
  EXPECT_EQ(node_a->Current().origin, PolicyOrigin::kDatabase);

  EXPECT_EQ(node_b->Current().origin, PolicyOrigin::kFile);
  auto refreshed = node_b->Refresh();
  ASSERT_TRUE(refreshed);
  EXPECT_TRUE(*refreshed);
  EXPECT_EQ(node_b->Current().origin, PolicyOrigin::kDatabase);
  EXPECT_EQ(node_b->Current().source, BuiltInPolicySource());
  EXPECT_FALSE(*node_b->Refresh());  // same version: nothing to do

  // A restarted node starts from the stored policy, whatever file it is given.
  auto restarted = Load(Etc("escalation.demo.toml").string());
  ASSERT_TRUE(restarted);
  EXPECT_EQ(restarted->Current().origin, PolicyOrigin::kDatabase);
  EXPECT_EQ(restarted->Current().version, 1);
}

}  // namespace
}  // namespace redress::app
