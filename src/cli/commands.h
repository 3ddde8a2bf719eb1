// The subcommands: each registers its options on the app and returns the
// function that runs it once parsing succeeded.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/common.h"
#include "store/store.h"

namespace rebalance::cli {

using Run = std::function<int()>;

// Where the service's data lives: a SQLite file or a PostgreSQL URL.
struct StoreOptions {
  std::string db;
  std::string postgres;
  size_t connections = 8;  // PostgreSQL's pool (open_postgres)
};
void add_store_options(CLI::App* sub, StoreOptions& o);
// Opens and migrates the store; a bad path or URL is a Failure (exit 2).
std::shared_ptr<store::Store> open_store(const StoreOptions& o);

Run add_assess(CLI::App& app, const Globals& globals);
Run add_plan(CLI::App& app, const Globals& globals);
Run add_exercises(CLI::App& app, const Globals& globals);
Run add_muscles(CLI::App& app, const Globals& globals);
Run add_tests(CLI::App& app, const Globals& globals);
Run add_serve(CLI::App& app, const Globals& globals);
Run add_user(CLI::App& app, const Globals& globals);
Run add_backup(CLI::App& app, const Globals& globals);
Run add_restore(CLI::App& app, const Globals& globals);
Run add_progress(CLI::App& app, const Globals& globals);

}  // namespace rebalance::cli
