// The write path of a case, in one place: load the projection, let the domain decide the
// events, seal them onto the hash chain, let the reactors respond (more events, sealed the
// same way), then append all of them and the final projection in one store call, in the
// same transaction. One append per command, however many events the reactors add: a
// deadline's breach and the escalation it causes rewrite the case's row once, not twice. Every
// channel (HTTP, mail; chat and phone later), the scheduler and the CLI go through CaseService, so
// a message is a case event the same way whatever door it came in by, and escalation triggers, SLA
// timers and the outbound mail queue see every event whoever appended it.
//
// The methods run inside a store transaction (they take a WriteTx&) so a caller can
// combine them with other work in the same commit, e.g. the HTTP layer stores the
// idempotent response of a POST in the transaction that made the case, and a job handler
// completes its job in the transaction that recorded the breach.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/case_commands.h"
#include "domain/case_state.h"
#include "domain/event.h"
#include "domain/principal.h"
#include "store/store.h"

namespace redress::app {

/// What a command did: the case after it and the events it appended (with those its
/// reactors appended in response, in order).
struct CaseChange {
  domain::CaseState state;
  std::vector<domain::Event> events;
  /// The case's due times after the change, when a reactor set them in BeforeAppend:
  /// written with the projection row (store::WriteTx::AppendEvents).
  std::optional<store::CaseDue> due;
};

/// A change decided but not stored yet (CaseService::Prepare): the case as it was read,
/// and the events and projection to append on top of it (CaseService::Record).
struct PreparedChange {
  std::optional<domain::CaseState> before;  // nullopt: a new case
  CaseChange change;
};

/// Decides the events for a command given the case's current state.
using Decision = std::function<Result<std::vector<domain::EventDraft>>(const domain::CaseState&)>;

/// Responds to appended events inside the same write. An error rolls the whole write back
/// (the command fails), so a reaction is never half recorded.
class CaseReactor {
 public:
  virtual ~CaseReactor() = default;

  /// Sees `change.events[first_new..]`, the events not yet shown to this reactor. May
  /// add more events to the case with CaseService::Append (an escalation); those are
  /// shown to every reactor in the next round. The events are not in the store yet (they
  /// are appended together when every reactor is done), so a reactor decides from
  /// `change`, never by reading the case back.
  ///
  /// It may run on a thread other than the writer's (engine/aside_decide_tx.h), one case at
  /// a time but alongside the writer storing other cases, so it keeps no state of its own
  /// and touches the store only through `tx`.
  virtual Result<void> OnEvents(store::DecideTx& tx, CaseChange& change, size_t first_new,
                                Timestamp now) {
    (void)tx, (void)change, (void)first_new, (void)now;
    return {};
  }

  /// Runs once when no reactor appended anything more, before the events and projection
  /// are stored: `change.state` is final. For what is written with the projection row
  /// (the case's due times, `change.due`); not for appending. Runs where OnEvents runs.
  virtual Result<void> BeforeAppend(store::DecideTx& tx, CaseChange& change, Timestamp now) {
    (void)tx, (void)change, (void)now;
    return {};
  }

  /// Runs once when no reactor appended anything more and the events and projection are
  /// in the store: the case's final state of this write. For work derived from the state
  /// (SLA timers, mail to queue), not for appending. Always on the writer's thread.
  virtual Result<void> OnSettled(store::WriteTx& tx, const CaseChange& change, Timestamp now) {
    (void)tx, (void)change, (void)now;
    return {};
  }
};

class CaseService {
 public:
  explicit CaseService(store::Store& reads) : reads_(reads) {}
  CaseService(const CaseService&) = delete;
  CaseService& operator=(const CaseService&) = delete;

  /// Adds a reactor, run in the order added. Only while wiring, before the first write.
  void AddReactor(CaseReactor& reactor) { reactors_.push_back(&reactor); }

  /// Opens a case for `input.customer_id`. The customer must exist (kInvalidArgument
  /// naming customer_id otherwise, since the caller chose the id).
  Result<CaseChange> Open(store::WriteTx& tx, const domain::Principal& actor,
                          const domain::OpenCaseInput& input, Timestamp now) const;

  /// Runs `decide` against case `case_id` and appends what it returns. A case the actor
  /// may not read is kNotFound, exactly like a case that does not exist.
  Result<CaseChange> Apply(store::WriteTx& tx, const domain::Principal& actor, int64_t case_id,
                           const Decision& decide, Timestamp now) const;
  /// The same for a case the caller already loaded in `tx` (WriteTx::LoadCaseForUpdate), so
  /// a job that inspects the case first does not read it twice.
  Result<CaseChange> Apply(store::WriteTx& tx, const domain::Principal& actor,
                           domain::CaseState current, const Decision& decide, Timestamp now) const;

  /// Apply in two halves, for a caller that decides away from the writer's thread
  /// (engine/aside_decide_tx.h): Prepare decides and seals the events and runs the
  /// reactors' decisions (OnEvents, BeforeAppend) against `tx`; Record appends them and
  /// lets the reactors settle (OnSettled) in the write. Apply is Prepare then Record.
  Result<PreparedChange> Prepare(store::DecideTx& tx, const domain::Principal& actor,
                                 domain::CaseState current, const Decision& decide,
                                 Timestamp now) const;
  Result<CaseChange> Record(store::WriteTx& tx, PreparedChange prepared, Timestamp now) const;

  /// Assignment needs the new owner's user record (name, active); this resolves it and
  /// applies domain::Assign. Unknown or inactive owner is kInvalidArgument on "owner_id".
  Result<CaseChange> Assign(store::WriteTx& tx, const domain::Principal& actor, int64_t case_id,
                            int64_t owner_id, const std::string& reason,
                            const std::string& handoff_note, Timestamp now) const;

  /// Blocking convenience for the CLI and the demo loader: one command, one transaction.
  Result<CaseChange> OpenNow(store::Store& store, const domain::Principal& actor,
                             const domain::OpenCaseInput& input, Timestamp now) const;
  Result<CaseChange> ApplyNow(store::Store& store, const domain::Principal& actor, int64_t case_id,
                              const Decision& decide, Timestamp now) const;

  /// For reactors: seals `drafts` onto the head of `change.state` and extends `change`
  /// with them; they are stored with the command's own events.
  static Result<void> Append(CaseChange& change, std::vector<domain::EventDraft> drafts);

 private:
  /// Runs the reactors' decisions over `change` until they add nothing, then BeforeAppend.
  Result<void> React(store::DecideTx& tx, CaseChange& change, Timestamp now) const;

  store::Store& reads_;
  std::vector<CaseReactor*> reactors_;
};

}  // namespace redress::app
