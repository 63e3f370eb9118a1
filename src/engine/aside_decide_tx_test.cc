#include "engine/aside_decide_tx.h"

#include <gtest/gtest.h>

namespace redress::engine {
namespace {

TEST(AsideDecideTx, AnswersCursorsFromItsCopyAndKeepsTheSavesInOrder) {
  AsideDecideTx tx({{"l2", 4}});
  auto cursor = tx.LoadRoutingCursor("l2");
  ASSERT_TRUE(cursor);
  EXPECT_EQ(*cursor, 4);
  ASSERT_TRUE(tx.SaveRoutingCursor("l2", 5));
  EXPECT_EQ(*tx.LoadRoutingCursor("l2"), 5) << "a later decision sees the earlier save";
  ASSERT_TRUE(tx.SaveRoutingCursor("l2", 6));
  const std::vector<CursorSave> saves = tx.TakeSaves();
  ASSERT_EQ(saves.size(), 2u);
  EXPECT_EQ(saves[0].level_id, "l2");
  EXPECT_EQ(saves[0].cursor, 5);
  EXPECT_EQ(saves[1].cursor, 6);
  EXPECT_TRUE(tx.TakeSaves().empty()) << "taken once";
  EXPECT_FALSE(tx.refused());
}

TEST(AsideDecideTx, RefusesACursorItWasNotGivenAndNamesTheLevel) {
  AsideDecideTx tx({{"l2", 0}});
  auto cursor = tx.LoadRoutingCursor("l3");
  ASSERT_FALSE(cursor);
  EXPECT_EQ(cursor.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(cursor.error().message.find("l3"), std::string::npos) << cursor.error().message;
  EXPECT_TRUE(tx.refused());
  ASSERT_TRUE(tx.missing_level().has_value());
  EXPECT_EQ(*tx.missing_level(), "l3");
  // Refused once, nothing more is answered: the decision is the writer's now.
  EXPECT_FALSE(tx.LoadRoutingCursor("l2"));
  EXPECT_FALSE(tx.SaveRoutingCursor("l2", 1));
}

TEST(AsideDecideTx, RefusesACustomersTierWhichOnlyTheWriteKnows) {
  AsideDecideTx tx({});
  auto tier = tx.LoadCustomerTier(7);
  ASSERT_FALSE(tier);
  EXPECT_EQ(tier.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(tx.refused());
  EXPECT_FALSE(tx.missing_level().has_value());
}

}  // namespace
}  // namespace redress::engine
