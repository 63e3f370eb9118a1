#include "app/mail_intake.h"

#include <condition_variable>
#include <mutex>

#include <boost/json.hpp>

#include "app/mail_thread_lookup.h"
#include "channels/email/subject.h"
#include "channels/email/threading.h"
#include "core/ascii.h"
#include "core/sha256.h"
#include "core/utf8.h"
#include "domain/case_commands.h"
#include "domain/customer.h"

namespace redress::app {
namespace {

using domain::EventDraft;
using domain::EventType;

// Cuts UTF-8 text to at most `max` bytes on a character boundary.
std::string CutUtf8(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

// The text the case shows: the message's text, never empty, within the domain's limit.
std::string BodyOf(const email::ParsedMessage& m) {
  std::string body = m.text_body;
  if (TrimAsciiSpace(body).empty()) {
    body = m.attachments.empty() ? "(this email has no text)"
                                 : "(this email has no text, only attachments)";
  }
  constexpr std::string_view kCut = "\n\n[the rest of this email is in the stored original]";
  if (body.size() > domain::kMaxBodyBytes) {
    body = CutUtf8(body, domain::kMaxBodyBytes - kCut.size()) + std::string(kCut);
  }
  return body;
}

// A subject the domain accepts: control characters become spaces, at most 300 characters.
std::string SubjectOf(const email::ParsedMessage& m) {
  std::string s;
  for (char c : m.subject) s += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  std::string trimmed(TrimAsciiSpace(s));
  if (trimmed.empty()) return "(no subject)";
  // 300 characters fit in 1200 bytes; cut by characters below that.
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < trimmed.size() && chars < domain::kMaxSubjectChars; ++chars) {
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(trimmed[i]);
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    out.append(trimmed, i, len);
    i += len;
  }
  return std::string(TrimAsciiSpace(out));
}

boost::json::array Addresses(const std::vector<email::Mailbox>& list) {
  boost::json::array out;
  for (const email::Mailbox& m : list) out.emplace_back(m.address);
  return out;
}

// The sender: the first From address that is a valid email, else Reply-To's.
std::optional<std::pair<std::string, std::string>> SenderOf(const email::ParsedMessage& m) {
  for (const auto* list : {&m.from, &m.reply_to}) {
    for (const email::Mailbox& box : *list) {
      auto normalized = domain::NormalizeEmail(box.address);
      if (normalized) return std::pair(*normalized, box.name);
    }
  }
  return std::nullopt;
}

std::string NameFor(const std::string& display, const std::string& address) {
  std::string name(TrimAsciiSpace(display));
  for (char& c : name) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (name.empty() || !ValidUtf8(name)) name = address.substr(0, address.find('@'));
  return CutUtf8(name, 200);
}

bool IsOwn(const std::vector<std::string>& own, const std::string& address) {
  for (const std::string& o : own) {
    if (o == address) return true;
    // Our plus addresses ("support+c12-...@") are ours too.
    size_t at = o.find('@');
    if (at != std::string::npos && address.size() > o.size() &&
        address.compare(0, at, o, 0, at) == 0 && address[at] == '+' &&
        address.ends_with(o.substr(at))) {
      return true;
    }
  }
  return false;
}

}  // namespace

const char* IntakeOutcomeName(IntakeOutcome outcome) {
  switch (outcome) {
    case IntakeOutcome::kOpened: return "opened";
    case IntakeOutcome::kAppended: return "appended";
    case IntakeOutcome::kDuplicate: return "duplicate";
    case IntakeOutcome::kDeliveryReport: return "delivery_report";
    case IntakeOutcome::kUnattached: return "unattached";
    case IntakeOutcome::kTooLarge: return "too_large";
    case IntakeOutcome::kNotAMessage: return "not_a_message";
  }
  return "unattached";
}

MailIntakeOptions MailIntakeOptionsFrom(const MailConfig& mail) {
  return MailIntakeOptions{mail.addresses, mail.max_message_bytes, mail.max_attachment_bytes};
}

MailIntake::MailIntake(const CaseService& cases, const email::ThreadTokenSigner& signer,
                       MailIntakeOptions options)
    : cases_(cases), signer_(signer), options_(std::move(options)) {}

PreparedMail MailIntake::Prepare(std::string raw) const {
  PreparedMail mail;
  mail.sha256 = Sha256Hex(raw);
  const int64_t limit = options_.max_message_bytes;
  const bool over_limit = static_cast<int64_t>(raw.size()) > limit;
  // Over the limit, read what fits: the headers and, in the usual layout, the customer's text.
  const std::string_view readable =
      over_limit ? std::string_view(raw).substr(0, static_cast<size_t>(limit)) : raw;
  auto parsed = email::ParseMessage(readable);
  const std::string size_note = "the message is " + std::to_string(raw.size()) +
                                " bytes, over the limit of " + std::to_string(limit) +
                                " bytes ([mail] max_message_bytes)";
  if (!parsed && over_limit) {
    mail.refusal = PreparedMail::Refusal::kTooLarge;
    mail.refusal_detail = size_note + ", and its first " + std::to_string(limit) +
                          " bytes are not a message; it is stored as received but not filed "
                          "into a case";
  } else if (!parsed) {
    mail.refusal = PreparedMail::Refusal::kNotAMessage;
    mail.refusal_detail = "not an email message: " + parsed.error().message;
  } else {
    if (over_limit) {
      mail.truncation_note = size_note + ": only its first " + std::to_string(limit) +
                             " bytes were read, its attachments are kept only inside the "
                             "stored original, which is complete";
    }
    mail.classification = email::ClassifyMail(*parsed);
    mail.parsed = std::move(*parsed);
  }
  mail.raw = std::move(raw);
  return mail;
}

Result<IntakeResult> MailIntake::Ingest(store::WriteTx& tx, const PreparedMail& mail,
                                        const MailSource& source, Timestamp now) const {
  store::MailTx& db = tx.mail();
  IntakeResult result;
  result.raw_sha256 = mail.sha256;
  if (auto put = db.PutBlob(mail.sha256, mail.raw, now); !put) return Fail(put.error());
  auto existing = db.FindInboundByRaw(mail.sha256);
  if (!existing) return Fail(existing.error());
  if (*existing) {
    result.outcome = IntakeOutcome::kDuplicate;
    result.case_id = (*existing)->case_id;
    result.mail_kind = (*existing)->kind;
    result.detail = "already stored (" + (*existing)->status + ")";
    return result;
  }

  store::MailMessageRecord row;
  row.raw_sha256 = mail.sha256;
  row.size = static_cast<int64_t>(mail.raw.size());
  row.source = source.name;
  row.received_at = now;
  if (mail.refusal != PreparedMail::Refusal::kNone) {
    row.status = mail.refusal == PreparedMail::Refusal::kTooLarge ? "too_large" : "not_a_message";
    row.error = mail.refusal_detail;
    if (auto inserted = db.InsertMailMessage(row); !inserted) return Fail(inserted.error());
    result.outcome = mail.refusal == PreparedMail::Refusal::kTooLarge ? IntakeOutcome::kTooLarge
                                                                       : IntakeOutcome::kNotAMessage;
    result.detail = mail.refusal_detail;
    return result;
  }

  const email::ParsedMessage& m = *mail.parsed;
  const email::Classification& kind = mail.classification;
  row.message_id = m.message_id;
  row.subject_key = email::NormalizeSubject(m.subject);
  row.kind = email::MailKindName(kind.kind);
  result.mail_kind = row.kind;
  auto sender = SenderOf(m);
  if (sender) row.sender = sender->first;

  // Indexes the message for later threading and stores its attachments.
  auto file_message = [&](int64_t case_id, const std::string& status) -> Result<void> {
    row.case_id = case_id;
    row.status = status;
    if (auto inserted = db.InsertMailMessage(row); !inserted) return Fail(inserted.error());
    if (!m.message_id.empty()) {
      if (auto added = db.AddThreadId(case_id, m.message_id, true); !added) return added;
    }
    for (const auto* ids : {&m.in_reply_to, &m.references}) {
      for (const std::string& id : *ids) {
        if (auto added = db.AddThreadId(case_id, id, false); !added) return added;
      }
    }
    for (const auto* list : {&m.from, &m.to, &m.cc}) {
      for (const email::Mailbox& box : *list) {
        auto address = domain::NormalizeEmail(box.address);
        if (!address || IsOwn(options_.own_addresses, *address)) continue;
        if (auto added = db.AddParticipant(case_id, *address); !added) return added;
      }
    }
    int position = 0;
    for (const email::Attachment& a : m.attachments) {
      if (mail.truncated() ||
          static_cast<int64_t>(a.bytes.size()) > options_.max_attachment_bytes) {
        ++position;  // kept inside the raw message only; the event says so
        continue;
      }
      if (auto put = db.PutBlob(a.sha256_hex, a.bytes, now); !put) return Fail(put.error());
      store::MailAttachmentRecord record{row.id,         position++,     a.sha256_hex,
                                         a.filename,     a.content_type, a.content_id,
                                         a.inline_part,  static_cast<int64_t>(a.bytes.size())};
      if (auto added = db.InsertMailAttachment(record); !added) return added;
    }
    return {};
  };

  // ---- bounces: a delivery event on the case of the message that bounced
  if (kind.kind == email::MailKind::kBounce) {
    std::optional<int64_t> case_id;
    std::vector<std::string> candidates;
    if (kind.delivery_report && !kind.delivery_report->original_message_id.empty()) {
      candidates.push_back(kind.delivery_report->original_message_id);
    }
    for (const email::ParsedMessage& nested : m.nested) candidates.push_back(nested.message_id);
    for (const std::string& id : m.in_reply_to) candidates.push_back(id);
    for (const std::string& id : m.references) candidates.push_back(id);
    for (const std::string& id : candidates) {
      if (id.empty()) continue;
      auto found = db.CaseByMessageId(id);
      if (!found) return Fail(found.error());
      if (*found) {
        case_id = *found;
        break;
      }
    }
    if (!case_id) {
      row.status = "unattached";
      row.error = "a delivery report for no message of ours";
      if (auto inserted = db.InsertMailMessage(row); !inserted) return Fail(inserted.error());
      result.outcome = IntakeOutcome::kUnattached;
      result.detail = row.error;
      return result;
    }
    boost::json::array recipients;
    std::string detail;
    if (kind.delivery_report) {
      for (const email::RecipientStatus& r : kind.delivery_report->recipients) {
        recipients.emplace_back(boost::json::object{{"recipient", r.recipient},
                                                    {"action", r.action},
                                                    {"status", r.status},
                                                    {"diagnostic", r.diagnostic}});
        if (detail.empty()) detail = r.diagnostic.empty() ? r.status : r.diagnostic;
      }
    }
    EventDraft delivery{EventType::kDelivery,
                        now,
                        domain::Actor{domain::ActorKind::kSystem, 0, "Redress"},
                        domain::Channel::kEmail,
                        domain::Visibility::kPublic,
                        {{"status", "bounced"},
                         {"message_id", kind.delivery_report
                                            ? kind.delivery_report->original_message_id
                                            : std::string()},
                         {"recipients", std::move(recipients)},
                         {"detail", CutUtf8(detail, 2000)},
                         {"report_message_id", m.message_id},
                         {"raw_sha256", mail.sha256}}};
    auto applied = cases_.Apply(
        tx, domain::Principal::System(), *case_id,
        [&](const domain::CaseState&) -> Result<std::vector<EventDraft>> {
          return std::vector<EventDraft>{delivery};
        },
        now);
    if (!applied) return Fail(applied.error());
    if (auto filed = file_message(*case_id, "delivery_report"); !filed) return Fail(filed.error());
    result.outcome = IntakeOutcome::kDeliveryReport;
    result.case_id = case_id;
    return result;
  }

  // ---- threading
  email::ThreadingConfig threading{&signer_, options_.own_addresses};
  StoreThreadLookup lookup(db);
  email::ThreadDecision decision = email::MatchThread(m, threading, lookup);
  if (lookup.error()) return Fail(*lookup.error());
  result.match_rule = email::MatchRuleName(decision.rule);

  if (decision.rule == email::MatchRule::kSameMessage && decision.case_id) {
    // The same mail reached us twice (two of our mailboxes, or CC'd to both): one case,
    // one event; the second copy is kept as evidence.
    if (auto filed = file_message(*decision.case_id, "duplicate"); !filed) {
      return Fail(filed.error());
    }
    result.outcome = IntakeOutcome::kDuplicate;
    result.case_id = decision.case_id;
    result.detail = "the same Message-ID was already filed";
    return result;
  }

  if (!sender) {
    row.status = "unattached";
    row.error = "the message has no usable sender address";
    if (auto inserted = db.InsertMailMessage(row); !inserted) return Fail(inserted.error());
    result.outcome = IntakeOutcome::kUnattached;
    result.detail = row.error;
    return result;
  }

  const bool truncated = mail.truncated();
  boost::json::array attachments;
  for (const email::Attachment& a : m.attachments) {
    bool kept = !truncated && static_cast<int64_t>(a.bytes.size()) <= options_.max_attachment_bytes;
    boost::json::object entry{{"filename", a.filename},
                              {"content_type", a.content_type},
                              {"size", static_cast<int64_t>(a.bytes.size())},
                              {"sha256", a.sha256_hex},
                              {"stored", kept}};
    if (truncated) {
      // Size and hash are of the part as far as it was read, which may be all of it.
      entry["note"] = "the email was over [mail] max_message_bytes: this attachment was read "
                      "only as far as the limit and is kept only inside the stored original";
    } else if (!kept) {
      entry["note"] = "larger than [mail] max_attachment_bytes (" +
                      std::to_string(options_.max_attachment_bytes) +
                      " bytes): kept only inside the stored original message";
    }
    attachments.emplace_back(std::move(entry));
  }
  const bool counts = kind.CountsAsContact();
  boost::json::object mail_data{{"message_id", m.message_id},
                                {"from", sender->first},
                                {"to", Addresses(m.to)},
                                {"cc", Addresses(m.cc)},
                                {"email_subject", CutUtf8(m.subject, 2000)},
                                {"mail_kind", row.kind},
                                {"auto_respond", kind.MayAutoRespond()},
                                {"counts_as_contact", counts},
                                {"raw_sha256", mail.sha256},
                                {"match_rule", result.match_rule},
                                {"attachments", std::move(attachments)}};
  std::string body = BodyOf(m);
  if (truncated) {
    mail_data["truncated"] = boost::json::object{{"size", static_cast<int64_t>(mail.raw.size())},
                                                 {"read_bytes", options_.max_message_bytes},
                                                 {"note", mail.truncation_note}};
    result.detail = mail.truncation_note;
    const std::string note = "\n\n[" + mail.truncation_note + "]";
    if (body.size() + note.size() <= domain::kMaxBodyBytes) body += note;
  }

  std::optional<CaseChange> change;
  if (decision.case_id) {
    auto applied = cases_.Apply(
        tx, domain::Principal::System(), *decision.case_id,
        [&](const domain::CaseState& state) -> Result<std::vector<EventDraft>> {
          domain::Principal customer{domain::Role::kCustomer, state.customer_id, "", 0};
          auto drafts = domain::AddMessage(state, customer, body, domain::Channel::kEmail, now);
          if (!drafts) return drafts;
          // Machine mail reopens nothing: keep only the message itself.
          if (!counts) drafts->resize(1);
          for (const auto& [key, value] : mail_data) drafts->front().data[key] = value;
          drafts->front().actor.name = NameFor(sender->second, sender->first);
          return drafts;
        },
        now);
    if (applied) {
      change = std::move(*applied);
    } else if (applied.error().code != ErrorCode::kConflict) {
      return Fail(applied.error());
    } else {
      // The case is closed: the mail starts a new case that names the old one.
      mail_data["follows_case"] = *decision.case_id;
    }
  }
  bool opened = false;
  if (!change) {
    auto customer = db.CustomerByEmail(sender->first);
    if (!customer) return Fail(customer.error());
    int64_t customer_id = 0;
    std::string customer_name;
    if (*customer) {
      customer_id = (*customer)->first;
      customer_name = (*customer)->second;
    } else {
      domain::Customer created;
      created.name = NameFor(sender->second, sender->first);
      created.identities.push_back(domain::Identity{domain::IdentityKind::kEmail, sender->first, false});
      created.created_at = now;
      if (auto inserted = tx.InsertCustomer(created); !inserted) return Fail(inserted.error());
      customer_id = created.id;
      customer_name = created.name;
    }
    domain::OpenCaseInput input;
    input.customer_id = customer_id;
    input.subject = SubjectOf(m);
    input.body = body;
    input.channel = domain::Channel::kEmail;
    input.category = source.category;
    input.channel_data = mail_data;
    domain::Principal actor{domain::Role::kCustomer, customer_id, customer_name, 0};
    auto opened_case = cases_.Open(tx, actor, input, now);
    if (!opened_case) return Fail(opened_case.error());
    change = std::move(*opened_case);
    opened = true;
  }
  const int64_t case_id = change->state.id;

  if (!decision.mismatches.empty()) {
    std::vector<EventDraft> drafts;
    for (const email::TokenMismatch& mismatch : decision.mismatches) {
      boost::json::object data{{"kind", email::MismatchKindName(mismatch.kind)},
                               {"location", mismatch.location},
                               {"found", CutUtf8(mismatch.found, 500)},
                               {"message_id", m.message_id},
                               {"match_rule", result.match_rule}};
      data["claimed_case"] = mismatch.claimed_case ? boost::json::value(*mismatch.claimed_case)
                                                   : boost::json::value(nullptr);
      drafts.push_back(EventDraft{EventType::kThreadTokenMismatch, now,
                                  domain::Actor{domain::ActorKind::kSystem, 0, "Redress"},
                                  domain::Channel::kEmail, domain::Visibility::kInternal,
                                  std::move(data)});
      result.mismatches.emplace_back(email::MismatchKindName(mismatch.kind));
    }
    auto recorded = cases_.Apply(
        tx, domain::Principal::System(), case_id,
        [&](const domain::CaseState&) -> Result<std::vector<EventDraft>> { return drafts; }, now);
    if (!recorded) return Fail(recorded.error());
  }
  if (auto filed = file_message(case_id, "stored"); !filed) return Fail(filed.error());
  result.outcome = opened ? IntakeOutcome::kOpened : IntakeOutcome::kAppended;
  result.case_id = case_id;
  return result;
}

Result<IntakeResult> MailIntake::IngestNow(store::Store& store, std::string raw,
                                           const MailSource& source, Timestamp now) const {
  PreparedMail mail = Prepare(std::move(raw));
  std::optional<IntakeResult> result;
  auto written = store.Write([&](store::WriteTx& tx) -> Result<void> {
    auto ingested = Ingest(tx, mail, source, now);
    if (!ingested) return Fail(ingested.error());
    result = std::move(*ingested);
    return {};
  });
  if (!written) return Fail(written.error());
  return std::move(*result);
}

std::vector<Result<IntakeResult>> MailIntake::IngestBatch(store::Store& store,
                                                          const std::vector<PreparedMail>& mails,
                                                          const MailSource& source,
                                                          Timestamp now) const {
  std::vector<std::optional<IntakeResult>> filed(mails.size());
  std::vector<std::optional<Result<void>>> committed(mails.size());
  std::mutex mutex;
  std::condition_variable all_done;
  size_t pending = mails.size();
  for (size_t i = 0; i < mails.size(); ++i) {
    store.SubmitWrite(
        [&, i](store::WriteTx& tx) -> Result<void> {
          filed[i].reset();  // a retried write must not keep an earlier attempt's answer
          auto ingested = Ingest(tx, mails[i], source, now);
          if (!ingested) return Fail(ingested.error());
          filed[i] = std::move(*ingested);
          return {};
        },
        [&, i](Result<void> done) {
          std::lock_guard lock(mutex);
          committed[i] = std::move(done);
          if (--pending == 0) all_done.notify_one();
        });
  }
  std::unique_lock lock(mutex);
  all_done.wait(lock, [&] { return pending == 0; });
  std::vector<Result<IntakeResult>> results;
  results.reserve(mails.size());
  for (size_t i = 0; i < mails.size(); ++i) {
    if (!*committed[i]) {
      results.push_back(Fail(committed[i]->error()));
    } else {
      results.push_back(std::move(*filed[i]));
    }
  }
  return results;
}

}  // namespace redress::app
