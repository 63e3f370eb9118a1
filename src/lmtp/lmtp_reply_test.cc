#include "lmtp/lmtp_reply.h"

#include <gtest/gtest.h>

namespace redress::lmtp {
namespace {

app::IntakeResult Filed(app::IntakeOutcome outcome, std::optional<int64_t> case_id,
                        std::string detail = "") {
  app::IntakeResult result;
  result.outcome = outcome;
  result.case_id = case_id;
  result.detail = std::move(detail);
  return result;
}

TEST(LmtpReplyTest, StoredMessagesAre250NamingTheirCase) {
  auto opened = ReplyFor(Filed(app::IntakeOutcome::kOpened, 12));
  EXPECT_EQ(opened.code, 250);
  EXPECT_EQ(opened.enhanced_status, "2.0.0");
  EXPECT_EQ(opened.text, "stored: case 12 opened");
  EXPECT_EQ(ReplyFor(Filed(app::IntakeOutcome::kAppended, 7)).text, "stored in case 7");
  EXPECT_EQ(ReplyFor(Filed(app::IntakeOutcome::kDuplicate, 7)).text, "already stored (case 7)");
  EXPECT_EQ(ReplyFor(Filed(app::IntakeOutcome::kUnattached, std::nullopt, "no sender")).text,
            "stored, attached to no case: no sender");
}

TEST(LmtpReplyTest, AStoreFailureIsTemporarySoTheMtaKeepsTheMessage) {
  Result<app::IntakeResult> failed =
      Fail(ErrorCode::kUnavailable, "database is locked at /var/lib/redress/secret-path.db");
  auto reply = ReplyFor(failed);
  EXPECT_EQ(reply.code, 451);
  EXPECT_EQ(reply.enhanced_status, "4.3.0");
  EXPECT_EQ(reply.text.find("secret-path"), std::string::npos) << "internals stay in the log";
}

TEST(LmtpReplyTest, WhatNoRetryCanFixIsRefusedButSaysItWasStored) {
  auto not_a_message =
      ReplyFor(Filed(app::IntakeOutcome::kNotAMessage, std::nullopt, "no headers"));
  EXPECT_EQ(not_a_message.code, 550);
  EXPECT_EQ(not_a_message.enhanced_status, "5.6.0");
  EXPECT_EQ(not_a_message.text, "not an RFC 5322 message (no headers); stored raw as received");
  EXPECT_EQ(ReplyFor(Filed(app::IntakeOutcome::kTooLarge, std::nullopt, "x")).code, 552);
}

}  // namespace
}  // namespace redress::lmtp
