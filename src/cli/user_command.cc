#include <cstdio>
#include <iostream>
#include <string>

#include "app/open_store.h"
#include "auth/password.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "domain/customer.h"
#include "domain/user.h"

namespace redress::cli {
namespace {

struct UserAddOptions {
  std::string email;
  std::string role;
  int level = 1;
  std::string name;
  bool password_stdin = false;
};

Result<domain::User> BuildUser(const UserAddOptions& options) {
  domain::User user;
  auto email = domain::NormalizeEmail(options.email);
  if (!email) return Fail(ErrorCode::kInvalidArgument, "--email: " + email.error().message);
  user.email = *email;
  auto role = domain::ParseRole(options.role);
  if (!role || *role == domain::Role::kCustomer || *role == domain::Role::kSystem) {
    return Fail(ErrorCode::kInvalidArgument,
                "--role must be agent, supervisor, admin or mailgate, not '" + options.role +
                    "'");
  }
  user.role = *role;
  if (options.level < 1 || options.level > 9) {
    return Fail(ErrorCode::kInvalidArgument, "--level must be between 1 and 9");
  }
  user.level = options.level;
  user.display_name = options.name.empty() ? user.email : options.name;
  if (options.password_stdin) {
    std::string password;
    if (!std::getline(std::cin, password)) {
      return Fail(ErrorCode::kInvalidArgument, "--password-stdin: no password on standard input");
    }
    auto hash = auth::HashPassword(password);
    if (!hash) return Fail(ErrorCode::kInvalidArgument, "password: " + hash.error().message);
    user.password_hash = *hash;
  }
  return user;
}

}  // namespace

void AddUserCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* user_cmd = app.add_subcommand("user", "Manage staff accounts");
  user_cmd->require_subcommand(1);
  CLI::App* add = user_cmd->add_subcommand("add", "Add a staff user; prints the new user id");
  auto options = std::make_shared<UserAddOptions>();
  add->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  add->add_option("--email", options->email, "Login email")->required();
  add->add_option("--role", options->role,
                  "agent, supervisor, admin, or mailgate (may only hand in mail)")
      ->required();
  add->add_option("--level", options->level, "Escalation level, 1 = front line");
  add->add_option("--name", options->name, "Display name shown to customers");
  add->add_flag("--password-stdin", options->password_stdin,
                "Read a password from the first line of standard input");
  add->callback([&global, options] {
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = 2;
      return;
    }
    auto user = BuildUser(*options);
    if (!user) {
      PrintError(user.error());
      global.exit_code = 2;
      return;
    }
    auto store = app::OpenStore(config->db, app::MigratePolicy::kApply);
    if (!store) {
      PrintError(store.error());
      global.exit_code = 1;
      return;
    }
    SystemClock clock;
    user->created_at = clock.Now();
    auto written = (*store)->Write([&](store::WriteTx& tx) { return tx.InsertUser(*user); });
    if (!written) {
      PrintError(written.error());
      global.exit_code = written.error().code == ErrorCode::kConflict ? 2 : 1;
      return;
    }
    std::printf("%lld\n", static_cast<long long>(user->id));
  });
}

}  // namespace redress::cli
