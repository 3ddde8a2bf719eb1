#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace rebalance::testing {

const kb::KnowledgeBase& knowledge_base() {
  static const auto kb = kb::load(REBALANCE_DATA_DIR);
  return *kb;
}

intake::Intake intake_from(const std::string& json) {
  auto result = intake::parse(json, knowledge_base(), "test.json");
  std::string problems;
  for (const auto& p : result.problems) problems += format_problem(p) + "\n";
  EXPECT_TRUE(result.intake.has_value()) << problems;
  if (!result.intake) return {};
  return *result.intake;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

PlannedExample planned_example(const std::string& file) {
  const auto in = intake_from(read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/" + file));
  PlannedExample f;
  f.a = assess::assess(knowledge_base(), in);
  plan::Overrides ov;
  ov.start = Date::parse("2026-11-30");
  f.p = plan::plan(knowledge_base(), f.a, plan::resolve(knowledge_base(), in, ov, *Date::parse("2026-11-25")));
  return f;
}

}  // namespace rebalance::testing
