// The long-lived objects a request handler or CLI command works with, wired once in the
// composition root (cli/serve). Passed by reference; owned by whoever built them.
#pragma once

#include "app/config.h"
#include "app/metrics.h"
#include "core/clock.h"
#include "store/store.h"

namespace redress::app {

struct Services {
  store::Store& store;
  Clock& clock;
  const Config& config;
  Metrics& metrics;
};

}  // namespace redress::app
