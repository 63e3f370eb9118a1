#include "channels/email/threading.h"

#include "channels/email/subject.h"
#include "core/ascii.h"
#include "domain/customer.h"

namespace redress::email {
namespace {

std::string NormalizedAddress(std::string_view address) {
  Result<std::string> normalized = domain::NormalizeEmail(address);
  return normalized ? *normalized : AsciiLower(TrimAsciiSpace(address));
}

std::vector<std::string> OwnDomains(const std::vector<std::string>& own_addresses) {
  std::vector<std::string> domains;
  for (const std::string& address : own_addresses) {
    size_t at = address.rfind('@');
    if (at != std::string::npos) domains.push_back(AsciiLower(address.substr(at + 1)));
  }
  return domains;
}

// One place a token can be, checked.
struct Found {
  std::string location;
  std::string text;
  TokenCheck check;
};

MismatchKind KindOf(TokenProblem problem) {
  return problem == TokenProblem::kSignatureMismatch ? MismatchKind::kSignatureMismatch
                                                     : MismatchKind::kMalformed;
}

class Matcher {
 public:
  Matcher(const ParsedMessage& message, const ThreadingConfig& config, const ThreadLookup& lookup)
      : m_(message), config_(config), lookup_(lookup), domains_(OwnDomains(config.own_addresses)) {}

  ThreadDecision Run();

 private:
  void CollectTokens();
  void Attach(int64_t case_id, MatchRule rule) {
    decision_.case_id = case_id;
    decision_.rule = rule;
  }
  bool AddressedToOwnMailboxWithoutPlus() const;

  const ParsedMessage& m_;
  const ThreadingConfig& config_;
  const ThreadLookup& lookup_;
  std::vector<std::string> domains_;
  std::vector<Found> plus_tokens_;  // in recipient order: to, cc, delivered-to
  std::vector<Found> id_tokens_;    // in-reply-to, then references newest first
  ThreadDecision decision_;
};

void Matcher::CollectTokens() {
  const ThreadTokenSigner& signer = *config_.signer;
  auto plus = [&](const std::vector<Mailbox>& list, const char* location) {
    for (const Mailbox& mailbox : list) {
      TokenCheck check = signer.CheckPlusAddress(mailbox.address, config_.own_addresses);
      if (check.status != TokenStatus::kAbsent) {
        plus_tokens_.push_back(Found{location, AsciiLower(mailbox.address), std::move(check)});
      }
    }
  };
  plus(m_.to, "to");
  plus(m_.cc, "cc");
  plus(m_.delivered_to, "delivered-to");
  auto ids = [&](const std::string& id, const char* location) {
    TokenCheck check = signer.CheckMessageId(id, domains_);
    if (check.status != TokenStatus::kAbsent) id_tokens_.push_back(Found{location, id, check});
  };
  for (const std::string& id : m_.in_reply_to) ids(id, "in-reply-to");
  for (auto it = m_.references.rbegin(); it != m_.references.rend(); ++it) ids(*it, "references");
}

bool Matcher::AddressedToOwnMailboxWithoutPlus() const {
  for (const auto* list : {&m_.to, &m_.cc}) {
    for (const Mailbox& mailbox : *list) {
      std::string address = AsciiLower(mailbox.address);
      for (const std::string& own : config_.own_addresses) {
        if (AsciiLower(own) == address) return true;
      }
    }
  }
  return false;
}

ThreadDecision Matcher::Run() {
  if (!m_.from.empty()) decision_.sender = NormalizedAddress(m_.from.front().address);
  decision_.normalized_subject = NormalizeSubject(m_.subject);

  // 1. The same message, delivered again (two mailboxes, CC'd twice, a retried delivery).
  if (!m_.message_id.empty()) {
    if (auto case_id = lookup_.CaseByInboundMessageId(m_.message_id)) {
      Attach(*case_id, MatchRule::kSameMessage);
      return decision_;
    }
  }

  // 2. Signed tokens. The In-Reply-To id is the most specific, then the recipients the
  // customer's client chose (our Reply-To), then older references.
  CollectTokens();
  std::vector<const Found*> valid;
  auto consider = [&](const std::vector<Found>& found) {
    for (const Found& f : found) {
      if (f.check.status == TokenStatus::kValid) {
        valid.push_back(&f);
      } else {
        decision_.mismatches.push_back(
            TokenMismatch{KindOf(f.check.problem), f.location, f.text, f.check.case_id});
      }
    }
  };
  std::vector<Found> in_reply_to;
  std::vector<Found> references;
  for (const Found& f : id_tokens_)
    (f.location == "in-reply-to" ? in_reply_to : references).push_back(f);
  consider(in_reply_to);
  consider(plus_tokens_);
  consider(references);

  std::optional<int64_t> tag = FindSubjectTag(m_.subject);
  if (!valid.empty()) {
    int64_t chosen = *valid.front()->check.case_id;
    Attach(chosen, MatchRule::kToken);
    for (const Found* f : valid) {
      if (*f->check.case_id != chosen) {
        decision_.mismatches.push_back(
            TokenMismatch{MismatchKind::kOtherCase, f->location, f->text, f->check.case_id});
      }
    }
    if (tag && *tag != chosen) {
      decision_.mismatches.push_back(
          TokenMismatch{MismatchKind::kOtherCase, "subject", SubjectTag(*tag), tag});
    }
    // Our mail always carries a plus Reply-To. With no plus token at all, the valid token
    // came from our Message-ID: a reply to our mail that reached a bare mailbox, so the
    // Reply-To token was removed on the way.
    if (plus_tokens_.empty() && AddressedToOwnMailboxWithoutPlus()) {
      decision_.mismatches.push_back(TokenMismatch{MismatchKind::kRemoved, "to", "", chosen});
    }
    return decision_;
  }

  // 3. The subject tag, trusted only from the case's participants.
  if (tag) {
    if (!decision_.sender.empty() && lookup_.IsParticipant(*tag, decision_.sender)) {
      Attach(*tag, MatchRule::kSubjectTag);
    } else {
      decision_.mismatches.push_back(
          TokenMismatch{MismatchKind::kUntrustedTag, "subject", SubjectTag(*tag), tag});
    }
  }

  // 4. Any known message in In-Reply-To/References, newest first; then our own id, in case
  // a reply to this message arrived before it.
  if (!decision_.case_id) {
    std::vector<const std::string*> ids;
    for (const std::string& id : m_.in_reply_to) ids.push_back(&id);
    for (auto it = m_.references.rbegin(); it != m_.references.rend(); ++it) ids.push_back(&*it);
    if (!m_.message_id.empty()) ids.push_back(&m_.message_id);
    for (const std::string* id : ids) {
      if (auto case_id = lookup_.CaseByMessageId(*id)) {
        Attach(*case_id, MatchRule::kReferences);
        break;
      }
    }
  }

  // 5. The sender's open case about the same thing.
  if (!decision_.case_id && !decision_.sender.empty() && !decision_.normalized_subject.empty()) {
    std::vector<int64_t> open =
        lookup_.OpenCasesBySenderSubject(decision_.sender, decision_.normalized_subject);
    if (!open.empty()) Attach(open.front(), MatchRule::kSenderSubject);
  }

  // A reply that found its case without any token and without References: the thread
  // headers were stripped on the way (or by the client).
  bool has_thread_headers = !m_.in_reply_to.empty() || !m_.references.empty();
  if (decision_.case_id && decision_.rule != MatchRule::kReferences && !has_thread_headers &&
      plus_tokens_.empty() && HasReplyPrefix(m_.subject)) {
    decision_.mismatches.push_back(
        TokenMismatch{MismatchKind::kRemoved, "headers", "", decision_.case_id});
  }
  return decision_;
}

}  // namespace

const char* MatchRuleName(MatchRule rule) {
  switch (rule) {
    case MatchRule::kNewCase:
      return "new_case";
    case MatchRule::kSameMessage:
      return "same_message";
    case MatchRule::kToken:
      return "token";
    case MatchRule::kSubjectTag:
      return "subject_tag";
    case MatchRule::kReferences:
      return "references";
    case MatchRule::kSenderSubject:
      return "sender_subject";
  }
  return "new_case";
}

const char* MismatchKindName(MismatchKind kind) {
  switch (kind) {
    case MismatchKind::kSignatureMismatch:
      return "signature_mismatch";
    case MismatchKind::kMalformed:
      return "malformed";
    case MismatchKind::kRemoved:
      return "removed";
    case MismatchKind::kOtherCase:
      return "other_case";
    case MismatchKind::kUntrustedTag:
      return "untrusted_tag";
  }
  return "malformed";
}

ThreadDecision MatchThread(const ParsedMessage& message, const ThreadingConfig& config,
                           const ThreadLookup& lookup) {
  Matcher matcher(message, config, lookup);
  return matcher.Run();
}

}  // namespace redress::email
