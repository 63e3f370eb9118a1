// Customers and cases through the API as docs/api.md describes them: creation, reading,
// listing with filters and cursors, the event log and its hash chain, and every case
// action (messages, notes, assignment and transfer, status, priority, category).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

const std::string kGenesis(64, '0');

class CasesApiTest : public ServerTest {
 protected:
  // A customer and one case opened by agent1 for them.
  void SetUpCase() {
    customer_ = NewCustomer();
    ASSERT_NE(customer_.id, 0);
    json::value opened = OpenCase(agent1().token, customer_.id);
    ASSERT_TRUE(opened.is_object());
    case_id_ = *Int(opened, "/id");
  }

  // Ids of a list response's items, in order.
  static std::vector<int64_t> Ids(const json::value& page) {
    std::vector<int64_t> ids;
    for (const json::value& item : Array(page, "/items"))
      ids.push_back(Int(item, "/id").value_or(0));
    return ids;
  }

  static json::value List(const std::string& query) {
    HttpResponse r = Client().Get("/api/v1/cases?" + query, Bearer(agent1().token));
    EXPECT_EQ(r.status, 200) << query << ": " << r.Describe();
    return Body(r);
  }

  static std::string Social(std::string_view prefix) {
    static int n = 0;
    return std::string(prefix) + std::to_string(++n);
  }

  TestCustomer customer_;
  int64_t case_id_ = 0;
};

// ---- customers

TEST_F(CasesApiTest, CreateCustomerNormalisesIdentitiesAndIsReadable) {
  std::string handle = Social("asha_r");
  std::string email = UniqueEmail("Asha.Rao");
  std::string upper_email = email;
  std::transform(upper_email.begin(), upper_email.end(), upper_email.begin(), ::toupper);
  json::object body{
      {"name", "Asha Rao"},
      {"emails", json::array{upper_email}},
      {"phones", json::array{"+91 98123-45678"}},
      {"social", json::array{json::object{{"network", "X"}, {"handle", "@" + handle}}}}};
  HttpResponse r = Client().Post("/api/v1/customers", body, Bearer(agent1().token));
  ASSERT_EQ(r.status, 201) << r.Describe();
  json::value created = Body(r);
  ASSERT_TRUE(Int(created, "/id"));
  int64_t id = *Int(created, "/id");
  EXPECT_EQ(r.Header("Location"), "/api/v1/customers/" + std::to_string(id));
  EXPECT_EQ(Str(created, "/name"), "Asha Rao");
  std::string lower_email = email;
  std::transform(lower_email.begin(), lower_email.end(), lower_email.begin(), ::tolower);
  EXPECT_EQ(At(created, "/emails") ? *At(created, "/emails") : json::value(),
            json::value(json::array{lower_email}));
  EXPECT_EQ(At(created, "/phones") ? *At(created, "/phones") : json::value(),
            json::value(json::array{"+919812345678"}));
  EXPECT_EQ(Str(created, "/social/0/network"), "x");
  EXPECT_EQ(Str(created, "/social/0/handle"), handle);
  EXPECT_TRUE(IsTimestamp(Str(created, "/created_at").value_or(""))) << r.body;

  HttpResponse got =
      Client().Get("/api/v1/customers/" + std::to_string(id), Bearer(supervisor().token));
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(Body(got), created);
}

TEST_F(CasesApiTest, IdentityHeldByAnotherCustomerIsAConflict) {
  std::string email = UniqueEmail("shared");
  json::object first{{"name", "First"}, {"emails", json::array{email}}};
  HttpResponse r1 = Client().Post("/api/v1/customers", first, Bearer(agent1().token));
  ASSERT_EQ(r1.status, 201) << r1.Describe();
  int64_t first_id = Int(Body(r1), "/id").value_or(0);

  std::string upper = email;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  json::object second{{"name", "Second"}, {"emails", json::array{UniqueEmail("own"), upper}}};
  HttpResponse r2 = Client().Post("/api/v1/customers", second, Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(r2, 409, "conflict"));
  std::string detail = Str(Body(r2), "/detail").value_or("");
  EXPECT_TRUE(detail.find(email) != std::string::npos ||
              detail.find(std::to_string(first_id)) != std::string::npos)
      << "the conflict should name the identity or its holder: " << detail;
}

TEST_F(CasesApiTest, CustomerNeedsANameAndAValidIdentity) {
  HttpResponse no_identity =
      Client().Post("/api/v1/customers", json::object{{"name", "Nobody"}}, Bearer(agent1().token));
  EXPECT_TRUE(IsProblem(no_identity, 422, "invalid-argument"));

  HttpResponse bad_email = Client().Post(
      "/api/v1/customers",
      json::object{{"name", "Bad"}, {"emails", json::array{UniqueEmail(), "not-an-email"}}},
      Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(bad_email, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(bad_email), "/field").value_or("").rfind("emails", 0), 0u) << bad_email.body;

  HttpResponse bad_phone = Client().Post(
      "/api/v1/customers", json::object{{"name", "Bad"}, {"phones", json::array{"9812345678"}}},
      Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(bad_phone, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(bad_phone), "/field").value_or("").rfind("phones", 0), 0u) << bad_phone.body;

  HttpResponse empty_name = Client().Post(
      "/api/v1/customers", json::object{{"name", ""}, {"emails", json::array{UniqueEmail()}}},
      Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(empty_name, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(empty_name), "/field"), "name") << empty_name.body;
}

TEST_F(CasesApiTest, UnknownCustomerIsNotFound) {
  HttpResponse r = Client().Get("/api/v1/customers/987654321", Bearer(agent1().token));
  EXPECT_TRUE(IsProblem(r, 404, "not-found"));
}

// ---- creating and reading cases

TEST_F(CasesApiTest, CreateCaseAnswers201WithLocationAndDefaults) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::object body{{"customer_id", customer.id},
                    {"subject", "Return rejected"},
                    {"body", "The store refused my return for technical reasons."}};
  HttpResponse r = Client().Post("/api/v1/cases", body, Bearer(agent1().token));
  ASSERT_EQ(r.status, 201) << r.Describe();
  json::value c = Body(r);
  ASSERT_TRUE(Int(c, "/id")) << r.body;
  int64_t id = *Int(c, "/id");
  EXPECT_EQ(r.Header("Location"), "/api/v1/cases/" + std::to_string(id));
  EXPECT_EQ(Int(c, "/number"), id);
  EXPECT_EQ(Int(c, "/customer_id"), customer.id);
  EXPECT_EQ(Str(c, "/subject"), "Return rejected");
  EXPECT_EQ(Str(c, "/status"), "new");
  EXPECT_EQ(Str(c, "/priority"), "normal");
  EXPECT_EQ(Str(c, "/channel"), "web");
  EXPECT_EQ(Int(c, "/level"), 1);
  EXPECT_TRUE(IsNull(c, "/owner")) << r.body;
  EXPECT_TRUE(IsNull(c, "/first_response_at")) << r.body;
  EXPECT_TRUE(IsTimestamp(Str(c, "/opened_at").value_or(""))) << r.body;
  EXPECT_TRUE(IsTimestamp(Str(c, "/updated_at").value_or(""))) << r.body;
  EXPECT_EQ(Int(c, "/counts/staff_replies"), 0);
  EXPECT_EQ(Int(c, "/counts/internal_notes"), 0);
  EXPECT_EQ(Int(c, "/counts/transfers"), 0);
  EXPECT_TRUE(Int(c, "/counts/customer_messages")) << r.body;
  EXPECT_EQ(Int(c, "/last_seq"), 1);
  EXPECT_TRUE(IsSha256Hex(Str(c, "/head_hash").value_or(""))) << r.body;

  // GET answers the same representation the POST returned.
  EXPECT_EQ(GetCase(agent2().token, id), c);
}

TEST_F(CasesApiTest, CreateCaseTakesChannelPriorityAndCategory) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::value c =
      OpenCase(agent1().token, customer.id, "Courier never came",
               json::object{{"channel", "email"}, {"priority", "high"}, {"category", "delivery"}});
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(Str(c, "/channel"), "email");
  EXPECT_EQ(Str(c, "/priority"), "high");
  EXPECT_EQ(Str(c, "/category"), "delivery");

  for (std::string channel : {"web", "email", "chat", "phone", "social", "sms", "api"}) {
    json::value ok = OpenCase(agent1().token, customer.id, "Channel " + channel,
                              json::object{{"channel", channel}});
    EXPECT_EQ(Str(ok, "/channel"), channel);
  }
  for (std::string priority : {"low", "normal", "high", "urgent"}) {
    json::value ok = OpenCase(agent1().token, customer.id, "Priority " + priority,
                              json::object{{"priority", priority}});
    EXPECT_EQ(Str(ok, "/priority"), priority);
  }
}

TEST_F(CasesApiTest, CreateCaseRejectsUnknownChannelAndPriority) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  json::object base{{"customer_id", customer.id}, {"subject", "s"}, {"body", "b"}};
  json::object bad_channel = base;
  bad_channel["channel"] = "fax";
  HttpResponse r1 = Client().Post("/api/v1/cases", bad_channel, Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(r1, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(r1), "/field"), "channel");

  json::object bad_priority = base;
  bad_priority["priority"] = "asap";
  HttpResponse r2 = Client().Post("/api/v1/cases", bad_priority, Bearer(agent1().token));
  ASSERT_TRUE(IsProblem(r2, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(r2), "/field"), "priority");

  json::object system_channel = base;
  system_channel["channel"] = "system";  // internal only, not a channel a caller may name
  HttpResponse r3 = Client().Post("/api/v1/cases", system_channel, Bearer(agent1().token));
  EXPECT_TRUE(IsProblem(r3, 422, "invalid-argument"));
}

TEST_F(CasesApiTest, StaffCaseForUnknownCustomerIsRefused) {
  HttpResponse r = Client().Post(
      "/api/v1/cases", json::object{{"customer_id", 987654321}, {"subject", "s"}, {"body", "b"}},
      Bearer(agent1().token));
  EXPECT_GE(r.status, 400) << r.Describe();
  EXPECT_LT(r.status, 500) << r.Describe();
}

TEST_F(CasesApiTest, CustomerOpensOwnCaseWithoutNamingThemselves) {
  TestCustomer customer = NewCustomer("Ravi Kumar");
  ASSERT_FALSE(customer.token.empty());
  json::value c = OpenCase(customer.token, 0, "Refund lost between shop and store");
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(Int(c, "/customer_id"), customer.id);
  EXPECT_EQ(Int(c, "/counts/customer_messages"), 1);
  for (const char* hidden : {"/counts/internal_notes", "/last_seq", "/head_hash"}) {
    EXPECT_EQ(At(c, hidden), nullptr) << hidden << " in " << json::serialize(c);
  }

  // Naming themselves explicitly is the same thing.
  json::value named = OpenCase(customer.token, customer.id, "Second problem");
  EXPECT_EQ(Int(named, "/customer_id"), customer.id);

  std::vector<json::value> events = AllEvents(customer.token, *Int(c, "/id"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Str(events[0], "/type"), "case_opened");
  EXPECT_EQ(Str(events[0], "/actor/kind"), "customer");
  EXPECT_EQ(Int(events[0], "/actor/id"), customer.id);
  EXPECT_EQ(Str(events[0], "/actor/name"), "Ravi Kumar");
}

TEST_F(CasesApiTest, TextRoundTripsExactlyAndTheChainStillVerifies) {
  std::string name = "Asha Rao \xE2\x80\x94 \xE0\xA4\x86\xE0\xA4\xB6\xE0\xA4\xBE";
  // A subject is one line; a message body has lines and tabs.
  std::string subject = "Refund \"lost\" \\ between shop & store \xF0\x9F\x98\xA4";
  std::string body = "Line one,\n\tindented <b>html</b> & emoji \xF0\x9F\x93\xA6\r\nlast";
  HttpResponse created = Client().Post(
      "/api/v1/customers", json::object{{"name", name}, {"emails", json::array{UniqueEmail()}}},
      Bearer(agent1().token));
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(Str(Body(created), "/name"), name);
  int64_t customer_id = Int(Body(created), "/id").value_or(0);
  json::value c = OpenCase(agent1().token, customer_id, subject, json::object{{"body", body}});
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(Str(c, "/subject"), subject);
  int64_t id = *Int(c, "/id");
  HttpResponse reply = CaseAction(agent1().token, id, "messages", json::object{{"body", body}});
  ASSERT_EQ(reply.status, 201) << reply.Describe();
  std::vector<json::value> events = AllEvents(agent1().token, id);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(Str(events[0], "/data/subject"), subject);
  EXPECT_EQ(Str(events[0], "/data/body"), body);
  auto reply_event = std::find_if(events.begin(), events.end(), [](const json::value& e) {
    return Str(e, "/type") == "reply_sent";
  });
  ASSERT_NE(reply_event, events.end());
  EXPECT_EQ(Str(*reply_event, "/data/body"), body);
  EXPECT_EQ(Str(GetCase(agent1().token, id), "/subject"), subject);
  ProcessResult verify = server().Cli({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.Describe();
}

TEST_F(CasesApiTest, SuccessfulResponsesAreJson) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  for (std::string path :
       {"/api/v1/cases/" + std::to_string(case_id_),
        "/api/v1/cases/" + std::to_string(case_id_) + "/events",
        std::string("/api/v1/cases?limit=1"), std::string("/api/v1/me"),
        std::string("/api/v1/users"), "/api/v1/customers/" + std::to_string(customer_.id)}) {
    HttpResponse r = Client().Get(path, Bearer(admin().token));
    ASSERT_EQ(r.status, 200) << path << ": " << r.Describe();
    EXPECT_EQ(r.Header("Content-Type").value_or("").rfind("application/json", 0), 0u)
        << path << ": " << r.Header("Content-Type").value_or("<none>");
    EXPECT_TRUE(r.Json()) << path << ": " << r.body;
  }
}

TEST_F(CasesApiTest, ListPagesDefaultToFiftyCases) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  HttpClient client = server().Client(/*keep_alive=*/true);
  for (int i = 0; i < 51; ++i) {
    HttpResponse r =
        client.Post("/api/v1/cases",
                    json::object{{"customer_id", customer.id}, {"subject", "n"}, {"body", "b"}},
                    Bearer(agent1().token));
    ASSERT_EQ(r.status, 201) << r.Describe();
  }
  json::value page = List("customer=" + std::to_string(customer.id));
  EXPECT_EQ(Array(page, "/items").size(), 50u);
  ASSERT_TRUE(Str(page, "/next_cursor")) << "51 cases need a second page";
  json::value rest = List("customer=" + std::to_string(customer.id) +
                          "&cursor=" + UrlEncode(*Str(page, "/next_cursor")));
  EXPECT_EQ(Array(rest, "/items").size(), 1u);
}

TEST_F(CasesApiTest, UnknownCaseIsNotFound) {
  HttpResponse r = Client().Get("/api/v1/cases/987654321", Bearer(agent1().token));
  EXPECT_TRUE(IsProblem(r, 404, "not-found"));
  HttpResponse events = Client().Get("/api/v1/cases/987654321/events", Bearer(agent1().token));
  EXPECT_TRUE(IsProblem(events, 404, "not-found"));
  HttpResponse message =
      CaseAction(agent1().token, 987654321, "messages", json::object{{"body", "hello?"}});
  EXPECT_TRUE(IsProblem(message, 404, "not-found"));
}

// ---- the event log

TEST_F(CasesApiTest, OpeningEventStartsTheChainFromGenesis) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  std::vector<json::value> events = AllEvents(agent1().token, case_id_);
  ASSERT_EQ(events.size(), 1u);
  const json::value& e = events[0];
  EXPECT_EQ(Int(e, "/seq"), 1);
  EXPECT_EQ(Str(e, "/type"), "case_opened");
  EXPECT_TRUE(IsTimestamp(Str(e, "/at").value_or(""))) << json::serialize(e);
  EXPECT_EQ(Str(e, "/actor/kind"), "staff");
  EXPECT_EQ(Int(e, "/actor/id"), agent1().id);
  EXPECT_EQ(Str(e, "/actor/name"), agent1().name);
  EXPECT_EQ(Str(e, "/channel"), "web");
  EXPECT_EQ(Str(e, "/visibility"), "public");
  EXPECT_EQ(Str(e, "/data/subject"), "Return rejected");
  EXPECT_EQ(Str(e, "/data/body"), "The store refused my return for technical reasons.");
  EXPECT_EQ(Str(e, "/prev_hash"), kGenesis);
  EXPECT_TRUE(IsSha256Hex(Str(e, "/hash").value_or(""))) << json::serialize(e);
  EXPECT_EQ(Str(e, "/hash"), Str(GetCase(agent1().token, case_id_), "/head_hash"));
}

TEST_F(CasesApiTest, EventsFormAHashChainAndPageWithoutGapsOrDuplicates) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  ASSERT_EQ(
      CaseAction(customer_.token, case_id_, "messages", json::object{{"body", "Any news?"}}).status,
      201);
  ASSERT_EQ(
      CaseAction(agent1().token, case_id_, "notes", json::object{{"body", "Ask warehouse"}}).status,
      201);
  ASSERT_EQ(
      CaseAction(agent1().token, case_id_, "messages", json::object{{"body", "On it."}}).status,
      201);
  ASSERT_EQ(
      CaseAction(agent1().token, case_id_, "priority", json::object{{"priority", "high"}}).status,
      200);
  ASSERT_EQ(CaseAction(agent1().token, case_id_, "category", json::object{{"category", "returns"}})
                .status,
            200);

  std::vector<json::value> events = AllEvents(agent1().token, case_id_);
  ASSERT_GE(events.size(), 6u);
  std::set<std::string> hashes;
  for (size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE("event " + json::serialize(events[i]));
    EXPECT_EQ(Int(events[i], "/seq"), static_cast<int64_t>(i + 1));
    std::optional<std::string> hash = Str(events[i], "/hash");
    ASSERT_TRUE(hash && IsSha256Hex(*hash));
    EXPECT_TRUE(hashes.insert(*hash).second) << "duplicate hash";
    EXPECT_EQ(Str(events[i], "/prev_hash"), i == 0 ? kGenesis : *Str(events[i - 1], "/hash"));
  }
  // Event times never go backwards (the fixed-width format sorts as text).
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_LE(Str(events[i - 1], "/at").value_or("~"), Str(events[i], "/at").value_or(""));
  }
  json::value c = GetCase(agent1().token, case_id_);
  EXPECT_EQ(Int(c, "/last_seq"), static_cast<int64_t>(events.size()));
  EXPECT_EQ(Str(c, "/head_hash"), Str(events.back(), "/hash"));
  EXPECT_EQ(Str(c, "/updated_at"), Str(events.back(), "/at"));
  EXPECT_LT(Str(c, "/opened_at").value_or(""), Str(c, "/updated_at").value_or(""));

  // Small pages give exactly the same sequence.
  EXPECT_EQ(AllEvents(agent1().token, case_id_, /*limit=*/1), events);
  EXPECT_EQ(AllEvents(agent1().token, case_id_, /*limit=*/4), events);
}

TEST_F(CasesApiTest, EventPageLimitIsValidated) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  std::string base = "/api/v1/cases/" + std::to_string(case_id_) + "/events";
  EXPECT_EQ(Client().Get(base + "?limit=500", Bearer(agent1().token)).status, 200);
  EXPECT_EQ(Client().Get(base + "?limit=1", Bearer(agent1().token)).status, 200);
  for (std::string bad : {"0", "501", "-1", "ten"}) {
    HttpResponse r = Client().Get(base + "?limit=" + bad, Bearer(agent1().token));
    EXPECT_TRUE(IsProblem(r, 422, "invalid-argument")) << "limit=" << bad;
  }
  HttpResponse cursor = Client().Get(base + "?cursor=%00garbage", Bearer(agent1().token));
  EXPECT_TRUE(IsProblem(cursor, 422, "invalid-argument"));
}

// ---- messages and notes

TEST_F(CasesApiTest, CustomerMessageIsAMessageReceived) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  json::value before = GetCase(agent1().token, case_id_);
  HttpResponse r = CaseAction(customer_.token, case_id_, "messages",
                              json::object{{"body", "It has been a week."}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  json::value result = Body(r);
  json::array events = Array(result, "/events");
  ASSERT_EQ(events.size(), 1u) << r.body;
  EXPECT_EQ(Str(events[0], "/type"), "message_received");
  EXPECT_EQ(Str(events[0], "/visibility"), "public");
  EXPECT_EQ(Str(events[0], "/actor/kind"), "customer");
  EXPECT_EQ(Int(events[0], "/actor/id"), customer_.id);
  EXPECT_EQ(Str(events[0], "/data/body"), "It has been a week.");
  EXPECT_EQ(Int(events[0], "/seq"), 2);
  EXPECT_EQ(Str(events[0], "/prev_hash"), Str(before, "/head_hash"));
  EXPECT_EQ(Int(result, "/case/counts/customer_messages"),
            Int(before, "/counts/customer_messages").value_or(-10) + 1);
  EXPECT_EQ(Str(result, "/case/status"), "new");
  EXPECT_TRUE(IsNull(result, "/case/first_response_at")) << r.body;
  // The customer's copy of the case has no chain head (it could reveal internal events);
  // staff see the message as the new head.
  EXPECT_EQ(At(result, "/case/last_seq"), nullptr) << r.body;
  json::value after = GetCase(agent1().token, case_id_);
  EXPECT_EQ(Int(after, "/last_seq"), 2);
  EXPECT_EQ(Str(after, "/head_hash"), Str(events[0], "/hash"));
}

TEST_F(CasesApiTest, StaffReplyIsAReplySentAndOpensANewCase) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse r = CaseAction(agent1().token, case_id_, "messages",
                              json::object{{"body", "We will collect it tomorrow 10-12."}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  json::value result = Body(r);
  json::array events = Array(result, "/events");
  auto reply = std::find_if(events.begin(), events.end(),
                            [](const json::value& e) { return Str(e, "/type") == "reply_sent"; });
  ASSERT_NE(reply, events.end()) << r.body;
  EXPECT_EQ(Str(*reply, "/visibility"), "public");
  EXPECT_EQ(Str(*reply, "/actor/kind"), "staff");
  EXPECT_EQ(Int(*reply, "/actor/id"), agent1().id);
  EXPECT_EQ(Str(*reply, "/data/body"), "We will collect it tomorrow 10-12.");
  EXPECT_EQ(Str(result, "/case/status"), "open");
  EXPECT_EQ(Int(result, "/case/counts/staff_replies"), 1);
  std::optional<std::string> first_response = Str(result, "/case/first_response_at");
  ASSERT_TRUE(first_response && IsTimestamp(*first_response)) << r.body;
  EXPECT_EQ(Int(result, "/case/last_seq"), Int(events.back(), "/seq"));
  EXPECT_EQ(Str(result, "/case/head_hash"), Str(events.back(), "/hash"));

  // The first response time is the first reply's, not the latest one's.
  HttpResponse again = CaseAction(agent2().token, case_id_, "messages",
                                  json::object{{"body", "Confirming the pickup."}});
  ASSERT_EQ(again.status, 201) << again.Describe();
  EXPECT_EQ(Str(Body(again), "/case/first_response_at"), first_response);
  EXPECT_EQ(Int(Body(again), "/case/counts/staff_replies"), 2);
  EXPECT_EQ(Str(Body(again), "/case/status"), "open");
}

TEST_F(CasesApiTest, MessageRecordsItsChannel) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse r = CaseAction(customer_.token, case_id_, "messages",
                              json::object{{"body", "Replying by mail"}, {"channel", "email"}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(Str(Body(r), "/events/0/channel"), "email");
  HttpResponse bad = CaseAction(customer_.token, case_id_, "messages",
                                json::object{{"body", "x"}, {"channel", "pigeon"}});
  EXPECT_TRUE(IsProblem(bad, 422, "invalid-argument"));
}

TEST_F(CasesApiTest, EmptyMessageBodyIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse r = CaseAction(agent1().token, case_id_, "messages", json::object{{"body", ""}});
  ASSERT_TRUE(IsProblem(r, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(r), "/field"), "body");
}

TEST_F(CasesApiTest, NotesAreInternalAndDoNotCountAsAResponse) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse r = CaseAction(agent1().token, case_id_, "notes",
                              json::object{{"body", "Customer called twice already."}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  json::value result = Body(r);
  json::array events = Array(result, "/events");
  ASSERT_EQ(events.size(), 1u) << r.body;
  EXPECT_EQ(Str(events[0], "/type"), "internal_note");
  EXPECT_EQ(Str(events[0], "/visibility"), "internal");
  EXPECT_EQ(Str(events[0], "/data/body"), "Customer called twice already.");
  EXPECT_EQ(Int(result, "/case/counts/internal_notes"), 1);
  EXPECT_EQ(Int(result, "/case/counts/staff_replies"), 0);
  EXPECT_EQ(Str(result, "/case/status"), "new");
  EXPECT_TRUE(IsNull(result, "/case/first_response_at")) << r.body;
}

// ---- assignment and transfer

TEST_F(CasesApiTest, FirstAssignmentIsNotATransfer) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse r =
      CaseAction(supervisor().token, case_id_, "assign", json::object{{"owner_id", agent1().id}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  json::value result = Body(r);
  EXPECT_EQ(Int(result, "/case/owner/id"), agent1().id);
  EXPECT_EQ(Str(result, "/case/owner/name"), agent1().name);
  EXPECT_EQ(Int(result, "/case/counts/transfers"), 0);
  json::array events = Array(result, "/events");
  ASSERT_EQ(events.size(), 1u) << r.body;
  EXPECT_EQ(Str(events[0], "/type"), "assigned");
  EXPECT_EQ(Int(events[0], "/data/owner_id"), agent1().id);
  EXPECT_EQ(Str(events[0], "/actor/kind"), "staff");
  EXPECT_EQ(Int(events[0], "/actor/id"), supervisor().id);
}

TEST_F(CasesApiTest, TransferNeedsReasonAndHandoffNoteAndIsCounted) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  ASSERT_EQ(CaseAction(agent1().token, case_id_, "assign", json::object{{"owner_id", agent1().id}})
                .status,
            200);

  HttpResponse bare =
      CaseAction(agent1().token, case_id_, "assign", json::object{{"owner_id", agent2().id}});
  EXPECT_TRUE(IsProblem(bare, 422, "invalid-argument"));
  HttpResponse reason_only =
      CaseAction(agent1().token, case_id_, "assign",
                 json::object{{"owner_id", agent2().id}, {"reason", "needs L2 authority"}});
  EXPECT_TRUE(IsProblem(reason_only, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(reason_only), "/field"), "handoff_note") << reason_only.body;
  HttpResponse note_only = CaseAction(
      agent1().token, case_id_, "assign",
      json::object{{"owner_id", agent2().id}, {"handoff_note", "refund of 4,999 requested"}});
  EXPECT_TRUE(IsProblem(note_only, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(note_only), "/field"), "reason") << note_only.body;
  HttpResponse empty =
      CaseAction(agent1().token, case_id_, "assign",
                 json::object{{"owner_id", agent2().id}, {"reason", ""}, {"handoff_note", ""}});
  EXPECT_TRUE(IsProblem(empty, 422, "invalid-argument"));

  // None of the refused attempts changed anything.
  json::value unchanged = GetCase(agent1().token, case_id_);
  EXPECT_EQ(Int(unchanged, "/owner/id"), agent1().id);
  EXPECT_EQ(Int(unchanged, "/last_seq"), 2);

  HttpResponse ok = CaseAction(agent1().token, case_id_, "assign",
                               json::object{{"owner_id", agent2().id},
                                            {"reason", "needs L2 authority"},
                                            {"handoff_note", "refund of 4,999 requested"}});
  ASSERT_EQ(ok.status, 200) << ok.Describe();
  json::value result = Body(ok);
  EXPECT_EQ(Int(result, "/case/owner/id"), agent2().id);
  EXPECT_EQ(Int(result, "/case/counts/transfers"), 1);
  json::array events = Array(result, "/events");
  ASSERT_EQ(events.size(), 1u) << ok.body;
  EXPECT_EQ(Str(events[0], "/type"), "assigned");
  EXPECT_EQ(Int(events[0], "/data/owner_id"), agent2().id);
  EXPECT_EQ(Int(events[0], "/data/previous_owner_id"), agent1().id);
  EXPECT_EQ(Str(events[0], "/data/reason"), "needs L2 authority");
  EXPECT_EQ(Str(events[0], "/data/handoff_note"), "refund of 4,999 requested");
}

TEST_F(CasesApiTest, AssigningToAnUnknownUserIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse r =
      CaseAction(agent1().token, case_id_, "assign", json::object{{"owner_id", 987654321}});
  ASSERT_TRUE(IsProblem(r, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(r), "/field"), "owner_id");
  EXPECT_TRUE(IsNull(GetCase(agent1().token, case_id_), "/owner"));
}

// ---- status, priority, category

TEST_F(CasesApiTest, StatusChangesAreRecordedAndSameStatusConflicts) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse r =
      CaseAction(agent1().token, case_id_, "status",
                 json::object{{"status", "on_hold"}, {"reason", "waiting for courier"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  json::value result = Body(r);
  EXPECT_EQ(Str(result, "/case/status"), "on_hold");
  json::array events = Array(result, "/events");
  ASSERT_EQ(events.size(), 1u) << r.body;
  EXPECT_EQ(Str(events[0], "/type"), "status_changed");
  EXPECT_EQ(Str(events[0], "/data/from"), "new");
  EXPECT_EQ(Str(events[0], "/data/to"), "on_hold");
  EXPECT_EQ(Str(events[0], "/data/reason"), "waiting for courier");

  HttpResponse same =
      CaseAction(agent1().token, case_id_, "status", json::object{{"status", "on_hold"}});
  EXPECT_TRUE(IsProblem(same, 409, "conflict"));
  HttpResponse bogus =
      CaseAction(agent1().token, case_id_, "status", json::object{{"status", "resolved-ish"}});
  ASSERT_TRUE(IsProblem(bogus, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(bogus), "/field"), "status");
  EXPECT_EQ(Int(GetCase(agent1().token, case_id_), "/last_seq"), 2);

  for (std::string status : {"open", "pending", "solved"}) {
    HttpResponse step =
        CaseAction(agent1().token, case_id_, "status", json::object{{"status", status}});
    ASSERT_EQ(step.status, 200) << status << ": " << step.Describe();
    EXPECT_EQ(Str(Body(step), "/case/status"), status);
  }
}

TEST_F(CasesApiTest, CustomerMessageReopensASolvedCase) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  ASSERT_EQ(
      CaseAction(agent1().token, case_id_, "status", json::object{{"status", "solved"}}).status,
      200);
  HttpResponse r = CaseAction(customer_.token, case_id_, "messages",
                              json::object{{"body", "It is not solved, the refund never came."}});
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(Str(Body(r), "/case/status"), "open");
}

TEST_F(CasesApiTest, ClosedCaseIsReadOnly) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  ASSERT_EQ(
      CaseAction(agent1().token, case_id_, "status", json::object{{"status", "closed"}}).status,
      200);
  EXPECT_TRUE(
      IsProblem(CaseAction(customer_.token, case_id_, "messages", json::object{{"body", "hello?"}}),
                409, "conflict"));
  EXPECT_TRUE(
      IsProblem(CaseAction(agent1().token, case_id_, "messages", json::object{{"body", "reply"}}),
                409, "conflict"));
  EXPECT_TRUE(
      IsProblem(CaseAction(agent1().token, case_id_, "status", json::object{{"status", "open"}}),
                409, "conflict"));
  EXPECT_TRUE(
      IsProblem(CaseAction(agent1().token, case_id_, "notes", json::object{{"body", "note"}}), 409,
                "conflict"));
  EXPECT_TRUE(IsProblem(
      CaseAction(agent1().token, case_id_, "priority", json::object{{"priority", "urgent"}}), 409,
      "conflict"));
  json::value c = GetCase(agent1().token, case_id_);
  EXPECT_EQ(Str(c, "/status"), "closed");
  EXPECT_EQ(Int(c, "/last_seq"), 2);
}

TEST_F(CasesApiTest, PriorityAndCategoryChangesAreRecorded) {
  ASSERT_NO_FATAL_FAILURE(SetUpCase());
  HttpResponse p =
      CaseAction(agent1().token, case_id_, "priority", json::object{{"priority", "urgent"}});
  ASSERT_EQ(p.status, 200) << p.Describe();
  EXPECT_EQ(Str(Body(p), "/case/priority"), "urgent");
  EXPECT_EQ(Str(Body(p), "/events/0/type"), "priority_changed");
  EXPECT_EQ(Str(Body(p), "/events/0/data/from"), "normal");
  EXPECT_EQ(Str(Body(p), "/events/0/data/to"), "urgent");
  HttpResponse bad_priority =
      CaseAction(agent1().token, case_id_, "priority", json::object{{"priority", "extreme"}});
  ASSERT_TRUE(IsProblem(bad_priority, 422, "invalid-argument"));
  EXPECT_EQ(Str(Body(bad_priority), "/field"), "priority");

  HttpResponse c =
      CaseAction(agent1().token, case_id_, "category", json::object{{"category", "returns"}});
  ASSERT_EQ(c.status, 200) << c.Describe();
  EXPECT_EQ(Str(Body(c), "/case/category"), "returns");
  EXPECT_EQ(Str(Body(c), "/events/0/type"), "category_changed");
  EXPECT_EQ(Str(Body(c), "/events/0/data/to"), "returns");
  EXPECT_EQ(Str(GetCase(customer_.token, case_id_), "/category"), "returns");
}

// ---- listing

TEST_F(CasesApiTest, ListFiltersByStatusOwnerLevelAndCustomer) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  int64_t assigned = Int(OpenCase(agent1().token, customer.id, "one"), "/id").value_or(0);
  int64_t second = Int(OpenCase(agent1().token, customer.id, "two"), "/id").value_or(0);
  int64_t third = Int(OpenCase(agent1().token, customer.id, "three"), "/id").value_or(0);
  ASSERT_TRUE(assigned && second && third);
  ASSERT_EQ(CaseAction(agent1().token, assigned, "assign", json::object{{"owner_id", agent2().id}})
                .status,
            200);
  ASSERT_EQ(CaseAction(agent2().token, assigned, "status", json::object{{"status", "open"}}).status,
            200);
  // A case of someone else, which no customer filter below may return.
  TestCustomer other = NewCustomer();
  ASSERT_NE(Int(OpenCase(agent1().token, other.id, "other"), "/id").value_or(0), 0);

  std::string c = "customer=" + std::to_string(customer.id);
  EXPECT_EQ(Ids(List(c)), (std::vector<int64_t>{third, second, assigned})) << "newest first";
  EXPECT_EQ(Ids(List(c + "&status=open")), std::vector<int64_t>{assigned});
  EXPECT_EQ(Ids(List(c + "&status=new")), (std::vector<int64_t>{third, second}));
  EXPECT_EQ(Ids(List(c + "&owner=" + std::to_string(agent2().id))), std::vector<int64_t>{assigned});
  EXPECT_EQ(Ids(List(c + "&owner=none")), (std::vector<int64_t>{third, second}));
  EXPECT_EQ(Ids(List(c + "&level=1")), (std::vector<int64_t>{third, second, assigned}));
  EXPECT_EQ(Ids(List(c + "&level=2")), std::vector<int64_t>{});
  EXPECT_EQ(Ids(List(c + "&status=open&owner=none")), std::vector<int64_t>{});

  // Owner filter alone: every returned case really is owned by agent2.
  json::value owned = List("owner=" + std::to_string(agent2().id));
  for (const json::value& item : Array(owned, "/items")) {
    EXPECT_EQ(Int(item, "/owner/id"), agent2().id) << json::serialize(item);
  }
  // Items are full case representations.
  json::value one = List(c + "&status=open");
  EXPECT_EQ(Str(one, "/items/0/subject"), "one");
  EXPECT_EQ(Int(one, "/items/0/counts/transfers"), 0);
  EXPECT_TRUE(IsNull(one, "/next_cursor")) << json::serialize(one);
}

TEST_F(CasesApiTest, ListFilterValuesAreValidated) {
  for (std::string query :
       {"status=bogus", "owner=someone", "level=first", "customer=abc", "limit=0", "limit=201",
        "limit=-5", "limit=1x", "cursor=not-a-cursor"}) {
    HttpResponse r = Client().Get("/api/v1/cases?" + query, Bearer(agent1().token));
    EXPECT_TRUE(IsProblem(r, 422, "invalid-argument")) << query;
  }
  EXPECT_EQ(Client().Get("/api/v1/cases?limit=200", Bearer(agent1().token)).status, 200);
}

TEST_F(CasesApiTest, CursorPaginationVisitsEveryCaseOnce) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  std::vector<int64_t> created;
  for (int i = 0; i < 7; ++i) {
    json::value c = OpenCase(agent1().token, customer.id, "case " + std::to_string(i));
    ASSERT_TRUE(c.is_object());
    created.push_back(*Int(c, "/id"));
  }
  std::vector<int64_t> seen;
  std::string base = "/api/v1/cases?customer=" + std::to_string(customer.id) + "&limit=3";
  std::string target = base;
  int pages = 0;
  for (; pages < 10; ++pages) {
    HttpResponse r = Client().Get(target, Bearer(agent1().token));
    ASSERT_EQ(r.status, 200) << target << ": " << r.Describe();
    json::value page = Body(r);
    std::vector<int64_t> ids = Ids(page);
    EXPECT_LE(ids.size(), 3u);
    seen.insert(seen.end(), ids.begin(), ids.end());
    if (IsNull(page, "/next_cursor")) break;
    std::optional<std::string> cursor = Str(page, "/next_cursor");
    ASSERT_TRUE(cursor) << r.body;
    target = base + "&cursor=" + UrlEncode(*cursor);
  }
  EXPECT_GE(pages, 2) << "7 cases in pages of 3 need at least three pages";
  std::vector<int64_t> expected(created.rbegin(), created.rend());
  EXPECT_EQ(seen, expected) << "newest first, no duplicates, no gaps";
}

TEST_F(CasesApiTest, NewCasesDoNotDisturbAPaginationInProgress) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  std::vector<int64_t> created;
  for (int i = 0; i < 4; ++i) {
    created.push_back(Int(OpenCase(agent1().token, customer.id, "c"), "/id").value_or(0));
  }
  std::string base = "/api/v1/cases?customer=" + std::to_string(customer.id) + "&limit=2";
  json::value first = List(base.substr(std::string("/api/v1/cases?").size()));
  std::optional<std::string> cursor = Str(first, "/next_cursor");
  ASSERT_TRUE(cursor) << json::serialize(first);
  // A case opened between two pages is newer than the cursor, so page two is unaffected.
  ASSERT_NE(Int(OpenCase(agent1().token, customer.id, "late"), "/id").value_or(0), 0);
  json::value second =
      List(base.substr(std::string("/api/v1/cases?").size()) + "&cursor=" + UrlEncode(*cursor));
  std::vector<int64_t> all = Ids(first);
  std::vector<int64_t> rest = Ids(second);
  all.insert(all.end(), rest.begin(), rest.end());
  EXPECT_EQ(all, (std::vector<int64_t>{created[3], created[2], created[1], created[0]}));
}

}  // namespace
}  // namespace redress::testing
