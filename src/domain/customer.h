// A customer is one person with many ways to reach them. Identities are normalised when
// they enter the system so that "Asha@Example.COM" and "asha@example.com" are one identity
// and the same person is never split into two customers by spelling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace redress::domain {

enum class IdentityKind { kEmail, kPhone, kSocial };

const char* IdentityKindName(IdentityKind kind);  // "email", "phone", "social"
std::optional<IdentityKind> ParseIdentityKind(std::string_view name);

struct Identity {
  IdentityKind kind = IdentityKind::kEmail;
  /// Normalised value: email lowercased ("asha@example.com"); phone in E.164 ("+919812345678");
  /// social as "network:handle" with the network lowercased and a leading '@' removed
  /// ("x:ashar", "instagram:asha.r").
  std::string value;
  bool verified = false;

  bool operator==(const Identity&) const = default;
};

/// Validates and normalises an email address: one '@', a non-empty local part, a domain
/// with at least one dot and only letters, digits, '-' and '.'; at most 254 characters.
Result<std::string> NormalizeEmail(std::string_view raw);

/// Validates and normalises a phone number to E.164: an optional leading '+', then 7-15
/// digits; spaces, dashes, dots and parentheses are ignored. Numbers without '+' are
/// rejected (we cannot guess a country).
Result<std::string> NormalizePhone(std::string_view raw);

/// Validates a social handle on a known network (x, twitter→x, facebook, instagram,
/// whatsapp, linkedin): handle of 1-64 characters from [A-Za-z0-9._-].
/// The handle is lowercased as well: every supported network matches handles
/// case-insensitively, so "@AshaR" and "ashar" must not become two customers.
Result<std::string> NormalizeSocial(std::string_view network, std::string_view handle);

/// Validates and normalises a value tier: lowercased, 1-32 characters from [a-z0-9_-]; an
/// empty string (after trimming) clears the tier.
Result<std::string> NormalizeTier(std::string_view raw);

struct Customer {
  int64_t id = 0;
  std::string name;
  std::vector<Identity> identities;
  Timestamp created_at{};
  /// The customer's value tier ("gold", "vip"), set by staff; empty for none. The
  /// escalation policy's value-tier rules start a new case of such a customer higher up.
  std::string tier;

  std::vector<std::string> Emails() const;
  std::vector<std::string> Phones() const;
};

/// Input for creating a customer, as given by an API caller; validated by ValidateNewCustomer.
struct NewCustomer {
  std::string name;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  struct Social {
    std::string network;
    std::string handle;
  };
  std::vector<Social> social;
};

/// Checks a NewCustomer and returns the normalised identities. Errors name the field
/// ("emails[1]: ...", "name: must not be empty"). A customer needs a name of 1-200
/// characters and at least one identity; duplicates within the request are rejected.
Result<std::vector<Identity>> ValidateNewCustomer(const NewCustomer& input);

}  // namespace redress::domain
