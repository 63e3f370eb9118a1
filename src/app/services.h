// The long-lived objects a request handler or CLI command works with, wired once in the
// composition root (cli/serve). Passed by reference; owned by whoever built them.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "app/case_service.h"
#include "app/config.h"
#include "app/mail_intake.h"
#include "app/metrics.h"
#include "app/policy_holder.h"
#include "app/test_clock.h"
#include "core/clock.h"
#include "store/store.h"

namespace redress::app {

struct Services {
  store::Store& store;
  Clock& clock;
  const Config& config;
  Metrics& metrics;
  /// Every write to a case goes through here (it runs the reactors: triggers, SLA timers).
  const CaseService& cases;
  /// For CPU-heavy work that must not stall an I/O thread (argon2id takes tens of
  /// milliseconds by design): handlers co_spawn it here and await the result.
  boost::asio::thread_pool& cpu;
  /// The same object as `clock` when the server runs with --test-clock; null otherwise.
  TestClock* test_clock = nullptr;
  /// The running escalation policy (case views, escalation routes, admin policy routes).
  /// Set by `serve`; null in tools that serve no escalation routes.
  PolicyHolder* policies = nullptr;
  /// Files inbound mail (POST /api/v1/inbound/email). Set by `serve` when [mail] is
  /// configured; null otherwise, and the route answers 503 so an MTA keeps the mail.
  const MailIntake* mail_intake = nullptr;
};

}  // namespace redress::app
