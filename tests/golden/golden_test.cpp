// Data-driven golden cases: each intake in examples/ with its expected
// assessment and program JSON side by side in tests/golden/expected/.
// REBALANCE_UPDATE_GOLDEN=1 rewrites the expectations (review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "assess/assess.h"
#include "plan/plan.h"
#include "render/render.h"
#include "test_support.h"

namespace rebalance {
namespace {

namespace fs = std::filesystem;
using rebalance::testing::knowledge_base;
using rebalance::testing::read_file;

struct Outputs {
  std::string assessment, program;
};

// An intake assessed and planned with `kb`, from Monday 2026-11-30 as if on
// 2026-11-25; none (and a failure) when it does not parse.
struct Planned {
  assess::Assessment assessment;
  plan::Program program;
};
std::optional<Planned> assess_and_plan(const kb::KnowledgeBase& kb, const std::string& intake_text) {
  auto parsed = intake::parse(intake_text, kb, "golden.json");
  EXPECT_TRUE(parsed.intake);
  if (!parsed.intake) return std::nullopt;
  auto a = assess::assess(kb, *parsed.intake);
  plan::Overrides ov;
  ov.start = Date::parse("2026-11-30");
  auto p = plan::plan(kb, a, plan::resolve(kb, *parsed.intake, ov, *Date::parse("2026-11-25")));
  return Planned{std::move(a), std::move(p)};
}

Outputs run(const std::string& intake_text) {
  const auto planned = assess_and_plan(knowledge_base(), intake_text);
  if (!planned) return {};
  return {render::assessment_json(knowledge_base(), planned->assessment),
          render::program_json(knowledge_base(), planned->program)};
}

void compare(const fs::path& expected, const std::string& actual) {
  if (std::getenv("REBALANCE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected)) << expected << " is missing: run with REBALANCE_UPDATE_GOLDEN=1";
  EXPECT_EQ(read_file(expected.string()), actual) << "golden output changed: " << expected;
}

// Runs `check(name, intake_text)` on the project's examples always, and on the
// shared sample intakes when present (a user's clone has no ../shared), those
// named with a "shared-" prefix. Returns the number of intakes.
template <class Check>
int for_each_intake(Check check) {
  int cases = 0;
  for (const auto& [dir, prefix] : {std::pair<std::string, std::string>{REBALANCE_EXAMPLES_DIR, ""},
                                    std::pair<std::string, std::string>{REBALANCE_SHARED_EXAMPLES_DIR, "shared-"}}) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      SCOPED_TRACE(entry.path().string());
      check(prefix + entry.path().stem().string(), read_file(entry.path().string()));
      ++cases;
    }
  }
  return cases;
}

TEST(Golden, ExamplesMatchTheirExpectedOutputs) {
  const int cases = for_each_intake([](const std::string& stem, const std::string& text) {
    const Outputs out = run(text);
    compare(fs::path(REBALANCE_GOLDEN_DIR) / (stem + ".assessment.json"), out.assessment);
    compare(fs::path(REBALANCE_GOLDEN_DIR) / (stem + ".program.json"), out.program);
  });
  EXPECT_GE(cases, 5);
}

// The outputs parse and carry the contract's fields (section 4 and 5).
void expect_contract_shape(const std::string& assessment, const std::string& program) {
  const auto a = nlohmann::json::parse(assessment);
  EXPECT_EQ(a["schema"], "rebalance.assessment/1");
  EXPECT_TRUE(a["knowledge_base"]["version"].is_string());
  for (const char* key : {"findings", "asymmetries", "ratios", "patterns", "referrals"}) EXPECT_TRUE(a[key].is_array()) << key;
  for (const auto& f : a["findings"]) {
    for (const char* key : {"muscle", "side", "state", "severity", "confidence", "evidence"}) EXPECT_TRUE(f.contains(key)) << key;
    ASSERT_FALSE(f["evidence"].empty());
    for (const auto& e : f["evidence"]) {
      EXPECT_TRUE(e.contains("input") && e.contains("observed") && e.contains("source"));
      EXPECT_TRUE(e.contains("expected") || e.contains("rule"));
    }
  }
  for (const auto& x : a["asymmetries"]) EXPECT_TRUE(x.contains("measure"));
  for (const auto& r : a["ratios"])
    for (const char* key : {"name", "side", "value", "method", "source"}) EXPECT_TRUE(r.contains(key)) << key;
  const auto p = nlohmann::json::parse(program);
  EXPECT_EQ(p["schema"], "rebalance.program/1");
  for (const char* key : {"weeks", "days_per_week", "minutes_per_session", "start_date", "omitted", "sessions"})
    EXPECT_TRUE(p.contains(key)) << key;
  for (const auto& s : p["sessions"]) {
    for (const char* key : {"week", "day", "date", "estimated_minutes", "items"}) EXPECT_TRUE(s.contains(key)) << key;
    EXPECT_LE(s["estimated_minutes"].get<double>(), p["minutes_per_session"].get<double>());
    for (const auto& item : s["items"])
      for (const char* key : {"exercise", "phase", "sets", "per_side", "targets"}) EXPECT_TRUE(item.contains(key)) << key;
  }
}

TEST(Golden, OutputsHaveTheContractShape) {
  for_each_intake([](const std::string&, const std::string& text) {
    const Outputs out = run(text);
    expect_contract_shape(out.assessment, out.program);
  });
}

// Commands that draw nothing load the knowledge base without its drawings
// (kb::Parts): every output they write is the same as with them.
TEST(Golden, OutputsWithoutDrawingsAreTheSame) {
  const auto bare = kb::load(REBALANCE_DATA_DIR, kb::Parts::kWithoutDrawings);
  ASSERT_FALSE(bare->has_drawings);
  EXPECT_TRUE(bare->illustrations.empty());
  EXPECT_THROW(bare->illustration(ExerciseId("glute_bridge")), std::logic_error);
  const render::Header h{"Sam", "Europe/London"};
  auto every_output = [&](const kb::KnowledgeBase& kb, const std::string& text) {
    const auto planned = assess_and_plan(kb, text);
    if (!planned) return std::vector<std::string>{};
    const auto& [a, p] = *planned;
    return std::vector<std::string>{render::assessment_json(kb, a), render::assessment_text(kb, a, h),
                                    render::program_json(kb, p), render::program_text(kb, a, p, h),
                                    render::program_ics(kb, p, h)};
  };
  const int cases = for_each_intake([&](const std::string&, const std::string& text) {
    const auto full = every_output(knowledge_base(), text);
    ASSERT_EQ(full.size(), 5u);
    EXPECT_EQ(every_output(*bare, text), full);
  });
  EXPECT_GE(cases, 5);
}

// The vocabularies the web app reads (GET /api/v1/vocabulary) beside the
// data they come from: a change to a name, an order or a hint shows here.
TEST(Golden, VocabularyMatchesItsExpectedDocument) {
  compare(fs::path(REBALANCE_GOLDEN_DIR) / "vocabulary.json", render::vocabulary_json(knowledge_base()));
}

}  // namespace
}  // namespace rebalance
