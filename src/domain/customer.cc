#include "domain/customer.h"

#include <array>
#include <utility>

#include "core/ascii.h"
#include "domain/text_fields.h"

namespace redress::domain {
namespace {

constexpr size_t kMaxEmailChars = 254;  // RFC 5321 path limit minus the angle brackets
constexpr size_t kMaxLocalPartChars = 64;
constexpr size_t kMaxDomainLabelChars = 63;
constexpr size_t kMinPhoneDigits = 7;
constexpr size_t kMaxPhoneDigits = 15;  // E.164
constexpr size_t kMaxHandleChars = 64;
constexpr size_t kMaxNameChars = 200;

tl::unexpected<Error> Invalid(std::string message, std::string field) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

// RFC 5322 "atext": what an unquoted local part may contain besides dots. Quoted local
// parts are legal but vanishingly rare in real addresses, so they are refused.
bool IsAtext(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return IsAsciiAlnum(c) || kSpecials.find(c) != std::string_view::npos;
}

Result<void> CheckLocalPart(std::string_view local, const std::string& quoted) {
  const std::string prefix = quoted + " is not an email address: ";
  if (local.empty()) return Invalid(prefix + "nothing before the '@'", "email");
  if (local.size() > kMaxLocalPartChars) {
    return Invalid(prefix + "the part before '@' is longer than 64 characters", "email");
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return Invalid(prefix + "dots before the '@' must separate words", "email");
  }
  for (char c : local) {
    if (c != '.' && !IsAtext(c)) {
      const std::string what =
          IsAsciiSpace(c) ? std::string("spaces") : QuoteForMessage(std::string(1, c));
      return Invalid(prefix + "the part before '@' may not contain " + what, "email");
    }
  }
  return {};
}

Result<void> CheckDomain(std::string_view domain, const std::string& quoted) {
  const std::string prefix = quoted + " is not an email address: ";
  if (domain.empty()) return Invalid(prefix + "no domain after the '@'", "email");
  for (char c : domain) {
    if (!IsAsciiAlnum(c) && c != '-' && c != '.') {
      return Invalid(prefix + "the domain may contain only letters, digits, '-' and '.'", "email");
    }
  }
  if (domain.find('.') == std::string_view::npos) {
    return Invalid(prefix + "the domain needs a dot, as in example.com", "email");
  }
  size_t start = 0;
  while (start <= domain.size()) {
    size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty())
      return Invalid(prefix + "the domain has an empty part between dots", "email");
    if (label.front() == '-' || label.back() == '-') {
      return Invalid(prefix + "a domain part may not start or end with '-'", "email");
    }
    if (label.size() > kMaxDomainLabelChars) {
      return Invalid(prefix + "a domain part is longer than 63 characters", "email");
    }
    start = end + 1;
  }
  return {};
}

// Supported networks and their canonical names; "twitter" survives only as an alias.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNetworks{{
    {"x", "x"},
    {"twitter", "x"},
    {"facebook", "facebook"},
    {"instagram", "instagram"},
    {"whatsapp", "whatsapp"},
    {"linkedin", "linkedin"},
}};

// Prefixes an identity error with where it came from in the request.
Error AtField(Error error, const std::string& field) {
  error.message = field + ": " + error.message;
  error.field = field;
  return error;
}

}  // namespace

const char* IdentityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::kEmail: return "email";
    case IdentityKind::kPhone: return "phone";
    case IdentityKind::kSocial: return "social";
  }
  return "unknown";
}

std::optional<IdentityKind> ParseIdentityKind(std::string_view name) {
  for (IdentityKind kind : {IdentityKind::kEmail, IdentityKind::kPhone, IdentityKind::kSocial}) {
    if (name == IdentityKindName(kind)) return kind;
  }
  return std::nullopt;
}

Result<std::string> NormalizeEmail(std::string_view raw) {
  const std::string_view s = TrimAsciiSpace(raw);
  if (s.empty()) return Invalid("an email address must not be empty", "email");
  const std::string quoted = QuoteForMessage(s);
  if (s.size() > kMaxEmailChars) {
    return Invalid(quoted + " is not an email address: longer than 254 characters", "email");
  }
  const size_t at = s.find('@');
  if (at == std::string_view::npos) {
    return Invalid(quoted + " is not an email address: it has no '@'", "email");
  }
  if (s.find('@', at + 1) != std::string_view::npos) {
    return Invalid(quoted + " is not an email address: it has more than one '@'", "email");
  }
  if (auto ok = CheckLocalPart(s.substr(0, at), quoted); !ok) return Fail(ok.error());
  if (auto ok = CheckDomain(s.substr(at + 1), quoted); !ok) return Fail(ok.error());
  return AsciiLower(s);
}

Result<std::string> NormalizePhone(std::string_view raw) {
  const std::string_view s = TrimAsciiSpace(raw);
  if (s.empty()) return Invalid("a phone number must not be empty", "phone");
  const std::string quoted = QuoteForMessage(s);
  if (s.front() != '+') {
    return Invalid(quoted + " must start with '+' and the country code, as in +91 98123 45678",
                   "phone");
  }
  std::string digits;
  for (char c : s.substr(1)) {
    if (IsAsciiDigit(c)) {
      digits += c;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return Invalid(quoted +
                         " is not a phone number: only digits, spaces, '-', '.', '(' and ')' "
                         "may follow the '+'",
                     "phone");
    }
  }
  if (digits.size() < kMinPhoneDigits || digits.size() > kMaxPhoneDigits) {
    return Invalid(quoted + " is not a phone number: it has " + std::to_string(digits.size()) +
                       " digits, an international number has 7 to 15",
                   "phone");
  }
  if (digits.front() == '0') {
    return Invalid(quoted + " is not a phone number: country codes never start with 0", "phone");
  }
  return "+" + digits;
}

Result<std::string> NormalizeSocial(std::string_view network, std::string_view handle) {
  const std::string net = AsciiLower(TrimAsciiSpace(network));
  std::string_view canonical;
  for (const auto& [alias, name] : kNetworks) {
    if (net == alias) canonical = name;
  }
  if (canonical.empty()) {
    return Invalid("unknown social network " + QuoteForMessage(net) +
                       "; use one of x, facebook, instagram, whatsapp, linkedin",
                   "network");
  }
  std::string_view h = TrimAsciiSpace(handle);
  if (!h.empty() && h.front() == '@') h.remove_prefix(1);
  if (h.empty()) return Invalid("a social handle must not be empty", "handle");
  if (h.size() > kMaxHandleChars) {
    return Invalid(
        "a social handle must be at most 64 characters (got " + std::to_string(h.size()) + ")",
        "handle");
  }
  for (char c : h) {
    if (!IsAsciiAlnum(c) && c != '.' && c != '_' && c != '-') {
      return Invalid("social handle " + QuoteForMessage(h) +
                         " may contain only letters, digits, '.', '_' and '-'",
                     "handle");
    }
  }
  // Every supported network matches handles case-insensitively; lowering them is what
  // keeps "@AshaR" and "ashar" from becoming two customers.
  return std::string(canonical) + ":" + AsciiLower(h);
}

std::vector<std::string> Customer::Emails() const {
  std::vector<std::string> out;
  for (const Identity& identity : identities) {
    if (identity.kind == IdentityKind::kEmail) out.push_back(identity.value);
  }
  return out;
}

std::vector<std::string> Customer::Phones() const {
  std::vector<std::string> out;
  for (const Identity& identity : identities) {
    if (identity.kind == IdentityKind::kPhone) out.push_back(identity.value);
  }
  return out;
}

Result<std::vector<Identity>> ValidateNewCustomer(const NewCustomer& input) {
  if (auto name = CheckLine("name", input.name, 1, kMaxNameChars); !name) {
    return Fail(name.error());
  }
  std::vector<Identity> identities;
  std::vector<std::string> fields;  // fields[i] is where identities[i] came from
  auto add = [&](IdentityKind kind, std::string value, std::string field) -> Result<void> {
    for (size_t i = 0; i < identities.size(); ++i) {
      if (identities[i].kind == kind && identities[i].value == value) {
        return Invalid(field + ": " + QuoteForMessage(value) + " is a duplicate of " + fields[i],
                       field);
      }
    }
    identities.push_back(Identity{kind, std::move(value), false});
    fields.push_back(std::move(field));
    return {};
  };

  for (size_t i = 0; i < input.emails.size(); ++i) {
    const std::string field = "emails[" + std::to_string(i) + "]";
    auto email = NormalizeEmail(input.emails[i]);
    if (!email) return Fail(AtField(email.error(), field));
    if (auto ok = add(IdentityKind::kEmail, std::move(*email), field); !ok) return Fail(ok.error());
  }
  for (size_t i = 0; i < input.phones.size(); ++i) {
    const std::string field = "phones[" + std::to_string(i) + "]";
    auto phone = NormalizePhone(input.phones[i]);
    if (!phone) return Fail(AtField(phone.error(), field));
    if (auto ok = add(IdentityKind::kPhone, std::move(*phone), field); !ok) return Fail(ok.error());
  }
  for (size_t i = 0; i < input.social.size(); ++i) {
    const std::string field = "social[" + std::to_string(i) + "]";
    auto social = NormalizeSocial(input.social[i].network, input.social[i].handle);
    if (!social) return Fail(AtField(social.error(), field + "." + social.error().field));
    if (auto ok = add(IdentityKind::kSocial, std::move(*social), field); !ok) {
      return Fail(ok.error());
    }
  }
  if (identities.empty()) {
    return Invalid("a customer needs at least one email address, phone number or social handle",
                   "emails");
  }
  return identities;
}

Result<std::string> NormalizeTier(std::string_view raw) {
  raw = TrimAsciiSpace(raw);
  if (raw.size() > 32) {
    return Fail(ErrorCode::kInvalidArgument,
                "tier: at most 32 characters, got " + std::to_string(raw.size()), "tier");
  }
  std::string tier = AsciiLower(raw);
  for (char c : tier) {
    if (!IsAsciiAlnum(c) && c != '_' && c != '-') {
      return Fail(ErrorCode::kInvalidArgument,
                  "tier: only letters, digits, '_' and '-' are allowed (like \"gold\" or \"vip\")",
                  "tier");
    }
  }
  return tier;
}

}  // namespace redress::domain
