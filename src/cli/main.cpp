// rebalance: the command line. Parse arguments, run one subcommand, map every
// failure to the contract's exit codes (0 ok, 1 internal, 2 bad input).
#include <exception>
#include <iostream>
#include <map>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace rebalance::cli;
  Globals globals;
  globals.argv0 = argc > 0 ? argv[0] : "rebalance";
  CLI::App app{
      "Rebalance: find and correct muscle imbalances.\n"
      "Assess an intake (contract: rebalance.intake/1) and plan a week-by-week corrective program.",
      "rebalance"};
  app.set_version_flag("--version", std::string("rebalance ") + "0.1.0");
  app.add_option("--data", globals.data_dir, "Knowledge-base folder (default: the installed data/, or $REBALANCE_DATA)")
      ->check(CLI::ExistingDirectory);
  app.require_subcommand(1);
  std::map<CLI::App*, Run> runs;
  auto reg = [&](Run (*add)(CLI::App&, const Globals&)) {
    const size_t before = app.get_subcommands({}).size();
    Run run = add(app, globals);
    runs[app.get_subcommands({})[before]] = std::move(run);
  };
  reg(add_assess);
  reg(add_plan);
  reg(add_exercises);
  reg(add_muscles);
  reg(add_tests);
  reg(add_serve);
  reg(add_user);
  reg(add_backup);
  reg(add_restore);
  reg(add_progress);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "rebalance: " << e.what() << "\n"
              << "Run 'rebalance --help' for usage.\n";
    return kExitBadInput;
  }
  try {
    for (const auto& [sub, run] : runs)
      if (sub->parsed()) return run();
    return kExitBadInput;
  } catch (const Failure& f) {
    for (const auto& line : f.lines) std::cerr << line << "\n";
    return f.code;
  } catch (const std::exception& e) {
    std::cerr << "rebalance: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "rebalance: internal error\n";
    return kExitInternal;
  }
}
