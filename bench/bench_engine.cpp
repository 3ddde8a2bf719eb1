// Engine figures: knowledge-base load, and assess + plan (+ JSON rendering)
// per intake with the knowledge base warm. Prints figures; not a timed test.
//   build/bench/bench_engine
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
BENCHMARK(BM_LoadKnowledgeBase)->Unit(benchmark::kMillisecond);

void run_intake(benchmark::State& state, const char* file, bool render) {
  const auto kb = rebalance::kb::load(REBALANCE_DATA_DIR);
  const std::string text = read(std::string(REBALANCE_EXAMPLES_DIR) + "/" + file);
  rebalance::plan::Overrides ov;
  ov.start = rebalance::Date::from_civil(2026, 11, 30);
  for (auto _ : state) {
    auto parsed = rebalance::intake::parse(text, *kb, file);
    const auto a = rebalance::assess::assess(*kb, *parsed.intake);
    const auto c = rebalance::plan::resolve(*kb, *parsed.intake, ov, rebalance::Date::from_civil(2026, 11, 25));
    const auto p = rebalance::plan::plan(*kb, a, c);
    if (render) benchmark::DoNotOptimize(rebalance::render::program_json(*kb, p));
    benchmark::DoNotOptimize(p);
  }
}

void BM_AssessPlan_OfficeWorker(benchmark::State& s) { run_intake(s, "office-worker.json", false); }
void BM_AssessPlan_RunnerKnee(benchmark::State& s) { run_intake(s, "runner-knee.json", false); }
void BM_AssessPlan_SelfCheck(benchmark::State& s) { run_intake(s, "self-check.json", false); }
void BM_AssessPlanJson_OfficeWorker(benchmark::State& s) { run_intake(s, "office-worker.json", true); }
BENCHMARK(BM_AssessPlan_OfficeWorker)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlan_RunnerKnee)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlan_SelfCheck)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AssessPlanJson_OfficeWorker)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
