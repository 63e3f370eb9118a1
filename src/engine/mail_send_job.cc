#include "engine/mail_send_job.h"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "app/log.h"
#include "app/outbound_mail_reactor.h"
#include "core/time_format.h"
#include "domain/principal.h"
#include "store/mail_tx.h"

namespace redress::engine {
namespace {

namespace transport = email::transport;

Result<int64_t> OutboxIdOf(const store::ClaimedJob& job) {
  boost::system::error_code ec;
  const boost::json::value payload = boost::json::parse(job.payload, ec);
  const boost::json::object* object = ec ? nullptr : payload.if_object();
  const boost::json::value* id = object ? object->if_contains("outbox_id") : nullptr;
  if (id == nullptr || !id->is_int64()) {
    return Fail(ErrorCode::kCorruption, std::string(app::kMailSendJobKind) + " job " + job.key +
                                            ": payload must be {\"outbox_id\": N}, got " +
                                            job.payload);
  }
  return id->as_int64();
}

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const std::string& v : values) out.emplace_back(v);
  return out;
}

boost::json::array Refused(const std::vector<transport::RecipientRejection>& rejected) {
  boost::json::array out;
  for (const auto& r : rejected) {
    out.emplace_back(boost::json::object{{"recipient", r.address},
                                         {"class", transport::FailureClassName(r.failure)},
                                         {"reply", r.reply.text}});
  }
  return out;
}

// The `delivery` event (domain/event.h) on the entry's case, through CaseService so the
// case's chain and reactors see it like any other event.
Result<void> RecordDelivery(store::WriteTx& tx, const app::CaseService& cases,
                            const store::OutboxEntry& entry, boost::json::object data,
                            Timestamp now) {
  if (entry.case_id == 0) {
    // Account mail (a sign-in link) belongs to no case: its outcome stays on the outbox row.
    app::Log(app::LogLevel::kInfo, "account mail delivery",
             {{"outbox_id", entry.id}, {"purpose", entry.purpose}, {"status", data["status"]}});
    return {};
  }
  data["outbox_id"] = entry.id;
  data["message_id"] = entry.message_id;
  data["purpose"] = entry.purpose;
  auto recorded = cases.Apply(
      tx, domain::Principal::System(), entry.case_id,
      [&](const domain::CaseState&) -> Result<std::vector<domain::EventDraft>> {
        domain::EventDraft draft;
        draft.type = domain::EventType::kDelivery;
        draft.at = now;
        draft.actor = domain::Actor{domain::ActorKind::kSystem, 0, "Redress"};
        draft.channel = domain::Channel::kEmail;
        draft.visibility = domain::Visibility::kPublic;
        draft.data = std::move(data);
        return std::vector<domain::EventDraft>{std::move(draft)};
      },
      now);
  if (!recorded) return Fail(recorded.error());
  return {};
}

// What to record once the server has answered (or not): runs inside the completing write.
JobHandler Outcome(const app::CaseService& cases, const MailSendOptions& options,
                   store::OutboxEntry entry, transport::SmtpOutcome sent, double jitter) {
  return [&cases, &options, entry = std::move(entry), sent = std::move(sent), jitter](
             store::WriteTx& tx, const store::ClaimedJob&, Timestamp now) -> Result<void> {
    store::MailTx& mail = tx.mail();
    const int attempts = entry.attempts + 1;
    if (sent) {
      if (auto updated = mail.UpdateOutbound(entry.id, store::OutboxStatus::kSent, attempts, "",
                                             now);
          !updated) {
        return updated;
      }
      boost::json::object data{{"status", "sent"},
                               {"recipients", Strings(sent->accepted)},
                               {"attempts", attempts},
                               {"detail", sent->reply.text}};
      if (!sent->rejected.empty()) data["refused"] = Refused(sent->rejected);
      return RecordDelivery(tx, cases, entry, std::move(data), now);
    }
    const transport::SmtpFailure& failure = sent.error();
    const transport::RetryDecision decision =
        transport::DecideRetry(options.retry, failure.failure, attempts, entry.created_at, now,
                               jitter);
    if (decision.give_up) {
      const std::string why = failure.failure == transport::FailureClass::kPermanent
                                  ? failure.message
                                  : decision.reason + ": " + failure.message;
      if (auto updated =
              mail.UpdateOutbound(entry.id, store::OutboxStatus::kFailed, attempts, why, now);
          !updated) {
        return updated;
      }
      boost::json::object data{{"status", "failed"},
                               {"recipients", Strings(entry.recipients)},
                               {"attempts", attempts},
                               {"failure", transport::FailureClassName(failure.failure)},
                               {"detail", why}};
      if (!failure.rejected.empty()) data["refused"] = Refused(failure.rejected);
      return RecordDelivery(tx, cases, entry, std::move(data), now);
    }
    if (auto updated = mail.UpdateOutbound(entry.id, store::OutboxStatus::kQueued, attempts,
                                           failure.message, now);
        !updated) {
      return updated;
    }
    auto retry = app::MailSendJob(entry.id, decision.next_attempt, attempts + 1);
    if (auto scheduled = tx.ScheduleJob(retry); !scheduled) return Fail(scheduled.error());
    return RecordDelivery(tx, cases, entry,
                          boost::json::object{{"status", "deferred"},
                                              {"recipients", Strings(entry.recipients)},
                                              {"attempts", attempts},
                                              {"retry_at", FormatTimestamp(decision.next_attempt)},
                                              {"detail", failure.message}},
                          now);
  };
}

}  // namespace

JobWork MailSendWork(store::Store& store, const app::CaseService& cases, MailSendOptions options) {
  if (!options.jitter_sample) {
    options.jitter_sample = [] {
      thread_local std::mt19937_64 random{std::random_device{}()};
      return std::uniform_real_distribution<double>(0.0, 1.0)(random);
    };
  }
  return [&store, &cases, options = std::move(options)](
             const store::ClaimedJob& job, Timestamp) -> Result<JobHandler> {
    auto id = OutboxIdOf(job);
    if (!id) return Fail(id.error());
    std::optional<store::OutboxEntry> entry;
    auto read = store.Write([&](store::WriteTx& tx) -> Result<void> {
      auto got = tx.mail().GetOutbound(*id);
      if (!got) return Fail(got.error());
      entry = std::move(*got);
      return {};
    });
    if (!read) return Fail(read.error());
    if (!entry || entry->status != store::OutboxStatus::kQueued) {
      // Sent or failed already (a job scheduled twice), or gone: nothing to do.
      app::Log(app::LogLevel::kInfo, "mail_send: outbox entry not queued; nothing sent",
               {{"key", job.key}});
      return JobHandler([](store::WriteTx&, const store::ClaimedJob&, Timestamp) {
        return Result<void>();
      });
    }
    auto sent = transport::SendMail(options.smtp,
                                    transport::SmtpEnvelope{entry->sender, entry->recipients},
                                    entry->bytes);
    if (sent) {
      app::Log(app::LogLevel::kInfo, "mail sent",
               {{"outbox_id", entry->id}, {"case_id", entry->case_id},
                {"purpose", entry->purpose}});
    } else {
      app::Log(app::LogLevel::kWarn, "mail not sent",
               {{"outbox_id", entry->id}, {"case_id", entry->case_id},
                {"class", transport::FailureClassName(sent.error().failure)},
                {"error", sent.error().message}});
    }
    const double jitter = options.jitter_sample();
    return Outcome(cases, options, std::move(*entry), std::move(sent), jitter);
  };
}

void RegisterMailSendJob(JobRunner& runner, store::Store& store, const app::CaseService& cases,
                         MailSendOptions options) {
  runner.RegisterWork(app::kMailSendJobKind, MailSendWork(store, cases, std::move(options)));
}

}  // namespace redress::engine
