// `redress-mailgate`: the program to give an MTA's pipe transport (Postfix, Exim,
// OpenSMTPD). It does what `redress mailgate --url` does, hands one message on stdin to a
// running server, but it links only Boost.Asio/Beast/URL and OpenSSL, so it starts in a
// few milliseconds instead of the tens the full binary's sixty-odd shared libraries take:
// one process per incoming message makes that start the mail host's cost per mail.
//
// For the same reason the C++ runtime is linked in (src/CMakeLists.txt) and so is
// Boost.URL, compiled here from its sources: its shared library would bring the shared
// libstdc++ back. Only libc and OpenSSL stay shared, so OpenSSL's security updates apply.
#include <CLI/CLI.hpp>
#include <boost/url/src.hpp>

#include "mailgate/mailgate_exit.h"
#include "mailgate/url_mailgate.h"

int main(int argc, char** argv) {
  namespace mailgate = redress::mailgate;
  CLI::App app{
      "Hand one email on stdin to a Redress server (for an MTA pipe); exit 0 stored, "
      "75 try again later, 65 not a message",
      "redress-mailgate"};
  mailgate::UrlMailgateOptions options;
  mailgate::AddUrlMailgateOptions(app, options)->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is exit 0; a usage mistake is the operator's to fix: 75 keeps the mail queued.
    const int printed = app.exit(e);
    return printed == 0 ? 0 : mailgate::kExitTryLater;
  }
  return mailgate::RunUrlMailgate(options);
}
