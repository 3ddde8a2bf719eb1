// Figure figures: drawing every exercise (still and animated SVG), and the
// 8-week PDF handout with its figures. Prints figures; not a timed test.
//   build/bench/bench_figures
// Aims (issue 12): every figure under 50 ms in all; the PDF under 300 ms.
#include <benchmark/benchmark.h>

#include "assess/assess.h"
#include "bench_util.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "render/render.h"

namespace {

using rebalance::bench::read;

const rebalance::kb::KnowledgeBase& kb() {
  static const auto k = rebalance::kb::load(REBALANCE_DATA_DIR);
  return *k;
}

// Every exercise drawn as SVG: the still (what the app's lists and the HTML
// handout show; argument 0) or the animated loop (argument 1).
void BM_AllFigures(benchmark::State& state) {
  const bool animated = state.range(0) == 1;
  size_t bytes = 0;
  for (auto _ : state)
    for (const auto& ill : kb().illustrations) bytes += rebalance::render::figure_svg(kb(), ill, animated).size();
  state.SetLabel(animated ? "animated" : "still");
  state.counters["figures"] = static_cast<double>(kb().illustrations.size());
  state.counters["bytes_per_figure"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations() * kb().illustrations.size());
}
BENCHMARK(BM_AllFigures)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// The PDF handout of an 8-week program (the office worker's: 10-12 exercises
// a week), cover, week pages with figures and log grids, how-to pages.
void BM_PdfHandout8Weeks(benchmark::State& state) {
  const std::string text = read(std::string(REBALANCE_EXAMPLES_DIR) + "/office-worker.json");
  auto parsed = rebalance::intake::parse(text, kb(), "office-worker.json");
  const auto a = rebalance::assess::assess(kb(), *parsed.intake);
  rebalance::plan::Overrides ov;
  ov.start = rebalance::Date::from_civil(2026, 11, 30);
  ov.weeks = 8;
  const auto p = rebalance::plan::plan(kb(), a, rebalance::plan::resolve(kb(), *parsed.intake, ov, rebalance::Date::from_civil(2026, 11, 25)));
  size_t bytes = 0;
  for (auto _ : state) bytes = rebalance::render::program_pdf(kb(), a, p, {"Office worker", ""}).size();
  state.counters["weeks"] = p.weeks;
  state.counters["kB"] = static_cast<double>(bytes) / 1024.0;
}
BENCHMARK(BM_PdfHandout8Weeks)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
