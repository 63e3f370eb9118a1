// libsodium must be initialised before use; sodium_init() picks the fastest implementations
// and seeds the random generator. Every function here that calls libsodium calls
// EnsureSodium() first, so no caller has to remember a global init step.
#pragma once

namespace redress::auth {

/// Initialises libsodium once per process. Thread-safe and cheap after the first call.
/// Throws std::runtime_error if libsodium cannot initialise (no usable entropy source):
/// nothing secure can be done then, so this is one of the truly exceptional cases.
void EnsureSodium();

}  // namespace redress::auth
