// Browsing the knowledge base: `rebalance exercises [ID]`, `muscles`, `tests`.
#include <cstdio>

#include "cli/commands.h"
#include "render/render.h"

namespace rebalance::cli {

Run add_exercises(CLI::App& app, const Globals& globals) {
  struct Options {
    std::vector<std::string> ids;
    std::string id;
    bool json = false, svg = false, animated = false, sheet = false;
    std::string keypoints, view, size = "640x480", out;
    std::optional<double> yaw, pitch, seconds_per_rep;
    int reps = 3;
    double fps = 30, noise = 0, asymmetry = 0;
    unsigned seed = 1;
    int columns = 8;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("exercises", "List the exercises, show one, draw its figure or export its movement");
  sub->add_option("ID", o->ids, "An exercise id (see the list); --sheet takes several");
  auto* json = sub->add_flag("--json", o->json, "Write JSON");
  auto* svg = sub->add_flag("--svg", o->svg, "Draw the exercise's figure as SVG: start faded, end solid, motion arrow");
  auto* animated = sub->add_flag("--animated", o->animated, "With --svg: an animated loop of one repetition (SVG animation)");
  auto* sheet = sub->add_flag("--sheet", o->sheet, "A contact sheet (PNG) of every figure, or of the IDs given; needs -o");
  auto* kp = sub->add_option("--keypoints", o->keypoints, "Export the movement as a keypoint series: coco17 or mediapipe33");
  auto* view = sub->add_option("--view", o->view, "With --keypoints: left, right, front, back, three_quarter_left or three_quarter_right (default: the figure's)");
  auto* yaw = sub->add_option("--yaw", o->yaw, "With --keypoints: camera yaw in degrees (-180 to 180; 0 looks at the front, 90 at the left side)")
                  ->check(CLI::Range(-180.0, 180.0));
  auto* pitch = sub->add_option("--pitch", o->pitch, "With --keypoints: camera pitch in degrees above the horizon (-45 to 89)")
                    ->check(CLI::Range(-45.0, 89.0));
  auto* reps = sub->add_option("--reps", o->reps, "With --keypoints: repetitions (1-50; default 3)")->check(CLI::Range(1, 50));
  auto* tempo = sub->add_option("--seconds-per-rep", o->seconds_per_rep, "With --keypoints: seconds per repetition (0.5-60; default: the figure's timing)")
                    ->check(CLI::Range(0.5, 60.0));
  auto* fps = sub->add_option("--fps", o->fps, "With --keypoints: frames per second (1-120; default 30)")->check(CLI::Range(1.0, 120.0));
  auto* noise = sub->add_option("--noise", o->noise, "With --keypoints: Gaussian noise in pixels (0-50; default 0)")->check(CLI::Range(0.0, 50.0));
  auto* asym = sub->add_option("--asymmetry", o->asymmetry, "With --keypoints: the right side moves this share less (0-0.5; default 0)")
                   ->check(CLI::Range(0.0, 0.5));
  auto* seed = sub->add_option("--seed", o->seed, "With --keypoints: noise seed (default 1)");
  auto* size = sub->add_option("--size", o->size, "With --keypoints: image size WIDTHxHEIGHT in pixels (default 640x480)");
  auto* columns = sub->add_option("--columns", o->columns, "With --sheet: figures per row (1-20; default 8)")->check(CLI::Range(1, 20));
  sub->add_option("-o,--output", o->out, "Write to FILE instead of standard output");
  json->excludes(svg, sheet, kp);
  svg->excludes(sheet, kp);
  sheet->excludes(kp);
  animated->needs(svg);
  for (auto* opt : {view, yaw, pitch, reps, tempo, fps, noise, asym, seed, size}) opt->needs(kp);
  view->excludes(yaw);
  view->excludes(pitch);
  columns->needs(sheet);
  sub->footer(
      "Examples:\n"
      "  rebalance exercises glute_bridge --svg -o bridge.svg\n"
      "  rebalance exercises glute_bridge --svg --animated -o bridge-loop.svg\n"
      "  rebalance exercises --sheet -o figures.png\n"
      "  rebalance exercises squat --keypoints coco17 --view front --reps 5 --noise 2 --asymmetry 0.1 -o squat.json\n"
      "Exit codes: 0 success, 1 internal error, 2 bad input.");
  return [o, &globals]() {
    const std::string me = "rebalance exercises: ";
    if (o->ids.size() > 1 && !o->sheet)
      throw Failure{kExitBadInput, {me + "ID: expected one exercise id (several only with --sheet), found " +
                                    std::to_string(o->ids.size())}};
    o->id = o->ids.empty() ? std::string() : o->ids[0];
    if (o->sheet && o->out.empty())
      throw Failure{kExitBadInput, {me + "--sheet: expected -o FILE (a PNG is not written to a terminal), found no -o"}};
    if ((o->svg || !o->keypoints.empty()) && o->id.empty())
      throw Failure{kExitBadInput, {me + "ID: expected an exercise id to draw or export, found none"}};
    check_writable(o->out);
    auto kb = load_kb(globals);
    std::vector<const kb::Exercise*> chosen;
    for (const auto& id : o->ids) {
      const kb::Exercise* x = kb->exercise(ExerciseId(id));
      if (x == nullptr)
        throw Failure{kExitBadInput, {me + "ID: expected an exercise id (run 'rebalance exercises'), found \"" + id + "\""}};
      if ((o->sheet || o->svg || !o->keypoints.empty()) && kb->illustration(x->id) == nullptr)
        throw Failure{kExitBadInput, {me + "ID: expected an exercise with an illustration, found \"" + id + "\" without one"}};
      chosen.push_back(x);
    }
    const kb::Exercise* e = chosen.empty() ? nullptr : chosen[0];
    if (o->sheet) {
      std::vector<const kb::Exercise*> list = chosen;
      if (list.empty())
        for (const auto& x : kb->exercises) list.push_back(&x);
      write_output(render::contact_sheet_png(*kb, list, o->columns), o->out);
      return kExitOk;
    }
    if (e == nullptr) {
      write_output(o->json ? render::exercises_json(*kb, nullptr) : render::exercises_text(*kb), o->out);
      return kExitOk;
    }
    const body::Illustration* ill = kb->illustration(e->id);
    if (o->svg) {
      write_output(render::figure_svg(*kb, *ill, o->animated), o->out);
      return kExitOk;
    }
    if (!o->keypoints.empty()) {
      figure::KeypointOptions k;
      if (kb->body.layout(o->keypoints) == nullptr) {
        std::string known;
        for (const auto& l : kb->body.layouts) known += (known.empty() ? "" : ", ") + l.id;
        throw Failure{kExitBadInput, {me + "--keypoints: expected a layout (" + known + "), found \"" + o->keypoints + "\""}};
      }
      k.layout = o->keypoints;
      if (!o->view.empty()) {
        const auto v = body::parse_view(o->view);
        if (!v)
          throw Failure{kExitBadInput, {me + "--view: expected left, right, front, back, three_quarter_left or three_quarter_right, found \"" +
                                        o->view + "\""}};
        k.camera = body::Camera::of(*v);
        k.use_view = false;
      }
      if (o->yaw || o->pitch) {
        k.camera = body::Camera::of(ill->view);
        if (o->yaw) k.camera.yaw = *o->yaw;
        if (o->pitch) k.camera.pitch = *o->pitch;
        k.use_view = false;
      }
      int w = 0, h = 0;
      char tail = 0;
      if (std::sscanf(o->size.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 8192 || h > 8192)
        throw Failure{kExitBadInput, {me + "--size: expected WIDTHxHEIGHT in pixels, each 16-8192, found \"" + o->size + "\""}};
      k.width = w;
      k.height = h;
      k.reps = o->reps;
      k.seconds_per_rep = o->seconds_per_rep;
      k.fps = o->fps;
      k.noise_px = o->noise;
      k.asymmetry = o->asymmetry;
      k.seed = o->seed;
      write_output(render::keypoints_json(figure::keypoints(*kb, *ill, k)), o->out);
      return kExitOk;
    }
    write_output(o->json ? render::exercises_json(*kb, e) : render::exercise_text(*kb, *e), o->out);
    return kExitOk;
  };
}

Run add_muscles(CLI::App& app, const Globals& globals) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("muscles", "List the muscles and groups with their tendencies");
  sub->add_flag("--json", *json, "Write JSON");
  return [json, &globals]() {
    auto kb = load_kb(globals, kb::Parts::kWithoutDrawings);
    write_output(*json ? render::muscles_json(*kb) : render::muscles_text(*kb), "");
    return kExitOk;
  };
}

Run add_tests(CLI::App& app, const Globals& globals) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("tests", "List the assessment tests with norms and measurement error");
  sub->add_flag("--json", *json, "Write JSON");
  return [json, &globals]() {
    auto kb = load_kb(globals, kb::Parts::kWithoutDrawings);
    write_output(*json ? render::tests_json(*kb) : render::tests_text(*kb), "");
    return kExitOk;
  };
}

}  // namespace rebalance::cli
