#include "auth/sodium.h"

#include <sodium.h>

#include <stdexcept>

namespace redress::auth {

void EnsureSodium() {
  // A function-local static is initialised exactly once even under concurrent first calls;
  // if the initialiser throws, the next call tries again.
  static const bool initialised = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    return true;
  }();
  (void)initialised;
}

}  // namespace redress::auth
