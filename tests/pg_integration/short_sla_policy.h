// The escalation matrix the multi-node tests run with: three levels on a 24x7 calendar so
// every due time is plain arithmetic from the test clock, and short first-response
// targets (L1 1 h, L2 2 h, L3 24 h) so a test reaches its deadlines in one clock move.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>

namespace redress::testing {

/// `l1` works level 1, `l2` levels 2 and 3 (user ids).
inline std::string ShortSlaPolicy(int64_t l1, int64_t l2) {
  std::string levels;
  for (const auto& [id, name, member, response] :
       {std::tuple{"l1", "L1 Customer care", l1, "1h"}, {"l2", "L2 Escalations", l2, "2h"},
        {"l3", "L3 Grievance officer", l2, "24h"}}) {
    levels += std::string("[levels.") + id + "]\nname = \"" + name +
              "\"\ncalendar = \"always\"\nmembers = [{ id = " + std::to_string(member) +
              ", name = \"Member\" }]\n[levels." + id + ".sla.default]\nfirst_response = \"" +
              response + "\"\nnext_update = \"24h\"\nresolution = \"72h\"\n\n";
  }
  return "version = 1\n[calendars.always]\ntime_zone = \"UTC\"\n[calendars.always.hours]\n"
         "daily = [\"00:00-24:00\"]\n\n" +
         levels +
         "[external.ombudsman]\nname = \"Consumer ombudsman\"\nkind = \"ombudsman\"\n"
         "address = \"https://ombudsman.example\"\n\n[[ladders]]\nid = \"default\"\n"
         "categories = [\"*\"]\nlevels = [\"l1\", \"l2\", \"l3\"]\nexternal = [\"ombudsman\"]\n";
}

}  // namespace redress::testing
