# Every external dependency in one place. All come from Debian 12 packages installed by
# scripts/install-deps.sh; docs/architecture.md says what each is for.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS json url)  # Beast/Asio (headers), JSON, URL
find_package(SQLite3 REQUIRED)                                # SQLite::SQLite3
find_package(PostgreSQL REQUIRED)                             # PostgreSQL::PostgreSQL (libpq)
find_package(CURL REQUIRED)                                   # CURL::libcurl (SMTP, IMAP)
find_package(OpenSSL 3 REQUIRED)                              # OpenSSL::Crypto (IMAP IDLE certificate check)
find_package(fmt REQUIRED CONFIG)                             # fmt::fmt
find_package(spdlog REQUIRED CONFIG)                          # spdlog::spdlog
find_package(CLI11 REQUIRED CONFIG)                           # CLI11::CLI11
find_package(tomlplusplus REQUIRED CONFIG)                    # tomlplusplus::tomlplusplus
find_package(tl-expected REQUIRED CONFIG)                     # tl::expected
find_package(date REQUIRED CONFIG)                            # date::date-tz (IANA time zones)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)  # PkgConfig::SODIUM
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)    # PkgConfig::GMIME (MIME parsing)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0) # PkgConfig::LIBXML2 (HTML parser)
pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal) # the server's malloc
# libetpan (IMAP IDLE watcher only). Found by hand: Debian's libetpan.pc puts its own build
# flags (-specs=no-pie-link.specs) and static-only dependencies into Libs.
find_path(LIBETPAN_INCLUDE_DIR libetpan/libetpan.h REQUIRED)
find_library(LIBETPAN_LIBRARY etpan REQUIRED)
add_library(Libetpan::libetpan UNKNOWN IMPORTED)
set_target_properties(Libetpan::libetpan PROPERTIES IMPORTED_LOCATION "${LIBETPAN_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${LIBETPAN_INCLUDE_DIR}")
find_package(GTest REQUIRED CONFIG)                           # GTest::gtest, GTest::gtest_main
find_package(benchmark REQUIRED CONFIG)                       # benchmark::benchmark
include(GoogleTest)

# Boost.Asio: no deprecated names.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED)
