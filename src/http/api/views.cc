#include "http/api/views.h"

#include <boost/json/array.hpp>

#include "core/time_format.h"

namespace redress::http::api {
namespace json = boost::json;

json::object CaseView(const domain::CaseState& state, const domain::Principal& viewer) {
  json::object out;
  out["id"] = state.id;
  out["number"] = state.id;
  out["customer_id"] = state.customer_id;
  out["subject"] = state.subject;
  out["status"] = domain::CaseStatusName(state.status);
  out["priority"] = domain::PriorityName(state.priority);
  out["category"] = state.category;
  out["level"] = state.level;
  if (state.owner_id) {
    out["owner"] = json::object{{"id", *state.owner_id}, {"name", state.owner_name}};
  } else {
    out["owner"] = nullptr;
  }
  out["channel"] = domain::ChannelName(state.channel);
  out["opened_at"] = FormatTimestamp(state.opened_at);
  out["updated_at"] = FormatTimestamp(state.updated_at);
  if (state.first_response_at) {
    out["first_response_at"] = FormatTimestamp(*state.first_response_at);
  } else {
    out["first_response_at"] = nullptr;
  }
  json::object counts{{"customer_messages", state.customer_messages},
                      {"staff_replies", state.staff_replies},
                      {"transfers", state.transfers}};
  if (viewer.IsStaff() || viewer.role == domain::Role::kSystem) {
    counts["internal_notes"] = state.internal_notes;
    out["last_seq"] = state.last_seq;
    out["head_hash"] = state.head_hash;
  }
  out["counts"] = std::move(counts);
  return out;
}

json::object EventView(const domain::Event& event) {
  return json::object{
      {"seq", event.seq},
      {"type", domain::EventTypeName(event.type)},
      {"at", FormatTimestamp(event.at)},
      {"actor",
       json::object{{"kind", domain::ActorKindName(event.actor.kind)},
                    {"id", event.actor.id},
                    {"name", event.actor.name}}},
      {"channel", domain::ChannelName(event.channel)},
      {"visibility", domain::VisibilityName(event.visibility)},
      {"data", event.data},
      {"prev_hash", event.prev_hash},
      {"hash", event.hash},
  };
}

json::object CustomerView(const domain::Customer& customer) {
  json::array emails, phones, social;
  for (const auto& identity : customer.identities) {
    switch (identity.kind) {
      case domain::IdentityKind::kEmail: emails.emplace_back(identity.value); break;
      case domain::IdentityKind::kPhone: phones.emplace_back(identity.value); break;
      case domain::IdentityKind::kSocial: {
        const auto colon = identity.value.find(':');
        social.emplace_back(json::object{{"network", identity.value.substr(0, colon)},
                                         {"handle", identity.value.substr(colon + 1)}});
        break;
      }
    }
  }
  return json::object{{"id", customer.id},
                      {"name", customer.name},
                      {"emails", std::move(emails)},
                      {"phones", std::move(phones)},
                      {"social", std::move(social)},
                      {"created_at", FormatTimestamp(customer.created_at)},
                      {"tier", customer.tier.empty() ? json::value(nullptr)
                                                     : json::value(customer.tier)}};
}

json::object UserView(const domain::User& user) {
  return json::object{{"id", user.id},
                      {"email", user.email},
                      {"name", user.display_name},
                      {"role", domain::RoleName(user.role)},
                      {"level", user.level},
                      {"active", user.active}};
}

json::object PrincipalView(const domain::Principal& principal) {
  return json::object{{"role", domain::RoleName(principal.role)},
                      {"id", principal.id},
                      {"name", principal.display_name},
                      {"level", principal.level}};
}

}  // namespace redress::http::api
