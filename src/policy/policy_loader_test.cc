#include "policy/policy_loader.h"

#include <gtest/gtest.h>

#include <string>

namespace redress::policy {
namespace {

using namespace std::chrono_literals;
using domain::CaseStatus;
using domain::Priority;
using domain::SlaClockKind;

const std::string kExample = std::string(REDRESS_SOURCE_DIR) + "/etc/escalation.example.toml";

// A small valid matrix; each test breaks one thing in it.
std::string Minimal() {
  return R"(version = 1
[calendars.office]
time_zone = "Europe/Berlin"
holidays = ["2026-12-25"]
[calendars.office.hours]
weekdays = ["09:00-17:00"]

[levels.l1]
name = "L1 Customer care"
calendar = "office"
members = [{ id = 7, name = "Priya" }]
credit_limit = { EUR = 5000 }
[levels.l1.sla.default]
first_response = "4h"
next_update = "8h"
resolution = "24h"

[levels.l2]
name = "L2 Escalations"
calendar = "office"
[levels.l2.sla.default]
first_response = "2h"
next_update = "8h"
resolution = "16h"

[[ladders]]
id = "default"
categories = ["*"]
levels = ["l1", "l2"]
)";
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

void ExpectRejected(const std::string& text, std::string_view needle) {
  auto policy = LoadEscalationPolicy(text, "esc.toml");
  ASSERT_FALSE(policy.has_value()) << "accepted; wanted " << needle;
  EXPECT_EQ(policy.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(policy.error().message.find(needle), std::string::npos)
      << policy.error().message << "\n(wanted \"" << needle << "\")";
}

TEST(PolicyLoader, TheDocumentedExampleLoads) {
  auto policy = LoadEscalationPolicyFile(kExample);
  ASSERT_TRUE(policy.has_value()) << policy.error().message;
  const EscalationPolicy& p = **policy;
  domain::CaseState c;
  c.category = "returns";
  c.level = 1;
  EXPECT_EQ(p.LadderFor("returns").id, "default");
  EXPECT_EQ(p.LadderFor("social").id, "social");
  EXPECT_EQ(p.LevelFor(c).name, "L1 Customer care");
  ASSERT_NE(p.NextLevelFor(c), nullptr);
  EXPECT_EQ(p.NextLevelFor(c)->name, "L2 Escalations");
  c.level = 4;
  EXPECT_EQ(p.NextLevelFor(c), nullptr);
  EXPECT_EQ(p.LevelFor(c).name, "L4 Executive office");
  c.level = 9;  // beyond the top of a shortened ladder: stays at the top
  EXPECT_EQ(p.LevelFor(c).name, "L4 Executive office");

  const Level& l1 = p.LevelAt(p.LadderFor(""), 1);
  EXPECT_EQ(l1.Targets(Priority::kNormal).first_response, 4h);
  EXPECT_EQ(l1.Targets(Priority::kUrgent).first_response, 1h);
  EXPECT_EQ(l1.Targets(Priority::kUrgent).resolution, 27h);  // from default
  EXPECT_EQ(l1.CreditLimit("INR"), 50000);
  EXPECT_EQ(l1.CreditLimit("EUR"), 0);
  ASSERT_EQ(l1.members.size(), 3u);
  EXPECT_EQ(l1.members[1], (Member{102, "Arjun"}));
  EXPECT_EQ(p.CalendarOf(l1).time_zone(), "Asia/Kolkata");
  EXPECT_TRUE(p.CalendarOf(p.LevelAt(p.LadderFor("social"), 1)).always_open());

  EXPECT_TRUE(p.Pauses(CaseStatus::kPending, SlaClockKind::kNextUpdate));
  EXPECT_TRUE(p.Pauses(CaseStatus::kOnHold, SlaClockKind::kResolution));
  EXPECT_FALSE(p.Pauses(CaseStatus::kOnHold, SlaClockKind::kNextUpdate));
  EXPECT_FALSE(p.Pauses(CaseStatus::kOpen, SlaClockKind::kResolution));
  EXPECT_TRUE(p.Pauses(CaseStatus::kSolved, SlaClockKind::kFirstResponse));

  EXPECT_EQ(p.triggers().repeat_contact, 3);
  ASSERT_EQ(p.triggers().keywords.size(), 2u);
  EXPECT_EQ(p.triggers().keywords[0].phrase, "consumer court");
  EXPECT_EQ(p.triggers().keywords[0].to_level, 3);
  ASSERT_EQ(p.triggers().value_tiers.size(), 1u);
  EXPECT_EQ(p.triggers().value_tiers[0].min_level, 2);
  const ExternalRoute* cpgrams = p.FindExternalRoute("cpgrams");
  ASSERT_NE(cpgrams, nullptr);
  EXPECT_EQ(cpgrams->kind, ExternalRouteKind::kPublicGrievancePortal);
  EXPECT_EQ(p.LadderFor("x").external.size(), 3u);
}

TEST(PolicyLoader, MinimalMatrixHasDefaults) {
  auto policy = LoadEscalationPolicy(Minimal());
  ASSERT_TRUE(policy.has_value()) << policy.error().message;
  EXPECT_EQ((*policy)->triggers().repeat_contact, 3);
  EXPECT_FALSE((*policy)->Pauses(CaseStatus::kPending, SlaClockKind::kResolution));
  EXPECT_EQ((*policy)->source(), "escalation.toml");
}

TEST(PolicyLoader, UnknownLevelInALadderNamesTheLine) {
  ExpectRejected(Replace(Minimal(), R"(levels = ["l1", "l2"])", R"(levels = ["l1", "l7"])"),
                 "esc.toml:29: ladders[0].levels: unknown level \"l7\"");
}

TEST(PolicyLoader, ALevelTwiceInALadderIsACycle) {
  ExpectRejected(Replace(Minimal(), R"(levels = ["l1", "l2"])", R"(levels = ["l1", "l2", "l1"])"),
                 "esc.toml:29: ladders[0].levels: level \"l1\" appears twice");
}

TEST(PolicyLoader, NegativeAndZeroDurationsAreRejected) {
  ExpectRejected(Replace(Minimal(), R"(first_response = "4h")", R"(first_response = "-4h")"),
                 "esc.toml:14: levels.l1.sla.default.first_response: must be a positive "
                 "duration such as \"4h\", \"90m\" or \"1h30m\" (got \"-4h\")");
  ExpectRejected(Replace(Minimal(), R"(resolution = "16h")", R"(resolution = "0m")"),
                 "esc.toml:24: levels.l2.sla.default.resolution: must be a positive");
  ExpectRejected(Replace(Minimal(), R"(resolution = "16h")", R"(resolution = 16)"),
                 "levels.l2.sla.default.resolution: must be a duration string");
  ExpectRejected(Replace(Minimal(), R"(resolution = "16h")", R"(resolution = "2d")"),
                 "(got \"2d\")");
}

TEST(PolicyLoader, MissingAndUnknownCalendars) {
  ExpectRejected(Replace(Minimal(), "name = \"L2 Escalations\"\ncalendar = \"office\"",
                         "name = \"L2 Escalations\"\ncalendar = \"night\""),
                 "esc.toml:20: levels.l2.calendar: unknown calendar \"night\"");
  ExpectRejected(Replace(Minimal(), "time_zone = \"Europe/Berlin\"\n", ""),
                 "esc.toml:2: calendars.office.time_zone: is missing");
  ExpectRejected(Replace(Minimal(), "Europe/Berlin", "Europe/Atlantis"),
                 "esc.toml:2: calendars.office: unknown time zone \"Europe/Atlantis\"");
  ExpectRejected(Replace(Minimal(), R"(name = "L1 Customer care")", ""),
                 "levels.l1.name: is missing");
}

TEST(PolicyLoader, BadHolidaysAndHours) {
  ExpectRejected(Replace(Minimal(), "2026-12-25", "2026-02-30"),
                 "esc.toml:4: calendars.office.holidays[0]: must be a date");
  ExpectRejected(Replace(Minimal(), R"(["2026-12-25"])", R"([2026-12-25, "Christmas"])"),
                 "calendars.office.holidays[1]: must be a date");
  ExpectRejected(Replace(Minimal(), "09:00-17:00", "17:00-09:00"),
                 "esc.toml:6: calendars.office.hours.weekdays[0]: \"17:00-09:00\" must end after "
                 "it starts");
  ExpectRejected(Replace(Minimal(), "09:00-17:00", "9-5"), "must be \"HH:MM-HH:MM\"");
  ExpectRejected(Replace(Minimal(), R"(weekdays = ["09:00-17:00"])", "mon = []"),
                 "calendars.office: has no opening hours");
}

TEST(PolicyLoader, StructuralMistakes) {
  ExpectRejected(Replace(Minimal(), R"(categories = ["*"])", R"(categories = ["returns"])"),
                 "no ladder covers every category");
  ExpectRejected(
      Replace(Minimal(), "next_update = \"8h\"\nresolution = \"24h\"", "resolution = \"24h\""),
      "levels.l1.sla.low.next_update: is missing");
  ExpectRejected(Replace(Minimal(), "version = 1", "version = 1\nescalation = true"),
                 "esc.toml:2: escalation: unknown key");
  ExpectRejected(
      Replace(Minimal(), "credit_limit = { EUR = 5000 }", "credit_limit = { euro = 5000 }"),
      "levels.l1.credit_limit.euro: must be an ISO 4217 currency code");
  ExpectRejected(Replace(Minimal(), "credit_limit = { EUR = 5000 }", "credit_limit = { EUR = -1 }"),
                 "must be a whole, non-negative number of minor units");
  ExpectRejected(Replace(Minimal(), "{ id = 7, name = \"Priya\" }",
                         "{ id = 7, name = \"Priya\" }, { id = 7, name = \"Again\" }"),
                 "levels.l1.members[1].id: user 7 is listed twice");
  ExpectRejected(Minimal() + "[[ladders]]\nid = \"r\"\ncategories = [\"*\"]\nlevels = [\"l2\"]\n",
                 "category \"*\" already belongs to another ladder");
  ExpectRejected("levels = [", "esc.toml:1:");
}

TEST(PolicyLoader, PauseAndTriggerRules) {
  ExpectRejected(Minimal() + "[pause]\non_hold = [\"next_update\"]\n",
                 "pause.on_hold: on_hold may pause only resolution");
  ExpectRejected(Minimal() + "[pause]\nopen = [\"resolution\"]\n", "pause.open: unknown key");
  ExpectRejected(Minimal() + "[pause]\npending = [\"lunch\"]\n",
                 "pause.pending[0]: must be one of first_response");
  ExpectRejected(Minimal() + "[triggers]\nrepeat_contact = 1\n", "must be at least 2");
  ExpectRejected(Minimal() + "[[triggers.keywords]]\nphrase = \"court\"\nto_level = 3\n",
                 "triggers.keywords[0].to_level: must be a level rank from 2 to 2");
  auto ok = LoadEscalationPolicy(Minimal() +
                                 "[pause]\npending = [\"first_response\", \"resolution\"]\n"
                                 "[triggers]\nrepeat_contact = 0\nsla_breach = [\"resolution\"]\n"
                                 "appeal = false\n[[triggers.keywords]]\nphrase = \"Legal "
                                 "NOTICE\"\n");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  const EscalationPolicy& p = **ok;
  EXPECT_TRUE(p.Pauses(CaseStatus::kPending, SlaClockKind::kFirstResponse));
  EXPECT_FALSE(p.Pauses(CaseStatus::kPending, SlaClockKind::kNextUpdate));
  EXPECT_EQ(p.triggers().repeat_contact, 0);
  EXPECT_FALSE(p.triggers().sla_breach[0]);
  EXPECT_TRUE(p.triggers().sla_breach[2]);
  EXPECT_FALSE(p.triggers().appeal);
  EXPECT_EQ(p.triggers().keywords[0].phrase, "legal notice");
  EXPECT_EQ(p.triggers().keywords[0].to_level, 0);
}

TEST(PolicyLoader, BusinessDurations) {
  EXPECT_EQ(ParseBusinessDuration("4h"), std::chrono::minutes(240));
  EXPECT_EQ(ParseBusinessDuration("90m"), std::chrono::minutes(90));
  EXPECT_EQ(ParseBusinessDuration("1h30m"), std::chrono::minutes(90));
  for (const char* bad : {"", "h", "4", "4x", "30m1h", "1h1h", "-1h", "0h", " 4h", "4h "}) {
    EXPECT_FALSE(ParseBusinessDuration(bad).has_value()) << bad;
  }
}

TEST(PolicyLoader, MissingFileIsNotFound) {
  auto r = LoadEscalationPolicyFile("/nonexistent/escalation.toml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace redress::policy
