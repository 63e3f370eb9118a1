// The canned-reply list: validation with precise messages, the stored form round trip,
// and add/update/remove keeping ids unique and the list in title order.
#include "app/canned_replies.h"

#include <gtest/gtest.h>

#include "store/test_util.h"

namespace redress::app {
namespace {

using store::testutil::T;

TEST(CannedRepliesTest, AcceptsKnownPlaceholders) {
  EXPECT_TRUE(ValidateCannedReply("Refund sent",
                                  "Hello {{customer.name}}, case {{ case.id }} is done. {{agent.name}}"));
}

TEST(CannedRepliesTest, RejectsUnknownPlaceholderByName) {
  auto bad = ValidateCannedReply("Hi", "Dear {{customer.phone}}");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field, "body");
  EXPECT_NE(bad.error().message.find("{{customer.phone}}"), std::string::npos);
}

TEST(CannedRepliesTest, RejectsUnclosedPlaceholder) {
  auto bad = ValidateCannedReply("Hi", "Dear {{customer.name");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("closing"), std::string::npos);
}

TEST(CannedRepliesTest, RejectsEmptyOrMultilineTitleAndEmptyBody) {
  EXPECT_EQ(ValidateCannedReply("", "x").error().field, "title");
  EXPECT_EQ(ValidateCannedReply("a\nb", "x").error().field, "title");
  EXPECT_EQ(ValidateCannedReply(std::string(kMaxCannedTitle + 1, 'a'), "x").error().field, "title");
  EXPECT_EQ(ValidateCannedReply("t", " \n ").error().field, "body");
  EXPECT_EQ(ValidateCannedReply("t", std::string(kMaxCannedBody + 1, 'a')).error().field, "body");
}

TEST(CannedRepliesTest, AddUpdateRemoveAndRoundTrip) {
  CannedReplyList list;
  auto b = AddCannedReply(list, "beta", "B", T(1));
  auto a = AddCannedReply(list, "Alpha", "A", T(2));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->id, 1);
  EXPECT_EQ(a->id, 2);
  ASSERT_EQ(list.items.size(), 2u);
  EXPECT_EQ(list.items[0].title, "Alpha");  // title order ignores case

  auto decoded = DecodeCannedReplies(EncodeCannedReplies(list));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->next_id, 3);
  ASSERT_EQ(decoded->items.size(), 2u);
  EXPECT_EQ(decoded->items[1].body, "B");
  EXPECT_EQ(decoded->items[1].updated_at, T(1));

  auto changed = UpdateCannedReply(*decoded, 1, "aardvark", "Z", T(3));
  ASSERT_TRUE(changed);
  EXPECT_EQ(decoded->items[0].id, 1);
  EXPECT_EQ(UpdateCannedReply(*decoded, 99, "x", "y", T(3)).error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(RemoveCannedReply(*decoded, 1));
  EXPECT_EQ(RemoveCannedReply(*decoded, 1).error().code, ErrorCode::kNotFound);
  auto again = AddCannedReply(*decoded, "gamma", "G", T(4));
  EXPECT_EQ(again->id, 3);  // ids are never reused
}

TEST(CannedRepliesTest, EmptyStoredValueIsEmptyListAndGarbageIsCorruption) {
  auto empty = DecodeCannedReplies("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->items.empty());
  EXPECT_EQ(DecodeCannedReplies("[1,2]").error().code, ErrorCode::kCorruption);
  EXPECT_EQ(DecodeCannedReplies(R"({"next_id":1,"items":[{"id":1}]})").error().code,
            ErrorCode::kCorruption);
}

}  // namespace
}  // namespace redress::app
