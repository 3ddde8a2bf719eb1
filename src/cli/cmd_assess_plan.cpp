// `rebalance assess` and `rebalance plan`.
#include "assess/assess.h"
#include "cli/commands.h"
#include "plan/plan.h"
#include "render/render.h"

namespace rebalance::cli {
namespace {

render::Header header_of(const intake::Intake& in) { return {in.client.name, in.preferences.timezone}; }

}  // namespace

Run add_assess(CLI::App& app, const Globals& globals) {
  struct Options {
    std::string intake, out;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("assess", "Findings from an intake: tight and weak muscles with their evidence");
  sub->add_option("INTAKE", o->intake, "Intake JSON file (rebalance.intake/1), or - for standard input")->required();
  sub->add_flag("--json", o->json, "Write rebalance.assessment/1 JSON instead of text");
  sub->add_option("-o,--output", o->out, "Write to FILE instead of standard output");
  sub->footer("Exit codes: 0 success, 1 internal error, 2 bad input (every problem is listed on stderr).");
  return [o, &globals]() {
    check_writable(o->out);
    auto kb = load_kb(globals, kb::Parts::kWithoutDrawings);
    const auto in = read_intake(o->intake, *kb);
    const auto a = assess::assess(*kb, in);
    write_output(o->json ? render::assessment_json(*kb, a) : render::assessment_text(*kb, a, header_of(in)), o->out);
    return kExitOk;
  };
}

Run add_plan(CLI::App& app, const Globals& globals) {
  struct Options {
    std::string intake, out, start;
    bool json = false, html = false, ics = false, pdf = false;
    std::optional<int> weeks, days, minutes;
  };
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("plan", "A week-by-week corrective program from an intake");
  sub->add_option("INTAKE", o->intake, "Intake JSON file (rebalance.intake/1), or - for standard input")->required();
  auto* json = sub->add_flag("--json", o->json, "Write rebalance.program/1 JSON");
  auto* html = sub->add_flag("--html", o->html, "Write a printable HTML handout (one page per week)");
  auto* ics = sub->add_flag("--ics", o->ics, "Write an iCalendar file, one event per session");
  auto* pdf = sub->add_flag("--pdf", o->pdf, "Write a PDF handout (needs -o)");
  json->excludes(html, ics, pdf);
  html->excludes(ics, pdf);
  ics->excludes(pdf);
  sub->add_option("-o,--output", o->out, "Write to FILE instead of standard output");
  sub->add_option("--weeks", o->weeks, "Program length in weeks (1-52; default 8)")->check(CLI::Range(1, 52));
  sub->add_option("--days-per-week", o->days, "Sessions per week (1-7; default 3)")->check(CLI::Range(1, 7));
  sub->add_option("--minutes", o->minutes, "Minutes per session (5-180; default 20)")->check(CLI::Range(5, 180));
  sub->add_option("--start", o->start, "First day, YYYY-MM-DD (default: next Monday, today if Monday)")
      ->check(CLI::Validator(
          [](std::string& s) { return Date::parse(s) ? std::string() : "expected a date YYYY-MM-DD, found \"" + s + "\""; },
          "YYYY-MM-DD"));
  sub->footer(
      "Constraints come from the intake's preferences unless a flag overrides them.\n"
      "Exit codes: 0 success, 1 internal error, 2 bad input (every problem is listed on stderr).");
  return [o, &globals]() {
    if (o->pdf && o->out.empty())
      throw Failure{kExitBadInput, {"rebalance plan: --pdf: expected -o FILE (a PDF is not written to a terminal), found no -o"}};
    check_writable(o->out);
    // Only the handouts show the exercises' figures.
    auto kb = load_kb(globals, o->html || o->pdf ? kb::Parts::kAll : kb::Parts::kWithoutDrawings);
    const auto in = read_intake(o->intake, *kb);
    plan::Overrides ov;
    ov.weeks = o->weeks;
    ov.days_per_week = o->days;
    ov.minutes = o->minutes;
    if (!o->start.empty()) ov.start = Date::parse(o->start);
    const auto constraints = plan::resolve(*kb, in, ov, today());
    const auto a = assess::assess(*kb, in);
    const auto p = plan::plan(*kb, a, constraints);
    const auto h = header_of(in);
    std::string out;
    if (o->json)
      out = render::program_json(*kb, p);
    else if (o->html)
      out = render::program_html(*kb, a, p, h);
    else if (o->ics)
      out = render::program_ics(*kb, p, h);
    else if (o->pdf)
      out = render::program_pdf(*kb, a, p, h);
    else
      out = render::program_text(*kb, a, p, h);
    write_output(out, o->out);
    return kExitOk;
  };
}

}  // namespace rebalance::cli
