// Contract tests on every backend for uploaded attachments (store.h): bytes come back byte
// for byte, an upload is described only to its uploader while unused, and it is given to
// a case once.
#include <gtest/gtest.h>

#include <string>

#include "store/test_backends.h"

namespace redress::store {
namespace {

using testutil::T;

class StoreAttachmentsTest : public testutil::StoreWithCustomerTest {
 protected:
  Attachment Upload(std::string bytes, std::string uploaded_by = "customer:1") {
    Attachment a;
    a.uploaded_by = std::move(uploaded_by);
    a.filename = "photo.png";
    a.content_type = "image/png";
    a.bytes = std::move(bytes);
    a.sha256 = std::string(64, 'c');
    a.created_at = T(10);
    auto written = store_->Write([&](WriteTx& tx) { return tx.InsertAttachment(a); });
    EXPECT_TRUE(written) << written.error().message;
    return a;
  }
};

TEST_P(StoreAttachmentsTest, BytesComeBackWhole) {
  const std::string bytes("\x89PNG\0\xff\xfe\x80 end", 12);
  Attachment a = Upload(bytes);
  ASSERT_GT(a.id, 0);
  EXPECT_EQ(a.size, 12);
  auto read = store_->GetAttachment(a.id);
  ASSERT_TRUE(read && *read) << (read ? "absent" : read.error().message);
  EXPECT_EQ((*read)->bytes, bytes);
  EXPECT_EQ((*read)->filename, "photo.png");
  EXPECT_EQ((*read)->uploaded_by, "customer:1");
  EXPECT_FALSE((*read)->case_id);
  EXPECT_EQ((*read)->created_at, T(10));
  auto missing = store_->GetAttachment(a.id + 1000);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_P(StoreAttachmentsTest, AnUploadIsDescribedToItsUploaderAndGivenToOneCaseOnce) {
  Attachment mine = Upload("mine");
  Attachment theirs = Upload("theirs", "customer:2");
  int64_t case_id = 0;
  auto used = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto described = tx.DescribeUploads({mine.id}, "customer:1");
    if (!described) return Fail(described.error());
    EXPECT_EQ(described->size(), 1u);
    EXPECT_TRUE(described->front().bytes.empty());
    EXPECT_EQ(described->front().size, 4);
    auto refused = tx.DescribeUploads({mine.id, theirs.id}, "customer:1");
    EXPECT_FALSE(refused);
    if (!refused) {
      EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    }
    auto state = testutil::OpenTestCase(tx, customer_);
    if (!state) return Fail(state.error());
    case_id = state->id;
    return tx.AttachToCase({mine.id}, case_id);
  });
  ASSERT_TRUE(used) << used.error().message;
  auto read = store_->GetAttachment(mine.id);
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->case_id, case_id);

  auto again = store_->Write([&](WriteTx& tx) -> Result<void> {
    auto described = tx.DescribeUploads({mine.id}, "customer:1");
    EXPECT_FALSE(described) << "a used upload is not offered again";
    return tx.AttachToCase({mine.id}, case_id);
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreAttachmentsTest,
                         ::testing::ValuesIn(testutil::BackendNames()), testutil::BackendName());

}  // namespace
}  // namespace redress::store
