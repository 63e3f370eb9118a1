#include "app/demo_data.h"

#include <chrono>
#include <optional>

#include "app/canned_replies.h"
#include "app/case_service.h"
#include "auth/password.h"
#include "domain/case_commands.h"
#include "domain/customer.h"
#include "domain/user.h"

namespace redress::app {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
namespace d = domain;

constexpr const char* kDemoPassword = "redress-demo";

struct StaffSeed {
  const char* email;
  const char* name;
  d::Role role;
  int level;
};

constexpr StaffSeed kStaff[] = {
    {"priya@demo.redress", "Priya Nair (L1 Customer care)", d::Role::kAgent, 1},
    {"tom@demo.redress", "Tom Becker (L1 Customer care)", d::Role::kAgent, 1},
    {"mei@demo.redress", "Mei Lin (L2 Escalations)", d::Role::kAgent, 2},
    {"omar@demo.redress", "Omar Haddad (L3 Grievance officer)", d::Role::kAgent, 3},
    {"sara@demo.redress", "Sara Okafor (Supervisor)", d::Role::kSupervisor, 2},
    {"admin@demo.redress", "Alex Admin", d::Role::kAdmin, 4},
};

struct CustomerSeed {
  const char* name;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  std::vector<d::NewCustomer::Social> social;
};

const CustomerSeed kCustomers[] = {
    {"Asha Rao", {"asha.rao@example.com"}, {"+919812345678"}, {{"x", "asha_r"}}},
    {"Seeta Hariharan", {"seeta@example.net"}, {"+14155550142"}, {}},
    {"Daniel Kim",
     {"daniel.kim@example.org", "dk@work.example.org"},
     {},
     {{"instagram", "dan.kim"}}},
    {"Meera Joshi", {"meera.joshi@example.in"}, {"+919900112233"}, {}},
};
// Collects what the loader did, and moves a synthetic clock forward so the demo timeline
// reads like days of real work rather than one instant.
class Loader {
 public:
  Loader(store::Store& store, const CaseService& cases, Timestamp start)
      : store_(store), cases_(cases), now_(start) {}

  Timestamp Tick(std::chrono::microseconds step) { return now_ += step; }

  Result<d::User> AddStaff(const StaffSeed& seed) {
    auto hash = auth::HashPassword(kDemoPassword);
    if (!hash) return Fail(hash.error());
    d::User user;
    user.email = seed.email;
    user.display_name = seed.name;
    user.role = seed.role;
    user.level = seed.level;
    user.password_hash = *hash;
    user.created_at = now_;
    auto written = store_.Write([&](store::WriteTx& tx) { return tx.InsertUser(user); });
    if (!written) return Fail(written.error());
    return user;
  }

  // A few canned replies for the composer, with the placeholders it fills in.
  Result<void> AddCannedReplies() {
    CannedReplyList list;
    const std::pair<const char*, const char*> seeds[] = {
        {"Acknowledge and give a date",
         "Dear {{customer.name}},\n\nThank you for writing. Your case #{{case.id}} is with me "
         "and I will come back to you with an answer by <date>.\n\n{{agent.name}}"},
        {"Refund on its way",
         "Dear {{customer.name}},\n\nYour refund for case #{{case.id}} has been issued. It "
         "reaches your account within 5 working days; the reference is <ref>.\n\n{{agent.name}}"},
        {"Ask for a photo",
         "Dear {{customer.name}},\n\nCould you send a photo of the item and its label? Reply to "
         "this message or add it on your case page.\n\n{{agent.name}}"},
    };
    for (const auto& [title, body] : seeds) {
      if (auto added = AddCannedReply(list, title, body, now_); !added) return Fail(added.error());
    }
    const std::string value = EncodeCannedReplies(list);
    auto written = store_.Write([&](store::WriteTx& tx) -> Result<void> {
      auto version = tx.PutSetting(kCannedRepliesSetting, value, now_);
      if (!version) return Fail(version.error());
      return {};
    });
    if (!written) return Fail(written.error());
    return {};
  }

  Result<d::Customer> AddCustomer(const CustomerSeed& seed) {
    d::NewCustomer input{seed.name, seed.emails, seed.phones, seed.social};
    auto identities = d::ValidateNewCustomer(input);
    if (!identities) return Fail(identities.error());
    auto hash = auth::HashPassword(kDemoPassword);
    if (!hash) return Fail(hash.error());
    d::Customer customer;
    customer.name = seed.name;
    customer.identities = *identities;
    customer.created_at = now_;
    auto written = store_.Write([&](store::WriteTx& tx) -> Result<void> {
      if (auto inserted = tx.InsertCustomer(customer); !inserted) return inserted;
      return tx.SetCustomerPassword(customer.id, *hash);
    });
    if (!written) return Fail(written.error());
    return customer;
  }

  Result<int64_t> Open(const d::Principal& who, int64_t customer_id, const char* subject,
                       const char* body, d::Channel channel, d::Priority priority,
                       const char* category) {
    d::OpenCaseInput input{customer_id, subject, body, channel, priority, category, false, {}};
    const Timestamp at = Tick(hours(3));
    auto change = cases_.OpenNow(store_, who, input, at);
    if (!change) return Fail(change.error());
    Count(*change);
    return change->state.id;
  }

  Result<void> Do(const d::Principal& who, int64_t case_id, const Decision& decide) {
    auto change = cases_.ApplyNow(store_, who, case_id, decide, now_);
    if (!change) return Fail(change.error());
    Count(*change);
    return {};
  }

  Result<void> Message(const d::Principal& who, int64_t case_id, const std::string& body,
                       d::Channel channel) {
    const Timestamp at = Tick(minutes(95));
    return Do(who, case_id,
              [&](const d::CaseState& s) { return d::AddMessage(s, who, body, channel, at); });
  }

  Result<void> Note(const d::Principal& who, int64_t case_id, const std::string& body) {
    const Timestamp at = Tick(minutes(20));
    return Do(who, case_id, [&](const d::CaseState& s) { return d::AddNote(s, who, body, at); });
  }

  Result<void> Assign(const d::Principal& who, int64_t case_id, const d::User& owner,
                      const std::string& reason, const std::string& handoff) {
    const Timestamp at = Tick(minutes(10));
    d::AssignInput input{owner.id, owner.display_name, reason, handoff};
    return Do(who, case_id, [&](const d::CaseState& s) { return d::Assign(s, who, input, at); });
  }

  Result<void> Status(const d::Principal& who, int64_t case_id, d::CaseStatus to,
                      const std::string& reason) {
    const Timestamp at = Tick(minutes(30));
    return Do(who, case_id,
              [&](const d::CaseState& s) { return d::ChangeStatus(s, who, to, reason, at); });
  }

  DemoSummary& summary() { return summary_; }

 private:
  void Count(const CaseChange& change) {
    summary_.events += static_cast<int>(change.events.size());
    if (change.state.last_seq == static_cast<int64_t>(change.events.size())) ++summary_.cases;
  }

  store::Store& store_;
  const CaseService& cases_;
  Timestamp now_;
  DemoSummary summary_;
};

d::Principal AsCustomer(const d::Customer& c) {
  return d::Principal{d::Role::kCustomer, c.id, c.name, 0};
}

#define DEMO_TRY(expr)                               \
  do {                                               \
    if (auto demo_result_ = (expr); !demo_result_) { \
      return Fail(demo_result_.error());             \
    }                                                \
  } while (false)

}  // namespace

std::vector<DemoLogin> DemoLogins() {
  std::vector<DemoLogin> logins;
  for (const StaffSeed& seed : kStaff) {
    logins.push_back({d::RoleName(seed.role), seed.email, kDemoPassword, seed.name});
  }
  for (const CustomerSeed& seed : kCustomers) {
    logins.push_back({"customer", seed.emails.front(), kDemoPassword, seed.name});
  }
  return logins;
}

Result<DemoSummary> LoadDemoData(store::Store& store, const CaseService& cases, Clock& clock) {
  auto existing = store.ListUsers();
  if (!existing) return Fail(existing.error());
  if (!existing->empty()) {
    return Fail(ErrorCode::kConflict,
                "the database already has users; demo data is only loaded into an empty one");
  }

  Loader load(store, cases, clock.Now() - hours(24 * 6));
  std::vector<d::User> staff;
  for (const StaffSeed& seed : kStaff) {
    auto user = load.AddStaff(seed);
    if (!user) return Fail(user.error());
    staff.push_back(std::move(*user));
  }
  if (auto canned = load.AddCannedReplies(); !canned) return Fail(canned.error());
  const d::User& priya = staff[0];
  const d::User& tom = staff[1];
  const d::User& mei = staff[2];
  const d::User& omar = staff[3];

  std::vector<d::Customer> customers;
  for (const CustomerSeed& seed : kCustomers) {
    auto customer = load.AddCustomer(seed);
    if (!customer) return Fail(customer.error());
    customers.push_back(std::move(*customer));
  }
  const d::Principal asha = AsCustomer(customers[0]);
  const d::Principal seeta = AsCustomer(customers[1]);
  const d::Principal daniel = AsCustomer(customers[2]);
  const d::Principal meera = AsCustomer(customers[3]);

  // 1. A return rejected "for technical reasons", twice; now with the escalations team.
  auto returns = load.Open(asha, asha.id, "Return request rejected for 'technical reasons'",
                           "My return request for the trekking shoes (order 40-1123) was rejected "
                           "with no reason except 'technical reasons'. The sole came off after a "
                           "week. Photos attached to my earlier mail.",
                           d::Channel::kWeb, d::Priority::kHigh, "returns");
  if (!returns) return Fail(returns.error());
  DEMO_TRY(load.Assign(priya.AsPrincipal(), *returns, priya, "", ""));
  DEMO_TRY(load.Message(priya.AsPrincipal(), *returns,
                        "Sorry for the trouble, Asha. I have raised a new return request.",
                        d::Channel::kEmail));
  DEMO_TRY(load.Message(asha, *returns, "The second request was rejected again, same message.",
                        d::Channel::kWeb));
  DEMO_TRY(load.Note(priya.AsPrincipal(), *returns,
                     "Warehouse system rejects returns for items marked 'non-returnable' by the "
                     "seller. This item is wrongly flagged. Needs L2 to override."));
  DEMO_TRY(load.Assign(priya.AsPrincipal(), *returns, mei, "Needs a policy override at L2",
                       "Item wrongly flagged non-returnable; customer has been rejected twice. "
                       "Please override and book a pickup."));
  DEMO_TRY(load.Message(mei.AsPrincipal(), *returns,
                        "I am Mei from the escalations team. I have overridden the flag and booked "
                        "a pickup for tomorrow between 10:00 and 13:00.",
                        d::Channel::kEmail));

  // 2. A cashback promised in writing and denied by the next agent; waiting for finance.
  auto cashback = load.Open(daniel, daniel.id, "Cashback not credited on dispatch",
                            "The backpack was listed as a fashion item with 10% cashback. "
                            "Customer service confirmed it in writing, but nothing was credited.",
                            d::Channel::kEmail, d::Priority::kNormal, "payments");
  if (!cashback) return Fail(cashback.error());
  DEMO_TRY(load.Assign(tom.AsPrincipal(), *cashback, tom, "", ""));
  DEMO_TRY(load.Message(tom.AsPrincipal(), *cashback,
                        "I have asked the payments team to check the classification of your item.",
                        d::Channel::kEmail));
  DEMO_TRY(load.Status(tom.AsPrincipal(), *cashback, d::CaseStatus::kOnHold,
                       "Waiting for the payments team"));

  // 3. Parcel marked delivered but never received; urgent, new, nobody has answered yet.
  auto parcel = load.Open(meera, meera.id, "Order marked delivered but I never received it",
                          "I missed the courier's call, called back within 5 minutes, and then "
                          "got an SMS that I collected the parcel personally. I did not. It was "
                          "prepaid.",
                          d::Channel::kSocial, d::Priority::kUrgent, "delivery");
  if (!parcel) return Fail(parcel.error());

  // 4. A refund lost between the web shop and the store, escalated to the grievance officer.
  auto refund = load.Open(seeta, seeta.id, "Refund for returned earrings not received",
                          "I returned the earrings four weeks ago. The online order was "
                          "cancelled and re-placed with a store, and nobody can tell me who owes "
                          "me the refund.",
                          d::Channel::kPhone, d::Priority::kHigh, "refunds");
  if (!refund) return Fail(refund.error());
  DEMO_TRY(load.Assign(priya.AsPrincipal(), *refund, priya, "", ""));
  DEMO_TRY(load.Note(priya.AsPrincipal(), *refund,
                     "Return received at the central warehouse on the 3rd; store 112 holds the "
                     "payment. Neither system shows a refund."));
  DEMO_TRY(load.Assign(priya.AsPrincipal(), *refund, omar,
                       "Refund owed across two systems; needs the grievance officer",
                       "Warehouse has the item, store 112 has the money. Customer has called a "
                       "dozen times. Please own it end to end."));
  DEMO_TRY(load.Message(omar.AsPrincipal(), *refund,
                        "I am Omar, the grievance officer. I own your case until the refund is "
                        "on your card. I will update you every day.",
                        d::Channel::kEmail));
  DEMO_TRY(load.Status(omar.AsPrincipal(), *refund, d::CaseStatus::kPending,
                       "Asked the customer for the card's last four digits"));

  // 5. A solved case, for the history panel.
  auto solved = load.Open(asha, asha.id, "Invoice needed for warranty claim",
                          "Please send me a GST invoice for order 40-0987.", d::Channel::kChat,
                          d::Priority::kLow, "billing");
  if (!solved) return Fail(solved.error());
  DEMO_TRY(load.Assign(tom.AsPrincipal(), *solved, tom, "", ""));
  DEMO_TRY(load.Message(tom.AsPrincipal(), *solved, "Here is your invoice, attached as PDF.",
                        d::Channel::kChat));
  DEMO_TRY(load.Status(tom.AsPrincipal(), *solved, d::CaseStatus::kSolved, "Invoice sent"));

  load.summary().logins = DemoLogins();
  return load.summary();
}

}  // namespace redress::app
