// Engine figures: knowledge-base load, and parse + assess + plan (+ JSON
// rendering) per intake with the knowledge base warm; assess + plan alone.
// Prints figures; not a timed test.
//   build/bench/bench_engine
// The Fixed/ cases run a set number of times, for instruction counts that do
// not depend on the machine's load (docs/performance.md):
//   valgrind --tool=callgrind --toggle-collect='*engine_run*'
//       build/bench/bench_engine --benchmark_filter=Fixed/AssessPlan_OfficeWorker
// (one command line).
#include <benchmark/benchmark.h>

#include "assess/assess.h"
#include "bench_util.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "render/render.h"

namespace {

using rebalance::bench::read;

void BM_LoadKnowledgeBase(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(rebalance::kb::load(REBALANCE_DATA_DIR));
}
BENCHMARK(BM_LoadKnowledgeBase)->Unit(benchmark::kMillisecond)->UseRealTime();
// What a command that draws nothing loads (rebalance assess, plan --json).
void BM_LoadKnowledgeBaseWithoutDrawings(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(rebalance::kb::load(REBALANCE_DATA_DIR, rebalance::kb::Parts::kWithoutDrawings));
}
BENCHMARK(BM_LoadKnowledgeBaseWithoutDrawings)->Unit(benchmark::kMillisecond)->UseRealTime();

// One intake through the engine, as a front end takes it: parsed, assessed,
// constrained, planned, and with `render` written as JSON. Not inlined, so
// that callgrind can count it alone.
[[gnu::noinline]] void engine_run(const rebalance::kb::KnowledgeBase& kb, const std::string& text, const char* file,
                                  const rebalance::plan::Overrides& ov, bool render) {
  auto parsed = rebalance::intake::parse(text, kb, file);
  const auto a = rebalance::assess::assess(kb, *parsed.intake);
  const auto c = rebalance::plan::resolve(kb, *parsed.intake, ov, rebalance::Date::from_civil(2026, 11, 25));
  const auto p = rebalance::plan::plan(kb, a, c);
  if (render) benchmark::DoNotOptimize(rebalance::render::program_json(kb, p));
  benchmark::DoNotOptimize(p);
}

void run_intake(benchmark::State& state, const char* file, bool render) {
  const auto kb = rebalance::kb::load(REBALANCE_DATA_DIR);
  const std::string text = read(std::string(REBALANCE_EXAMPLES_DIR) + "/" + file);
  rebalance::plan::Overrides ov;
  ov.start = rebalance::Date::from_civil(2026, 11, 30);
  for (auto _ : state) engine_run(*kb, text, file, ov, render);
}

// The intake parsed once, outside the loop: assess and plan alone.
void assess_plan_parsed(benchmark::State& state, const char* file) {
  const auto kb = rebalance::kb::load(REBALANCE_DATA_DIR);
  const std::string text = read(std::string(REBALANCE_EXAMPLES_DIR) + "/" + file);
  const auto parsed = rebalance::intake::parse(text, *kb, file);
  rebalance::plan::Overrides ov;
  ov.start = rebalance::Date::from_civil(2026, 11, 30);
  for (auto _ : state) {
    const auto a = rebalance::assess::assess(*kb, *parsed.intake);
    const auto c = rebalance::plan::resolve(*kb, *parsed.intake, ov, rebalance::Date::from_civil(2026, 11, 25));
    benchmark::DoNotOptimize(rebalance::plan::plan(*kb, a, c));
  }
}
void BM_AssessPlanParsed_OfficeWorker(benchmark::State& s) { assess_plan_parsed(s, "office-worker.json"); }
void BM_AssessPlanParsed_RunnerKnee(benchmark::State& s) { assess_plan_parsed(s, "runner-knee.json"); }
void BM_AssessPlanParsed_SelfCheck(benchmark::State& s) { assess_plan_parsed(s, "self-check.json"); }
BENCHMARK(BM_AssessPlanParsed_OfficeWorker)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlanParsed_RunnerKnee)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlanParsed_SelfCheck)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlanParsed_OfficeWorker)->Name("Fixed/AssessPlanParsed_OfficeWorker")->Iterations(100)->Unit(benchmark::kMicrosecond);

void BM_AssessPlan_OfficeWorker(benchmark::State& s) { run_intake(s, "office-worker.json", false); }
void BM_AssessPlan_RunnerKnee(benchmark::State& s) { run_intake(s, "runner-knee.json", false); }
void BM_AssessPlan_SelfCheck(benchmark::State& s) { run_intake(s, "self-check.json", false); }
void BM_AssessPlanJson_OfficeWorker(benchmark::State& s) { run_intake(s, "office-worker.json", true); }
BENCHMARK(BM_AssessPlan_OfficeWorker)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlan_RunnerKnee)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlan_SelfCheck)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlanJson_OfficeWorker)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlan_OfficeWorker)->Name("Fixed/AssessPlan_OfficeWorker")->Iterations(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlan_RunnerKnee)->Name("Fixed/AssessPlan_RunnerKnee")->Iterations(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlan_SelfCheck)->Name("Fixed/AssessPlan_SelfCheck")->Iterations(100)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
