#include "policy/escalation_policy.h"

#include <algorithm>
#include <array>
#include <utility>

namespace redress::policy {
namespace {

constexpr std::array<std::pair<ExternalRouteKind, const char*>, 4> kRouteKinds{{
    {ExternalRouteKind::kRegulator, "regulator"},
    {ExternalRouteKind::kOmbudsman, "ombudsman"},
    {ExternalRouteKind::kPublicGrievancePortal, "public_grievance_portal"},
    {ExternalRouteKind::kConsumerCourt, "consumer_court"},
}};

}  // namespace

std::chrono::minutes SlaTargets::For(domain::SlaClockKind clock) const {
  switch (clock) {
    case domain::SlaClockKind::kFirstResponse:
      return first_response;
    case domain::SlaClockKind::kNextUpdate:
      return next_update;
    case domain::SlaClockKind::kResolution:
      return resolution;
  }
  return first_response;
}

int64_t Level::CreditLimit(std::string_view currency) const {
  auto it = credit_limits.find(currency);
  return it == credit_limits.end() ? 0 : it->second;
}

const char* ExternalRouteKindName(ExternalRouteKind k) {
  for (const auto& [v, name] : kRouteKinds) {
    if (v == k) return name;
  }
  return "unknown";
}

std::optional<ExternalRouteKind> ParseExternalRouteKind(std::string_view name) {
  for (const auto& [v, text] : kRouteKinds) {
    if (name == text) return v;
  }
  return std::nullopt;
}

const Ladder& EscalationPolicy::LadderFor(std::string_view category) const {
  for (const Ladder& ladder : ladders_) {
    if (std::find(ladder.categories.begin(), ladder.categories.end(), category) !=
        ladder.categories.end()) {
      return ladder;
    }
  }
  return ladders_[default_ladder_];
}

const Level& EscalationPolicy::LevelAt(const Ladder& ladder, int rank) const {
  const size_t index =
      static_cast<size_t>(std::clamp(rank, 1, static_cast<int>(ladder.levels.size())));
  return *ladder.levels[index - 1];
}

const Level& EscalationPolicy::LevelFor(const domain::CaseState& c) const {
  return LevelAt(LadderFor(c.category), c.level);
}

const Level* EscalationPolicy::NextLevelFor(const domain::CaseState& c) const {
  const Ladder& ladder = LadderFor(c.category);
  if (c.level < 1 || static_cast<size_t>(c.level) >= ladder.levels.size()) return nullptr;
  return ladder.levels[static_cast<size_t>(c.level)];
}

const BusinessCalendar& EscalationPolicy::CalendarOf(const Level& level) const {
  // The loader guarantees every level's calendar exists.
  return calendars_.find(level.calendar)->second;
}

bool EscalationPolicy::Pauses(domain::CaseStatus status, domain::SlaClockKind clock) const {
  if (status == domain::CaseStatus::kSolved || status == domain::CaseStatus::kClosed) return true;
  return paused_[static_cast<size_t>(status)][static_cast<size_t>(clock)];
}

const ExternalRoute* EscalationPolicy::FindExternalRoute(std::string_view id) const {
  for (const auto& route : routes_) {
    if (route->id == id) return route.get();
  }
  return nullptr;
}

}  // namespace redress::policy
