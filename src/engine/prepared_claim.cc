#include "engine/prepared_claim.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "engine/aside_decide_tx.h"

namespace redress::engine {
namespace {

// One case as the deciding thread left it.
struct Decision {
  enum class Kind { kReady, kNeedsWriter, kFailed };
  Kind kind = Kind::kFailed;
  TimerWrite write;                          // kReady
  std::vector<CursorSave> saves;             // kReady: to replay before `write`
  std::optional<std::string> missing_level;  // kNeedsWriter: the cursor it lacked, if that was it
  Error error;                               // kFailed
};

// Decides due[begin..] in order on a thread of its own and publishes each decision as it is
// made; stops after the first that is not ready. Destroying it stops and joins the thread.
class Decider {
 public:
  Decider(const PreparedCaseTimerHandler& handler, std::vector<store::DueCase>& due, size_t begin,
          std::map<std::string, int64_t> cursors, Timestamp now)
      : handler_(handler),
        due_(due),
        next_(begin),
        decisions_(due.size()),
        thread_([this, begin, cursors = std::move(cursors), now]() mutable {
          Run(begin, std::move(cursors), now);
        }) {}

  ~Decider() {
    cancel_ = true;
    thread_.join();
  }

  Decider(const Decider&) = delete;
  Decider& operator=(const Decider&) = delete;

  /// Case i's decision, once made; nullptr if the thread stopped before it.
  Decision* Wait(size_t i) {
    std::unique_lock lock(mu_);
    published_.wait(lock, [&] { return next_ > i || finished_; });
    return next_ > i ? &decisions_[i] : nullptr;
  }

 private:
  void Run(size_t begin, std::map<std::string, int64_t> cursors, Timestamp now) {
    AsideDecideTx tx(std::move(cursors));
    for (size_t i = begin; i < due_.size() && !cancel_; ++i) {
      Decision decision;
      try {
        auto write = handler_(tx, due_[i], now);
        if (tx.refused()) {
          decision.kind = Decision::Kind::kNeedsWriter;
          decision.missing_level = tx.missing_level();
        } else if (!write) {
          decision.error = std::move(write.error());
        } else {
          decision.kind = Decision::Kind::kReady;
          decision.write = std::move(*write);
          decision.saves = tx.TakeSaves();
        }
      } catch (const std::exception& e) {
        decision.error = HandlerThrew(e);
      }
      const bool ready = decision.kind == Decision::Kind::kReady;
      {
        std::lock_guard lock(mu_);
        decisions_[i] = std::move(decision);
        next_ = i + 1;
      }
      published_.notify_one();
      if (!ready) break;
    }
    {
      std::lock_guard lock(mu_);
      finished_ = true;
    }
    published_.notify_one();
  }

  const PreparedCaseTimerHandler& handler_;
  std::vector<store::DueCase>& due_;
  std::mutex mu_;
  std::condition_variable published_;
  size_t next_;  // decisions_[..next_) are published
  bool finished_ = false;
  std::vector<Decision> decisions_;
  std::atomic<bool> cancel_ = false;
  std::thread thread_;  // last: starts once everything it uses is built
};

// Replays what a case's decision saved, then writes the case.
Result<void> WriteDecided(store::WriteTx& tx, Decision& decision) {
  for (const CursorSave& save : decision.saves) {
    if (auto saved = tx.SaveRoutingCursor(save.level_id, save.cursor); !saved) return saved;
  }
  return decision.write(tx);
}

}  // namespace

Error HandlerThrew(const std::exception& e) {
  return Error{ErrorCode::kInternal, std::string("the deadline handler threw: ") + e.what(), {}};
}

Result<void> FireOnWriter(store::WriteTx& tx, store::DueCase& timer, Timestamp now,
                          const PreparedCaseTimerHandler& handler) {
  auto write = handler(tx, timer, now);
  if (!write) return Fail(write.error());
  return (*write)(tx);
}

Result<void> FireClaimAside(store::WriteTx& tx, std::vector<store::DueCase>& due, Timestamp now,
                            const PreparedCaseTimerHandler& handler) {
  std::map<std::string, int64_t> cursors;  // the levels this claim has routed to, as `tx` has them
  size_t i = 0;
  while (i < due.size()) {
    std::optional<std::string> missing_level;
    {
      Decider decider(handler, due, i, cursors, now);
      for (; i < due.size(); ++i) {
        Decision* decision = decider.Wait(i);
        if (decision == nullptr) {
          return Fail(ErrorCode::kInternal, "deciding the claim's timers stopped early");
        }
        if (decision->kind == Decision::Kind::kFailed) return Fail(std::move(decision->error));
        if (decision->kind == Decision::Kind::kNeedsWriter) {
          missing_level = decision->missing_level;
          break;
        }
        if (auto written = WriteDecided(tx, *decision); !written) return written;
      }
    }  // the deciding thread has stopped: case i is the writer's alone
    if (i == due.size()) break;
    // The deciding thread took the case's state; read it again (this write has not
    // changed the case yet) and decide on the writer.
    auto state = tx.LoadCaseForUpdate(due[i].case_id);
    if (!state) return Fail(state.error());
    due[i].state = std::move(*state);
    if (auto fired = FireOnWriter(tx, due[i], now, handler); !fired) return fired;
    ++i;
    if (missing_level) cursors.emplace(*missing_level, 0);
    for (auto& [level_id, cursor] : cursors) {
      auto loaded = tx.LoadRoutingCursor(level_id);
      if (!loaded) return Fail(loaded.error());
      cursor = *loaded;
    }
  }
  return {};
}

}  // namespace redress::engine
