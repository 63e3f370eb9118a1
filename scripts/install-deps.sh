#!/usr/bin/env bash
# Installs the Debian 12 packages Redress needs to build, test and run, and nothing else.
# Idempotent: packages already present are not touched, and apt is only called when
# something is missing. Run as root, or as a user with sudo.
set -euo pipefail

# Build and runtime libraries (see docs/architecture.md for what each one is for).
# Boost 1.81 on purpose: libboost-dev is 1.74, has no Boost.JSON/URL and conflicts with 1.81.
packages=(
  build-essential cmake pkg-config make git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libexpected-dev
  # The server's allocator: tcmalloc (per-thread caches), from gperftools
  libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # Business calendars: IANA time zones (Howard Hinnant's date/tz over the system tzdata)
  libhowardhinnant-date-dev tzdata
  wrk sqlite3 curl python3
  # PostgreSQL backend and its throwaway test clusters (pg_virtualenv)
  postgresql postgresql-common
  # Email channel: MIME parsing, SMTP/IMAP transport, and the real peers the tests talk to
  # libcurl with GnuTLS, not OpenSSL: libetpan-dev depends on libcurl4-gnutls-dev, and the
  # two libcurl development packages conflict (installing one removes the other).
  libgmime-3.0-dev libxml2-dev libcurl4-gnutls-dev dovecot-imapd python3-aiosmtpd swaks
  # IMAP IDLE watcher (libcurl cannot hold IDLE)
  libetpan-dev
  # (openssl: the mail peer tests make a throwaway self-signed certificate)
  openssl
  # Fuzzing the mail parser (libFuzzer comes with clang's runtime)
  clang libclang-rt-14-dev
  # Web front end's end-to-end tests drive Debian's Chromium (web/e2e)
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The web front end (web/) builds with Node.js 18 or later and npm. A machine that already
# has a Node.js (Debian's or another packaging of it) keeps it; one without gets Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
