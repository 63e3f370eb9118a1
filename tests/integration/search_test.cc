// GET /api/v1/cases/search: staff find cases by the words customers and agents wrote, never
// by what only an internal note says; customers cannot search.
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace redress::testing {
namespace {

namespace json = boost::json;

class SearchTest : public ServerTest {
 protected:
  std::vector<int64_t> Search(const std::string& query, int expect_status = 200) {
    HttpResponse r = Client().Get("/api/v1/cases/search?" + query, Bearer(agent1().token));
    EXPECT_EQ(r.status, expect_status) << r.Describe();
    std::vector<int64_t> ids;
    if (r.status != 200) return ids;
    const std::optional<json::value> body = r.Json();  // outlives the loop below
    EXPECT_TRUE(body && body->is_object()) << r.Describe();
    if (!body || !body->is_object()) return ids;
    for (const auto& item : body->at("items").as_array()) {
      ids.push_back(item.at("id").as_int64());
    }
    return ids;
  }
};

TEST_F(SearchTest, FindsSubjectsAndPublicMessagesButNotInternalNotes) {
  TestCustomer customer = NewCustomer();
  ASSERT_NE(customer.id, 0);
  // Words unique to this test, so cases from other tests on the shared server never match.
  json::value refrigerator = OpenCase(customer.token, 0, "Zorblex refrigerator arrived dented");
  json::value washer = OpenCase(customer.token, 0, "Washer leaking");
  ASSERT_TRUE(refrigerator.is_object() && washer.is_object());
  const int64_t fridge_id = refrigerator.at("id").as_int64();
  const int64_t washer_id = washer.at("id").as_int64();
  ASSERT_EQ(CaseAction(agent1().token, washer_id, "messages",
                       {{"body", "The Quibbleton technician visits on Friday"}})
                .status,
            201);
  ASSERT_EQ(CaseAction(agent1().token, washer_id, "notes",
                       {{"body", "Snorkwaddle: customer may have overloaded it"}})
                .status,
            201);

  EXPECT_EQ(Search("q=zorblex"), std::vector<int64_t>{fridge_id});
  EXPECT_EQ(Search("q=ZORBLEX%20dented"), std::vector<int64_t>{fridge_id});
  EXPECT_EQ(Search("q=quibbleton%20friday"), std::vector<int64_t>{washer_id});
  EXPECT_TRUE(Search("q=zorblex%20quibbleton").empty());  // every word, in one text
  EXPECT_TRUE(Search("q=snorkwaddle").empty());           // internal notes are not searched
}

TEST_F(SearchTest, RefusesBadQueriesAndCustomers) {
  Search("", 422);
  Search("q=", 422);
  Search("q=%20%21%21", 422);  // no words
  Search("q=x&limit=0", 422);
  Search("q=x&limit=201", 422);
  TestCustomer customer = NewCustomer();
  HttpResponse r = Client().Get("/api/v1/cases/search?q=zorblex", Bearer(customer.token));
  EXPECT_EQ(r.status, 403) << r.Describe();
}

}  // namespace
}  // namespace redress::testing
