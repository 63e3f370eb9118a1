// The demo dataset that `make run` and `redress demo` load into an empty database: staff at
// three escalation levels plus a supervisor and an admin, customers with several
// identities, and cases in every status, built from the seed stories (a return rejected
// "for technical reasons", a cashback promised in writing, a parcel marked delivered that
// never came, a refund lost between web shop and store). Everything goes through the same
// case service as real traffic, so the demo data is a valid, verifiable event log.
#pragma once

#include <string>
#include <vector>

#include "app/case_service.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace redress::app {

struct DemoLogin {
  std::string role;
  std::string email;
  std::string password;
  std::string name;
};

struct DemoSummary {
  std::vector<DemoLogin> logins;
  int cases = 0;
  int events = 0;
};

/// The demo accounts (staff and customers) with their password, without touching a database.
std::vector<DemoLogin> DemoLogins();

/// Loads the demo data. kConflict if the database already has users (the demo is only for
/// an empty installation).
/// Loads through `cases`, so the demo cases get the same reactions (escalations, SLA
/// timers) as cases made through the API.
Result<DemoSummary> LoadDemoData(store::Store& store, const CaseService& cases, Clock& clock);

}  // namespace redress::app
