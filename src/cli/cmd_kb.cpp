// Browsing the knowledge base: `rebalance exercises [ID]`, `muscles`, `tests`.
#include "cli/commands.h"
#include "render/render.h"

namespace rebalance::cli {

Run add_exercises(CLI::App& app, const Globals& globals) {
  struct Options {
    std::string id;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("exercises", "List the exercises, or show one with its instructions");
  sub->add_option("ID", o->id, "An exercise id (see the list)");
  sub->add_flag("--json", o->json, "Write JSON");
  return [o, &globals]() {
    auto kb = load_kb(globals);
    if (o->id.empty()) {
      write_output(o->json ? render::exercises_json(*kb, nullptr) : render::exercises_text(*kb), "");
      return kExitOk;
    }
    const kb::Exercise* e = kb->exercise(ExerciseId(o->id));
    if (e == nullptr)
      throw Failure{kExitBadInput,
                    {"rebalance exercises: ID: expected an exercise id (run 'rebalance exercises'), found \"" + o->id + "\""}};
    write_output(o->json ? render::exercises_json(*kb, e) : render::exercise_text(*kb, *e), "");
    return kExitOk;
  };
}

Run add_muscles(CLI::App& app, const Globals& globals) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("muscles", "List the muscles and groups with their tendencies");
  sub->add_flag("--json", *json, "Write JSON");
  return [json, &globals]() {
    auto kb = load_kb(globals);
    write_output(*json ? render::muscles_json(*kb) : render::muscles_text(*kb), "");
    return kExitOk;
  };
}

Run add_tests(CLI::App& app, const Globals& globals) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("tests", "List the assessment tests with norms and measurement error");
  sub->add_flag("--json", *json, "Write JSON");
  return [json, &globals]() {
    auto kb = load_kb(globals);
    write_output(*json ? render::tests_json(*kb) : render::tests_text(*kb), "");
    return kExitOk;
  };
}

}  // namespace rebalance::cli
