#include "channels/email/thread_token.h"

#include <sodium.h>

#include <charconv>
#include <stdexcept>

#include "core/ascii.h"

namespace redress::email {
namespace {

constexpr size_t kMacBytes = 10;  // 80 bits -> 16 base32 characters
constexpr size_t kMacChars = 16;
constexpr size_t kMaxCaseDigits = 18;
constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";

void EnsureSodiumReady() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string Base32(const unsigned char* data, size_t size) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<int64_t> ParseCaseId(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxCaseDigits) return std::nullopt;
  for (char c : digits) {
    if (!IsAsciiDigit(c)) return std::nullopt;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || value <= 0) return std::nullopt;
  return value;
}

std::pair<std::string_view, std::string_view> SplitAddress(std::string_view address) {
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) return {address, {}};
  return {address.substr(0, at), address.substr(at + 1)};
}

bool EqualsCaseless(std::string_view a, std::string_view b) {
  return a.size() == b.size() && AsciiLower(a) == AsciiLower(b);
}

}  // namespace

const char* TokenProblemName(TokenProblem problem) {
  switch (problem) {
    case TokenProblem::kNone:
      return "none";
    case TokenProblem::kSignatureMismatch:
      return "signature_mismatch";
    case TokenProblem::kMalformed:
      return "malformed";
  }
  return "none";
}

Result<ThreadTokenSigner> ThreadTokenSigner::Create(std::string_view key) {
  if (key.size() != kThreadKeyBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                "the thread token key must be " + std::to_string(kThreadKeyBytes) + " bytes");
  }
  EnsureSodiumReady();
  return ThreadTokenSigner(std::string(key));
}

std::string ThreadTokenSigner::GenerateKey() {
  EnsureSodiumReady();
  std::string key(kThreadKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

std::string ThreadTokenSigner::Mac(int64_t case_id) const {
  std::string message = "redress/thread/v1:" + std::to_string(case_id);
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
              reinterpret_cast<const unsigned char*>(key_.data()));
  return Base32(mac, kMacBytes);
}

std::string ThreadTokenSigner::Token(int64_t case_id) const {
  return "c" + std::to_string(case_id) + "-" + Mac(case_id);
}

std::string ThreadTokenSigner::ReplyAddress(std::string_view mailbox, int64_t case_id) const {
  auto [local, domain] = SplitAddress(mailbox);
  return std::string(local) + "+" + Token(case_id) + "@" + std::string(domain);
}

std::string ThreadTokenSigner::MessageId(int64_t case_id, std::string_view unique,
                                         std::string_view domain) const {
  return std::string(kMessageIdMarker) + Token(case_id) + "." + std::string(unique) + "@" +
         std::string(domain);
}

TokenCheck ThreadTokenSigner::Verify(std::string_view raw) const {
  TokenCheck check;
  check.token = AsciiLower(TrimAsciiSpace(raw));
  if (check.token.empty()) return check;  // absent
  check.status = TokenStatus::kAltered;
  check.problem = TokenProblem::kMalformed;
  std::string_view token = check.token;
  size_t dash = token.find('-');
  if (token.front() != 'c' || dash == std::string_view::npos) return check;
  check.case_id = ParseCaseId(token.substr(1, dash - 1));
  std::string_view mac = token.substr(dash + 1);
  if (!check.case_id || mac.size() != kMacChars ||
      mac.find_first_not_of(kBase32) != std::string_view::npos) {
    return check;
  }
  std::string expected = Mac(*check.case_id);
  if (sodium_memcmp(expected.data(), mac.data(), kMacChars) != 0) {
    check.problem = TokenProblem::kSignatureMismatch;
    return check;
  }
  check.status = TokenStatus::kValid;
  check.problem = TokenProblem::kNone;
  return check;
}

TokenCheck ThreadTokenSigner::CheckPlusAddress(
    std::string_view address, const std::vector<std::string>& own_addresses) const {
  auto [local, domain] = SplitAddress(TrimAsciiSpace(address));
  size_t plus = local.find('+');
  std::string base = std::string(local.substr(0, plus)) + "@" + std::string(domain);
  bool ours = false;
  for (const std::string& own : own_addresses) ours = ours || EqualsCaseless(own, base);
  if (!ours || plus == std::string_view::npos) return TokenCheck{};
  std::string_view token = local.substr(plus + 1);
  if (token.empty()) {
    // "support+@acme.example": the token was cut away but the '+' is still there.
    TokenCheck check;
    check.status = TokenStatus::kAltered;
    check.problem = TokenProblem::kMalformed;
    return check;
  }
  return Verify(token);
}

TokenCheck ThreadTokenSigner::CheckMessageId(std::string_view message_id,
                                             const std::vector<std::string>& own_domains) const {
  auto [local, domain] = SplitAddress(TrimAsciiSpace(message_id));
  if (local.size() < kMessageIdMarker.size() ||
      AsciiLower(local.substr(0, kMessageIdMarker.size())) != kMessageIdMarker) {
    return TokenCheck{};
  }
  bool ours = own_domains.empty();
  for (const std::string& own : own_domains) ours = ours || EqualsCaseless(own, domain);
  if (!ours) return TokenCheck{};
  std::string_view rest = local.substr(kMessageIdMarker.size());
  return Verify(rest.substr(0, rest.find('.')));
}

std::string SubjectTag(int64_t case_id) { return "[Redress #" + std::to_string(case_id) + "]"; }

std::optional<int64_t> FindSubjectTag(std::string_view subject) {
  std::string lower = AsciiLower(subject);
  size_t pos = 0;
  while ((pos = lower.find("[redress", pos)) != std::string::npos) {
    size_t i = pos + 8;
    while (i < lower.size() && lower[i] == ' ') ++i;
    if (i < lower.size() && lower[i] == '#') {
      ++i;
      size_t start = i;
      while (i < lower.size() && IsAsciiDigit(lower[i])) ++i;
      if (i < lower.size() && lower[i] == ']') {
        if (auto id = ParseCaseId(std::string_view(lower).substr(start, i - start))) return id;
      }
    }
    pos += 8;
  }
  return std::nullopt;
}

}  // namespace redress::email
