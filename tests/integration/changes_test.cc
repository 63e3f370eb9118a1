// GET /api/v1/changes (server-sent events) and GET /api/v1/cases/{id}/record, against the
// real server: an agent's stream hears of a customer's message; a customer's stream hears
// of a reply on their own case, never of another customer's case or of an internal note.
#include <chrono>
#include <optional>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"
#include "support/event_stream.h"

namespace redress::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::string CaseEvent(int64_t case_id) { return EventStream::CaseEvent(case_id); }

class ChangesTest : public ServerTest {};

TEST_F(ChangesTest, AgentHearsOfACustomersMessage) {
  TestCustomer customer = NewCustomer();
  json::value opened = OpenCase(customer.token, 0, "Refund missing");
  ASSERT_TRUE(opened.is_object());
  const int64_t id = opened.at("id").as_int64();

  EventStream stream(server().port(), agent1().token);
  auto head = stream.ReadUntil("retry: 2000");
  ASSERT_TRUE(head) << "no stream header";
  EXPECT_NE(head->find("HTTP/1.1 200"), std::string::npos) << *head;
  EXPECT_NE(head->find("Content-Type: text/event-stream"), std::string::npos) << *head;
  EXPECT_EQ(head->find("Content-Length"), std::string::npos) << *head;

  ASSERT_EQ(CaseAction(customer.token, id, "messages", {{"body", "Any news?"}}).status, 201);
  // The case's opening may be reported first (notifications are delivered after the commit,
  // and the stream can start before the opening's has gone out): wait for the message's.
  const int64_t last_seq = GetCase(agent1().token, id).at("last_seq").as_int64();
  const std::string expected = CaseEvent(id) + ",\"last_seq\":" + std::to_string(last_seq) + "}";
  auto event = stream.ReadUntil(expected);
  ASSERT_TRUE(event) << "the agent's stream did not report case " << id << " at seq " << last_seq;
  EXPECT_NE(event->find(expected), std::string::npos) << *event;
}

TEST_F(ChangesTest, CustomerHearsOnlyOfVisibleChangesToTheirOwnCases) {
  TestCustomer asha = NewCustomer("Asha");
  TestCustomer ravi = NewCustomer("Ravi");
  json::value mine = OpenCase(asha.token, 0, "Mine");
  json::value theirs = OpenCase(ravi.token, 0, "Theirs");
  ASSERT_TRUE(mine.is_object() && theirs.is_object());
  const int64_t mine_id = mine.at("id").as_int64();
  const int64_t theirs_id = theirs.at("id").as_int64();

  EventStream stream(server().port(), asha.token);
  ASSERT_TRUE(stream.ReadUntil("retry: 2000"));

  // Another customer's case and an internal note on her own case: nothing for her.
  ASSERT_EQ(CaseAction(agent1().token, theirs_id, "messages", {{"body", "Ravi's reply"}}).status,
            201);
  ASSERT_EQ(CaseAction(agent1().token, mine_id, "notes", {{"body", "internal only"}}).status, 201);
  // A public reply on her case: one event, without last_seq (it would count the notes).
  ASSERT_EQ(CaseAction(agent1().token, mine_id, "messages", {{"body", "We are on it"}}).status,
            201);
  auto received = stream.ReadUntil(CaseEvent(mine_id));
  ASSERT_TRUE(received) << "the customer's stream did not report her case";
  *received += stream.Drain(500ms);
  EXPECT_EQ(received->find(CaseEvent(theirs_id)), std::string::npos) << *received;
  EXPECT_NE(received->find(CaseEvent(mine_id) + "}"), std::string::npos) << *received;
  // The note came before the reply: had it made an event, there would be two.
  const size_t first = received->find(CaseEvent(mine_id));
  EXPECT_EQ(received->find(CaseEvent(mine_id), first + 1), std::string::npos) << *received;

  ASSERT_EQ(CaseAction(agent1().token, mine_id, "notes", {{"body", "another note"}}).status, 201);
  EXPECT_EQ(stream.Drain(500ms).find("event: case"), std::string::npos);
}

TEST_F(ChangesTest, NeedsAuthentication) {
  HttpResponse r = Client().Get("/api/v1/changes");
  EXPECT_TRUE(IsProblem(r, 401, "unauthenticated"));
}

TEST_F(ChangesTest, RecordHoldsWhatTheCallerMaySee) {
  TestCustomer customer = NewCustomer();
  TestCustomer stranger = NewCustomer("Stranger");
  json::value opened = OpenCase(customer.token, 0, "Broken kettle");
  ASSERT_TRUE(opened.is_object());
  const int64_t id = opened.at("id").as_int64();
  ASSERT_EQ(CaseAction(agent1().token, id, "notes", {{"body", "secret remark"}}).status, 201);
  ASSERT_EQ(CaseAction(agent1().token, id, "messages", {{"body", "Replacement sent"}}).status, 201);

  HttpResponse mine = Client().Get("/api/v1/cases/" + std::to_string(id) + "/record",
                                   Bearer(customer.token));
  ASSERT_EQ(mine.status, 200) << mine.Describe();
  EXPECT_EQ(mine.Header("Content-Disposition"),
            "attachment; filename=\"case-" + std::to_string(id) + "-record.json\"");
  json::value record = Body(mine);
  EXPECT_EQ(Str(record, "/format"), "redress-case-record-v1");
  EXPECT_EQ(Int(record, "/case/id"), id);
  EXPECT_EQ(At(record, "/complete_chain")->as_bool(), false);
  const json::array events = Array(record, "/events");
  // opened, the reply, the first reply's new -> open: never the note
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Str(events[0], "/type"), "case_opened");
  EXPECT_EQ(Str(events[1], "/type"), "reply_sent");
  EXPECT_EQ(Str(events[2], "/type"), "status_changed");
  EXPECT_EQ(mine.body.find("secret remark"), std::string::npos);

  HttpResponse staff = Client().Get("/api/v1/cases/" + std::to_string(id) + "/record",
                                    Bearer(agent1().token));
  ASSERT_EQ(staff.status, 200);
  json::value full = Body(staff);
  EXPECT_EQ(At(full, "/complete_chain")->as_bool(), true);
  EXPECT_EQ(Array(full, "/events").size(), 4u);

  HttpResponse other = Client().Get("/api/v1/cases/" + std::to_string(id) + "/record",
                                    Bearer(stranger.token));
  EXPECT_TRUE(IsProblem(other, 404, "not-found"));
}

}  // namespace
}  // namespace redress::testing
