// The subcommands: each registers its options on the app and returns the
// function that runs it once parsing succeeded.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/common.h"

namespace rebalance::cli {

using Run = std::function<int()>;

Run add_assess(CLI::App& app, const Globals& globals);
Run add_plan(CLI::App& app, const Globals& globals);
Run add_exercises(CLI::App& app, const Globals& globals);
Run add_muscles(CLI::App& app, const Globals& globals);
Run add_tests(CLI::App& app, const Globals& globals);
Run add_serve(CLI::App& app, const Globals& globals);
Run add_user(CLI::App& app, const Globals& globals);
Run add_backup(CLI::App& app, const Globals& globals);
Run add_restore(CLI::App& app, const Globals& globals);

}  // namespace rebalance::cli
