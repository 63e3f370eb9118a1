// `redress copy`'s engine, both ways (SQLite to PostgreSQL and back), on real databases:
// every table arrives identical (ids, hashes, JSON and mail bytes included, checked through
// the Store and by each table's digest), the target's ids continue after the copied ones,
// pending and done jobs keep their meaning, and a refused copy leaves the target as it was.
// The source holds a row in every copied table, so a table the copy forgot shows here.
#include "store/copy.h"

#include <gtest/gtest.h>

#include "store/copy_tables.h"
#include "store/test_backends.h"

namespace redress::store {
namespace {

using domain::CaseState;
using testutil::T;

struct Direction {
  std::string from;
  std::string to;
};

void PrintTo(const Direction& d, std::ostream* out) { *out << d.from << " to " << d.to; }

std::string DirectionName(const ::testing::TestParamInfo<Direction>& info) {
  return info.param.from + "_to_" + info.param.to;
}

// Arbitrary bytes: NUL, high bytes, CR LF; a copy that treated them as text would lose some.
const std::string kRawMail("From: asha@example.com\r\nSubject: Refund\r\n\r\n\x00\xff\x80\x01 ok\r\n",
                           64);
const std::string kAttachment("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);

class CopyTest : public ::testing::TestWithParam<Direction> {
 protected:
  void SetUp() override {
    auto store = source_backend_->Open();
    ASSERT_TRUE(store) << store.error().message;
    source_ = std::move(*store);
  }

  // Opens a case with `extra` more events in one write.
  CaseState OpenCase(int64_t customer, int extra) {
    CaseState state;
    auto written = source_->Write([&](WriteTx& tx) -> Result<void> {
      auto opened = testutil::OpenTestCase(tx, customer);
      if (!opened) return Fail(opened.error());
      state = *opened;
      for (int i = 0; i < extra; ++i) {
        auto next = testutil::AppendTestEvents(
            tx, state, {i % 2 ? domain::Visibility::kInternal : domain::Visibility::kPublic});
        if (!next) return Fail(next.error());
        state = *next;
      }
      return {};
    });
    EXPECT_TRUE(written) << written.error().message;
    return state;
  }

  std::string TargetUrl() const {
    return GetParam().to == "sqlite" ? "sqlite:" + target_backend_->url() : target_backend_->url();
  }
  std::string SourceUrl() const {
    return GetParam().from == "sqlite" ? "sqlite:" + source_backend_->url()
                                       : source_backend_->url();
  }

  std::unique_ptr<testutil::TestBackend> source_backend_ = testutil::MakeBackend(GetParam().from);
  std::unique_ptr<testutil::TestBackend> target_backend_ = testutil::MakeBackend(GetParam().to);
  std::unique_ptr<Store> source_;
};

TEST_P(CopyTest, EveryTableArrivesIdenticalAndIdsContinue) {
  const int64_t asha = testutil::AddCustomer(*source_, "Asha", "asha@example.com");
  domain::Customer ravi = testutil::MakeCustomer("Ravi", "ravi@example.com");
  ravi.identities.push_back({domain::IdentityKind::kPhone, "+4915112345678", false});
  ASSERT_TRUE(source_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto r = tx.InsertCustomer(ravi); !r) return r;
    return tx.SetCustomerPassword(ravi.id, "argon2id$ravi");
  }));
  domain::User agent{0,    "meera@shop.example", "Meera", domain::Role::kAgent, 2,
                     true, "argon2id$meera",     T(3)};
  domain::User retired{0, "old@shop.example", "Old", domain::Role::kSupervisor, 3, false, "", T(4)};
  domain::ApiToken token{std::string(64, 'a'), {domain::Role::kAdmin, 1}, "ci", T(1), T(99)};
  domain::ApiToken forever{
      std::string(64, 'b'), {domain::Role::kCustomer, 1}, "", T(2), std::nullopt};
  domain::Session session{std::string(64, 'c'), {domain::Role::kAgent, 1}, "csrf", T(3), T(9)};
  IdempotencyRecord record{"user:1",          "k-1", std::string(64, 'f'), 201, "{\"ok\":true}",
                           "/api/v1/cases/1", T(5)};
  ASSERT_TRUE(source_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto r = tx.InsertUser(agent); !r) return r;
    if (auto r = tx.InsertUser(retired); !r) return r;
    if (auto r = tx.InsertApiToken(token); !r) return r;
    if (auto r = tx.InsertApiToken(forever); !r) return r;
    if (auto r = tx.InsertSession(session); !r) return r;
    return tx.InsertIdempotency(record);
  }));
  CaseState first = OpenCase(asha, 4);
  CaseState second = OpenCase(ravi.id, 0);
  CaseState third = OpenCase(asha, 2);
  CaseState long_one = OpenCase(ravi.id, 450);  // more events than one insert batch
  // A case id handed out but never used (its write failed after NextCaseId): the target
  // must not hand it out again either.
  ASSERT_TRUE(source_->Write(
      [&](WriteTx& tx) -> Result<void> { return tx.NextCaseId().map([](int64_t) {}); }));

  // Escalation bookkeeping and the work queue: a deadline that fired (done, key taken), one
  // still pending, and one leased by a node that is gone.
  ASSERT_TRUE(source_->Write([&](WriteTx& tx) -> Result<void> {
    if (auto r = tx.PutSetting("escalation_policy", "version = 1\n", T(7)); !r) {
      return Fail(r.error());
    }
    if (auto r = tx.PutSetting("escalation_policy", "version = 1 # edited\n", T(8)); !r) {
      return Fail(r.error());
    }
    if (auto r = tx.SaveRoutingCursor("l2", 3); !r) return r;
    if (auto r = tx.SetCaseDue(first.id, CaseDue{T(3600), T(1800)}); !r) return r;
    for (const char* key : {"case-1-fired", "case-1-pending", "case-3-leased"}) {
      if (auto r = tx.ScheduleJob(JobSpec{"mail_send", key, T(50), "{\"case_id\":1}"}); !r) {
        return Fail(r.error());
      }
    }
    return {};
  }));
  ASSERT_TRUE(source_->Write([&](WriteTx& tx) -> Result<void> {
    auto claimed =
        tx.ClaimJobs(JobClaim{"mail_send", "old-node", T(60), std::chrono::hours(1), 10});
    if (!claimed) return Fail(claimed.error());
    for (const ClaimedJob& job : *claimed) {
      if (job.key == "case-1-fired") {
        if (auto r = tx.CompleteJob(job.id, "old-node", T(61)); !r) return r;
      } else if (job.key == "case-1-pending") {
        if (auto r = tx.RetryJob(job.id, "old-node", T(70), "smtp: timeout"); !r) return r;
      }
    }
    return {};
  }));
  // Mail: a raw message with an attachment filed into the first case, its thread index,
  // an outbound reply in the outbox and a mailbox cursor.
  MailMessageRecord inbound;
  OutboxEntry reply;
  ASSERT_TRUE(source_->Write([&](WriteTx& tx) -> Result<void> {
    MailTx& mail = tx.mail();
    if (auto r = mail.PutBlob("raw-sha", kRawMail, T(10)); !r) return Fail(r.error());
    if (auto r = mail.PutBlob("png-sha", kAttachment, T(10)); !r) return Fail(r.error());
    inbound = MailMessageRecord{0,         MailDirection::kInbound, "raw-sha", 64, "m1@example.com",
                                first.id,  "asha@example.com",      "refund", "person",
                                "mailgate", "stored",               "",       T(10)};
    if (auto r = mail.InsertMailMessage(inbound); !r) return r;
    if (auto r = mail.InsertMailAttachment(MailAttachmentRecord{
            inbound.id, 0, "png-sha", "photo.png", "image/png", "", false, 16});
        !r) {
      return r;
    }
    if (auto r = mail.AddThreadId(first.id, "m1@example.com", true); !r) return r;
    if (auto r = mail.AddThreadId(first.id, "m0@example.com", false); !r) return r;
    if (auto r = mail.AddParticipant(first.id, "asha@example.com"); !r) return r;
    reply.case_id = first.id;
    reply.event_seq = 2;
    reply.purpose = "reply";
    reply.sender = "support@shop.example";
    reply.recipients = {"asha@example.com", "cc@example.com"};
    reply.message_id = "r1@shop.example";
    reply.bytes = kRawMail;
    reply.created_at = T(11);
    reply.updated_at = T(11);
    if (auto r = mail.EnqueueOutbound(reply); !r) return Fail(r.error());
    if (auto r = mail.SetMailboxCursor("INBOX", MailboxCursor{77, 12}, T(12)); !r) return r;
    // A customer's value tier and a sign-in link mailed just before the move.
    if (auto r = tx.SetCustomerTier(asha, "gold"); !r) return r;
    SignInLink link{0, "link-hash", asha, "asha@example.com", "customer", T(13), T(913), {}};
    if (auto r = tx.InsertSignInLink(link); !r) return r;
    // An upload on the first case (bytes that are not text) and one not used yet.
    for (std::optional<int64_t> on_case : {std::optional<int64_t>(first.id), std::optional<int64_t>()}) {
      Attachment upload;
      upload.case_id = on_case;
      upload.uploaded_by = "customer:" + std::to_string(asha);
      upload.filename = "Kaputt böse.png";
      upload.content_type = "image/png";
      upload.bytes = std::string("\x89PNG\0\xff", 7);
      upload.sha256 = std::string(64, 'e');
      upload.created_at = T(14);
      if (auto r = tx.InsertAttachment(upload); !r) return r;
    }
    return {};
  }));

  auto report = CopyDatabase(SourceUrl(), TargetUrl());
  ASSERT_TRUE(report) << report.error().message;
  for (const TableSummary& table : report->tables) {
    EXPECT_GT(table.rows, 0) << table.table << ": give the source a row of every table";
  }
  EXPECT_EQ(report->Rows("customers"), 2);
  EXPECT_EQ(report->Rows("customer_identities"), 3);
  EXPECT_EQ(report->Rows("cases"), 4);
  EXPECT_EQ(report->Rows("events"), 5 + 1 + 3 + 451);
  EXPECT_EQ(report->Rows("jobs"), 3);
  EXPECT_EQ(report->Rows("mail_blobs"), 2);
  EXPECT_EQ(report->Rows("mail_thread_ids"), 2);
  EXPECT_EQ(report->last_case_id, long_one.id + 1);

  // Every table's rows and values, compared through each backend's own reading.
  auto from = SummarizeTables(SourceUrl());
  auto to = SummarizeTables(TargetUrl());
  ASSERT_TRUE(from && to);
  ASSERT_EQ(from->size(), to->size());
  for (size_t i = 0; i < from->size(); ++i) {
    EXPECT_EQ((*from)[i].rows, (*to)[i].rows) << (*from)[i].table;
    EXPECT_EQ((*from)[i].digest, (*to)[i].digest) << (*from)[i].table;
    EXPECT_EQ((*from)[i].digest, report->tables[i].digest) << (*from)[i].table;
  }

  auto opened = target_backend_->Open();
  ASSERT_TRUE(opened) << opened.error().message;
  Store& target = **opened;
  for (const CaseState& c : {first, second, third, long_one}) {
    EXPECT_EQ(*target.GetCase(c.id), *source_->GetCase(c.id));
    EXPECT_EQ(*target.LoadEvents(c.id), *source_->LoadEvents(c.id));
  }
  CaseQuery due_soon;
  due_soon.due_by = T(3600);
  EXPECT_EQ(*target.CountCases(due_soon), 1);  // cases.next_due_at came along
  due_soon.due_by = T(3599);
  EXPECT_EQ(*target.CountCases(due_soon), 0);
  ASSERT_TRUE(target.Write([&](WriteTx& tx) -> Result<void> {  // the timer came along too
    auto due = tx.ClaimDueCases(T(1800), 10);
    if (!due) return Fail(due.error());
    EXPECT_EQ(due->size(), 1u);
    if (!due->empty()) {
      EXPECT_EQ(due->front().case_id, first.id);
    }
    auto early = tx.ClaimDueCases(T(1799), 10);
    if (!early) return Fail(early.error());
    EXPECT_TRUE(early->empty());
    return {};
  }));
  for (int64_t id : {asha, ravi.id}) {
    auto copied = target.GetCustomer(id);
    auto original = source_->GetCustomer(id);
    ASSERT_TRUE(copied && original);
    EXPECT_EQ(copied->name, original->name);
    EXPECT_EQ(copied->identities, original->identities);
  }
  EXPECT_EQ((*target.FindCustomerLogin("ravi@example.com"))->second, "argon2id$ravi");
  for (const domain::User* want : {&agent, &retired}) {
    auto got = target.GetUser(want->id);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->email, want->email);
    EXPECT_EQ(got->active, want->active);
    EXPECT_EQ(got->password_hash, want->password_hash);
  }
  EXPECT_EQ((*target.FindApiToken(token.token_hash))->expires_at, T(99));
  EXPECT_FALSE((*target.FindApiToken(forever.token_hash))->expires_at);
  EXPECT_EQ((*target.FindSession(session.session_hash))->csrf_token, "csrf");
  auto setting = target.GetSetting("escalation_policy");
  ASSERT_TRUE(setting && *setting);
  EXPECT_EQ((*setting)->value, "version = 1 # edited\n");
  EXPECT_EQ((*setting)->version, 2);
  auto found = target.SearchCases("refund order", 10);  // the search index came along
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->size(), 4u);

  ASSERT_TRUE(target.Write([&](WriteTx& tx) -> Result<void> {
    auto stored = tx.FindIdempotency("user:1", "k-1");
    if (!stored) return Fail(stored.error());
    EXPECT_TRUE(*stored && (*stored)->body == record.body);
    EXPECT_EQ(*tx.LoadRoutingCursor("l2"), 3);
    // New ids continue after the copied ones, the unused case id included.
    EXPECT_EQ(*tx.NextCaseId(), long_one.id + 2);
    // The fired deadline's key stays taken; the pending one is due again at its retry
    // time with its error; the leased one waits for its old lease to run out.
    EXPECT_FALSE(*tx.ScheduleJob(JobSpec{"mail_send", "case-1-fired", T(50), "{}"}));
    auto due = tx.ClaimJobs(JobClaim{"mail_send", "new-node", T(100), std::chrono::hours(2), 5});
    if (!due) return Fail(due.error());
    EXPECT_EQ(due->size(), 1u);
    if (due->size() == 1) {
      EXPECT_EQ(due->front().key, "case-1-pending");
      EXPECT_EQ(due->front().last_error, "smtp: timeout");
    }
    auto later =
        tx.ClaimJobs(JobClaim{"mail_send", "new-node", T(60 + 3600), std::chrono::seconds(5), 5});
    if (!later) return Fail(later.error());
    EXPECT_EQ(later->size(), 1u);
    if (later->size() == 1) {
      EXPECT_EQ(later->front().key, "case-3-leased");
      EXPECT_EQ(later->front().attempts, 2);
    }
    EXPECT_TRUE(*tx.ScheduleJob(JobSpec{"mail_send", "new", T(60), "{}"}));

    MailTx& mail = tx.mail();
    EXPECT_EQ(*mail.GetBlob("raw-sha"), kRawMail);
    EXPECT_EQ(*mail.GetBlob("png-sha"), kAttachment);
    auto messages = mail.ListCaseMail(first.id);
    if (!messages) return Fail(messages.error());
    EXPECT_EQ(messages->size(), 1u);
    if (messages->size() == 1) {
      EXPECT_EQ(messages->front().id, inbound.id);
      EXPECT_EQ(messages->front().message_id, "m1@example.com");
    }
    auto attachments = mail.ListAttachments(inbound.id);
    if (!attachments) return Fail(attachments.error());
    EXPECT_EQ(attachments->size(), 1u);
    EXPECT_EQ(*mail.CaseMessageIds(first.id), std::vector<std::string>{"m1@example.com"});
    EXPECT_EQ(*mail.CaseByMessageId("m0@example.com"), first.id);
    EXPECT_TRUE(*mail.IsParticipant(first.id, "asha@example.com"));
    auto queued = mail.GetOutbound(reply.id);
    if (!queued) return Fail(queued.error());
    EXPECT_TRUE(*queued && (*queued)->bytes == kRawMail &&
                (*queued)->recipients == reply.recipients);
    auto cursor = mail.GetMailboxCursor("INBOX");
    if (!cursor) return Fail(cursor.error());
    EXPECT_TRUE(*cursor && (*cursor)->uidvalidity == 77 && (*cursor)->last_uid == 12);
    MailMessageRecord next = inbound;
    next.direction = MailDirection::kOutbound;
    if (auto r = mail.InsertMailMessage(next); !r) return r;
    EXPECT_EQ(next.id, inbound.id + 1);
    OutboxEntry another = reply;
    another.event_seq = 3;
    if (auto r = mail.EnqueueOutbound(another); !r) return Fail(r.error());
    EXPECT_EQ(another.id, reply.id + 1);
    return {};
  }));
  EXPECT_EQ(testutil::AddCustomer(target, "New", "new@example.com"), ravi.id + 1);
  domain::User newcomer{0, "new@shop.example", "New", domain::Role::kAgent, 1, true, "", T(6)};
  ASSERT_TRUE(target.Write([&](WriteTx& tx) { return tx.InsertUser(newcomer); }));
  EXPECT_EQ(newcomer.id, retired.id + 1);
}

TEST_P(CopyTest, NonEmptyTargetIsRefusedAndKeepsItsData) {
  testutil::AddCustomer(*source_, "Asha", "asha@example.com");
  {
    auto target = target_backend_->Open();
    ASSERT_TRUE(target) << target.error().message;
    testutil::AddCustomer(**target, "Already", "here@example.com");
  }
  auto report = CopyDatabase(SourceUrl(), TargetUrl());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(report.error().message.find("not empty"), std::string::npos);
  auto target = target_backend_->Open();
  ASSERT_TRUE(target);
  EXPECT_EQ(target->get()->Stats()->customers, 1);
  EXPECT_EQ(target->get()->GetCustomer(1)->name, "Already");
}

TEST_P(CopyTest, AFailedCopyLeavesTheTargetEmpty) {
  const int64_t asha = testutil::AddCustomer(*source_, "Asha", "asha@example.com");
  OpenCase(asha, 2);
  // A row the target's schema refuses (an event of a case that does not exist): possible
  // only in a source someone edited by hand.
  ASSERT_TRUE(source_backend_->ExecRaw(
      GetParam().from == "sqlite"
          ? "PRAGMA foreign_keys = OFF; INSERT INTO events VALUES (999, 1, 'internal_note', 1,"
            " 'system', 0, '', 'web', 'internal', '{}', 'x', 'y')"
          : "ALTER TABLE events DROP CONSTRAINT events_case_id_fkey; INSERT INTO events VALUES"
            " (999, 1, 'internal_note', 1, 'system', 0, '', 'web', 'internal', '{}', 'x', 'y')"));
  auto report = CopyDatabase(SourceUrl(), TargetUrl());
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("copying events: row"), std::string::npos)
      << report.error().message;
  auto target = SummarizeTables(TargetUrl());
  ASSERT_TRUE(target) << target.error().message;
  for (const TableSummary& table : *target) EXPECT_EQ(table.rows, 0) << table.table;
}

TEST_P(CopyTest, SourceMustExistAndTargetMustAnswer) {
  auto missing = CopyDatabase(GetParam().from == "sqlite" ? "sqlite:/nonexistent/x.db"
                                                          : "postgresql://nobody@127.0.0.1:1/x",
                              TargetUrl());
  ASSERT_FALSE(missing);
  auto unreachable = CopyDatabase(SourceUrl(), "postgresql://nobody@127.0.0.1:1/x");
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, ErrorCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Directions, CopyTest,
                         ::testing::Values(Direction{"sqlite", "postgres"},
                                           Direction{"postgres", "sqlite"}),
                         DirectionName);

}  // namespace
}  // namespace redress::store
