#include <cstdio>
#include <optional>
#include <string>

#include "app/auth_service.h"
#include "app/open_store.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "domain/customer.h"

namespace redress::cli {
namespace {

struct TokenOptions {
  std::optional<std::string> email;
  std::optional<int64_t> customer_id;
  std::string label = "cli";
};

}  // namespace

void AddTokenCommand(CLI::App& app, GlobalOptions& global) {
  CLI::App* token_cmd = app.add_subcommand("token", "Manage API tokens");
  token_cmd->require_subcommand(1);
  CLI::App* create = token_cmd->add_subcommand(
      "create", "Create a Bearer token for a staff user or a customer; prints it once");
  auto options = std::make_shared<TokenOptions>();
  create->add_option("--db", global.db, "SQLite database file or postgres:// URL");
  auto* email = create->add_option("--email", options->email, "Staff user's email");
  auto* customer = create->add_option("--customer", options->customer_id, "Customer id");
  email->excludes(customer);
  customer->excludes(email);
  create->add_option("--label", options->label, "What the token is for");
  create->callback([&global, options] {
    if (!options->email && !options->customer_id) {
      std::fprintf(stderr, "redress: token create needs --email or --customer\n");
      global.exit_code = 2;
      return;
    }
    auto config = ResolveConfig(global);
    if (!config) {
      global.exit_code = 2;
      return;
    }
    auto store = app::OpenStore(config->db, app::MigratePolicy::kApply);
    if (!store) {
      PrintError(store.error());
      global.exit_code = 1;
      return;
    }
    domain::CredentialOwner owner;
    if (options->email) {
      auto normalized = domain::NormalizeEmail(*options->email);
      if (!normalized) {
        PrintError(Error{ErrorCode::kInvalidArgument, "--email: " + normalized.error().message, {}});
        global.exit_code = 2;
        return;
      }
      auto user = (*store)->FindUserByEmail(*normalized);
      if (!user) {
        PrintError(user.error());
        global.exit_code = 1;
        return;
      }
      if (!*user) {
        std::fprintf(stderr, "redress: no staff user with email %s\n", normalized->c_str());
        global.exit_code = 2;
        return;
      }
      owner = domain::CredentialOwner{(*user)->role, (*user)->id};
    } else {
      owner = domain::CredentialOwner{domain::Role::kCustomer, *options->customer_id};
    }
    SystemClock clock;
    app::AuthService auth(**store, clock, *config);
    auto token = auth.CreateApiToken(owner, options->label);
    if (!token) {
      PrintError(token.error());
      global.exit_code = token.error().code == ErrorCode::kNotFound ? 2 : 1;
      return;
    }
    std::printf("%s\n", token->c_str());
  });
}

}  // namespace redress::cli
