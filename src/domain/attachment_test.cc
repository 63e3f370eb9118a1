#include "domain/attachment.h"

#include <gtest/gtest.h>

namespace redress::domain {
namespace {

const Principal kAsha{Role::kCustomer, 7, "Asha", 0};
const Principal kBen{Role::kCustomer, 8, "Ben", 0};
const Principal kAgent{Role::kAgent, 3, "Priya", 1};
const Principal kMailgate{Role::kMailgate, 4, "mta", 0};

TEST(Attachment, UploaderNamesSayWhoUploaded) {
  EXPECT_EQ(UploaderName(kAsha), "customer:7");
  EXPECT_EQ(UploaderName(kAgent), "user:3");
}

TEST(Attachment, FilenamesLoseTheirPathControlCharactersAndQuotes) {
  EXPECT_EQ(CleanFilename("C:\\Users\\asha\\photo.jpg").value_or("?"), "photo.jpg");
  EXPECT_EQ(CleanFilename("../../etc/passwd").value_or("?"), "passwd");
  EXPECT_EQ(CleanFilename("rec\"eipt\r\n.pdf").value_or("?"), "receipt.pdf");
  EXPECT_EQ(CleanFilename("  Rückerstattung.pdf ").value_or("?"), "Rückerstattung.pdf");
  EXPECT_FALSE(CleanFilename(""));
  EXPECT_FALSE(CleanFilename("dir/"));
  EXPECT_FALSE(CleanFilename(".."));
  EXPECT_FALSE(CleanFilename("\xff\xfe.jpg"));
  auto cut = CleanFilename(std::string(199, 'a') + "ü.png");
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->size(), 199u);  // the two-byte ü would cross 200 bytes: cut before it
}

TEST(Attachment, OnlyPicturesPdfAndPlainTextAreAccepted) {
  EXPECT_EQ(AcceptedUploadType("image/JPEG").value_or("?"), "image/jpeg");
  EXPECT_EQ(AcceptedUploadType("text/plain; charset=utf-8").value_or("?"), "text/plain");
  EXPECT_EQ(AcceptedUploadType("application/pdf").value_or("?"), "application/pdf");
  for (const char* active : {"text/html", "image/svg+xml", "application/javascript", ""}) {
    auto refused = AcceptedUploadType(active);
    ASSERT_FALSE(refused) << active;
    EXPECT_EQ(refused.error().field, "content_type");
  }
}

TEST(Attachment, EvidenceNamesAnUploadAsAttachmentColonId) {
  EXPECT_EQ(UploadReference("attachment:17").value_or(std::nullopt), 17);
  EXPECT_EQ(UploadReference("photo-1.jpg").value_or(17), std::nullopt);
  EXPECT_EQ(UploadReference("data:image/png;base64,AAAA").value_or(17), std::nullopt);
  for (const char* bad :
       {"attachment:", "attachment:x", "attachment:0", "attachment:-3", "attachment:17 "}) {
    EXPECT_FALSE(UploadReference(bad)) << bad;
  }
}

TEST(Attachment, CustomersReadOnlyTheirOwnUploadsOnTheirOwnCases) {
  CaseState ashas;
  ashas.customer_id = 7;
  CaseState bens;
  bens.customer_id = 8;
  EXPECT_TRUE(CanReadAttachment(kAsha, "customer:7", nullptr));
  EXPECT_TRUE(CanReadAttachment(kAsha, "customer:7", &ashas));
  EXPECT_FALSE(CanReadAttachment(kAsha, "customer:7", &bens));
  EXPECT_FALSE(CanReadAttachment(kBen, "customer:7", nullptr));
  EXPECT_FALSE(CanReadAttachment(kAsha, "user:3", &ashas));
  EXPECT_TRUE(CanReadAttachment(kAgent, "customer:7", &ashas));
  EXPECT_FALSE(CanReadAttachment(kMailgate, "customer:7", &ashas));
}

}  // namespace
}  // namespace redress::domain
